"""Load the rule files of indexer/data/ once (they are data, not code)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def load_rules(name: str):
    """Parse ``indexer/data/<name>.json``."""
    return json.loads(resources.files("indexer").joinpath("data").joinpath(f"{name}.json").read_text("utf-8"))
