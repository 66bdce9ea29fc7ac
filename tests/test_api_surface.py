"""The public API is pinned, and data flows one way (indexer never imports search)."""

from __future__ import annotations

import ast
from pathlib import Path

import indexer
import search

ROOT = Path(__file__).resolve().parent.parent


def test_public_names():
    assert sorted(indexer.__all__) == [
        "ANALYZER_VERSION", "Document", "FieldMapping", "IndexLockedError", "IndexProgress", "IndexReport",
        "IndexerError", "IngestError", "SCHEMA", "build_index", "ensure_index", "french_analyzer", "iter_documents",
        "update_index",
    ]
    assert sorted(search.__all__) == [
        "DamagedIndexError", "DocumentNotFoundError", "Hit", "IndexNotFoundError", "InvalidFilterError", "QuerySyntaxError", "Results",
        "SearchBackend", "SearchError", "Searcher", "Snippet", "default_index_dir", "open_searcher",
    ]
    for package in (indexer, search):
        for name in package.__all__:
            assert hasattr(package, name)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_indexer_never_imports_search():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if m.split(".")[0] == "search")
        for path in (ROOT / "indexer").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_packages_are_typed():
    assert (ROOT / "indexer" / "py.typed").exists() and (ROOT / "search" / "py.typed").exists()
