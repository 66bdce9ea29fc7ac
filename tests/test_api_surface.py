"""The public API is pinned, data flows one way (indexer never imports search), and the two backends are peers."""

from __future__ import annotations

import ast
from pathlib import Path

import indexer
import search

ROOT = Path(__file__).resolve().parent.parent


def test_public_names():
    assert sorted(indexer.__all__) == [
        "ANALYZER_VERSION", "Document", "FieldMapping", "IndexLockedError", "IndexProgress", "IndexReport",
        "IndexerError", "IngestError", "InvalidFieldError", "SCHEMA", "WriteResult", "build_index", "delete_documents",
        "ensure_index", "french_analyzer", "iter_documents", "pushed_document", "update_documents", "update_index",
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


# What the cluster may not import: the local backend, under its package or its former module names.
CLUSTER_FORBIDDEN = ("search.local", "search.searcher", "search.vocabulary", "search.facets", "search.postings")


def _offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if m.startswith(forbidden))
        for path in (ROOT / "search" / package).rglob("*.py")
    }
    return {k: v for k, v in found.items() if v}


def test_backends_are_peers_importing_nothing_from_each_other():
    assert _offenders("cluster", CLUSTER_FORBIDDEN) == {}
    assert _offenders("local", ("search.cluster",)) == {}


def test_importing_the_cluster_backend_loads_no_local_module():
    import subprocess
    import sys

    code = "import sys, search.cluster; print(sorted(m for m in sys.modules if m.startswith('search.local')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"
