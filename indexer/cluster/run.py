"""``index_cluster``: the indexing loop into a Typesense collection, like ``update_index`` locally."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from indexer.cluster.address import ClusterAddress
from indexer.cluster.sink import ClusterSink
from indexer.errors import IndexerError
from indexer.ingest import FieldMapping
from indexer.report import IndexReport, Progress
from indexer.sync import synchronise
from indexer.versions import current_versions
from indexer.writer import _mapping_to


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
    for path in paths:
        if not path.exists():
            raise IndexerError(f"chemin introuvable : {path}")
    versions = current_versions()
    sink = ClusterSink(address, versions, rebuild)
    manifest = dict(versions, mapping=_mapping_to(mapping))
    return synchronise(paths, sink, manifest, mapping=mapping, prune=prune or rebuild, progress=progress)
