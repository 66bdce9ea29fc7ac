"""``index_cluster``: the indexing loop into a Typesense collection, like ``update_index`` locally."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from indexer.cluster.address import ClusterAddress
from indexer.cluster.sink import ClusterSink
from indexer.ingest import FieldMapping
from indexer.report import IndexReport, Progress
from indexer.sync import check_paths, index_run


def index_cluster(
    paths: Iterable[Path],
    address: ClusterAddress,
    progress: Progress | None = None,
    mapping: FieldMapping | None = None,
    prune: bool = False,
    rebuild: bool = False,
) -> IndexReport:
    """Bring the collection behind ``address`` up to date with ``paths``; the same report as locally.

    Same ingesters, metadata, content hashes and counts as the local index
    (``indexer.sync``); ``rebuild`` writes a new collection and moves the
    alias at the end (``ClusterSink``). Cluster failures are ``ClusterError``s.
    """
    paths = [Path(p) for p in paths]
    check_paths(paths)
    return index_run(paths, lambda versions: ClusterSink(address, versions, rebuild), mapping, prune or rebuild, progress)
