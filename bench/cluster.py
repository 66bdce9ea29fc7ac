"""The Typesense cluster under the benchmark: three local nodes, the real writer and ``ClusterSearcher``.

``build`` starts a 3-node cluster of the packaged Typesense server in
``INDEX_DIR/cluster`` (on this machine, beside the benchmark: on 2 cores
the nodes and the client share them), writes the documents with the
real indexing loop (``indexer.cluster.index_cluster``) and waits until
every node holds them; the nodes keep running for the search worker, and
``stop`` ends them (``bench.run`` calls it whatever happens). The three
modes are those of ``bench.ours``: ``hits`` is ``ClusterSearcher.ranking``
(the local formula over the fetched terms, top 10), ``snippets`` adds
the stored fields and fragments of those 10, ``facets`` is the whole
``ClusterSearcher.search`` call (total, snippets, facet counts).
"""

from __future__ import annotations

import time
from pathlib import Path

from indexer import FieldMapping
from indexer.cluster import index_cluster
from indexer.schema import SCHEMA
from search.cluster import ClusterSearcher, LocalCluster, cluster_status
from search.cluster.fetch import stored
from search.plan import plan_search
from search.snippets import snippets_for

NODES = 3
ALIAS = "bench"
LIMIT = 10
REPLICATED_TIMEOUT = 120.0


def _folder(index_dir: Path) -> Path:
    return Path(index_dir) / "cluster"


def build(source: Path, index_dir: Path, mapping_args: tuple) -> int:
    """Start the cluster and write ``source`` into it; the number of documents every node holds."""
    mapping = FieldMapping(*mapping_args[:3], mapping_args[3]) if mapping_args else None
    cluster, _ = LocalCluster.start(_folder(index_dir), nodes=NODES)
    count = index_cluster([source], cluster.address(ALIAS), mapping=mapping).documents
    deadline = time.monotonic() + REPLICATED_TIMEOUT
    while [n.documents for n in cluster_status(cluster.address(ALIAS)).nodes] != [count] * NODES:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the {count} documents did not reach every node in {REPLICATED_TIMEOUT:.0f} s")
        time.sleep(0.5)
    return count


def index_files(index_dir: Path) -> Path:
    """The nodes' data folders: every node holds a whole copy, so this is three times one collection."""
    return _folder(index_dir)


def url(index_dir: Path) -> str:
    """The address of the benchmark's collection (``--cluster``)."""
    return LocalCluster.load(_folder(index_dir)).url(ALIAS)


def stop(index_dir: Path) -> None:
    """Stop the nodes ``build`` started (by their recorded pids), if it got that far."""
    if (_folder(index_dir) / "cluster.json").exists():
        LocalCluster.load(_folder(index_dir)).stop()


class Session:
    """One open ``ClusterSearcher`` on the benchmark's cluster, answering the three query modes."""

    def __init__(self, index_dir: Path):
        self.api = ClusterSearcher(url(index_dir))

    def hits(self, text: str) -> int:
        return len(self.api.ranking(text, depth=LIMIT))

    def snippets(self, text: str) -> int:
        """The first 10 hits, their stored fields and fragments, without facet counts."""
        plan = plan_search(text, self.api.view(), {}, False)
        hits = self.api.hits(text, limit=LIMIT)
        if plan.browse or not plan.clauses:
            return 0
        documents, highlight = stored(self.api.reader, [hit.id for hit in hits]), plan.highlight()
        return len([snippets_for(documents[hit.id], highlight, SCHEMA) for hit in hits if hit.id in documents])

    def facets(self, text: str) -> int:
        return len(self.api.search(text, limit=LIMIT).hits)

    def close(self) -> None:
        self.api.close()
