"""What makes an index out of date: the versions of what wrote it, and its sources' fingerprint.

A generation's manifest records the analyzer, metadata-rule and schema
versions that wrote it and a fingerprint of its source files; an index
written by other versions is rebuilt rather than half-updated, and one whose
sources changed is updated before a search of the default corpus.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from indexer.analysis import ANALYZER_VERSION
from indexer.ingest import source_files
from indexer.schema import SCHEMA_VERSION

PACKAGE = Path(__file__).resolve().parent


def metadata_version() -> str:
    """A digest of the metadata rules (code and data files).

    Content hashes are taken before metadata extraction, so that unchanged
    documents cost no extraction; an index whose rules changed since it was
    built is rebuilt instead, like one built by another analyzer.
    """
    digest = hashlib.sha256()
    for path in sorted([*(PACKAGE / "metadata").glob("*.py"), *(PACKAGE / "data").glob("*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def current_versions() -> dict:
    """The versions this code writes into a manifest (read the rule files once per run)."""
    return {
        "analyzer_version": ANALYZER_VERSION,
        "metadata_version": metadata_version(),
        "schema_version": SCHEMA_VERSION,
    }


def same_versions(manifest: dict, versions: dict) -> bool:
    """Was the generation of ``manifest`` written with ``versions``?"""
    return all(manifest.get(name) == value for name, value in versions.items())


def sources_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the source files' names, sizes and modification times."""
    digest = hashlib.sha256()
    for path in source_files(paths):
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
