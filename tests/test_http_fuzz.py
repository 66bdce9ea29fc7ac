"""Schema-based fuzzing of the OpenAPI contract (schemathesis): no 5xx, every answer as documented.

Each operation gets generated valid and invalid parameters; every response
must be a documented status with a body matching its documented model.
Operations are parametrized here, one test id each (``GET /api/v1/search``…),
rather than by ``schema.parametrize()``, whose tests all share one id: pytest-xdist
then counts them as one, and the closing line under-reports what ran.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from indexer import build_index

from conftest import CORPUS
from http_support import make_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value) -> bytes:
    """The write API's batches: generated strings sent as they are (UTF-8)."""
    return str(value).encode("utf-8", "surrogatepass")


# schemathesis needs the schema at import time (its fixture loader does not work with
# pytest 9); the app opens its index lazily, so the index is built by a fixture below.
INDEX_DIR = Path(tempfile.mkdtemp(prefix="rtes-fuzz-"))
schema = schemathesis.openapi.from_asgi("/openapi.json", make_app(INDEX_DIR))


@pytest.fixture(scope="module", autouse=True)
def corpus_in_index_dir():
    build_index([CORPUS], INDEX_DIR)
    yield
    shutil.rmtree(INDEX_DIR, ignore_errors=True)


OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_api_answers_every_request_as_documented(operation, data):
    data.draw(operation.as_strategy()).call_and_validate(checks=CHECKS)
