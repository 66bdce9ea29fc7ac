"""Write the journal's unapplied operations into a new generation (the index lock held by the caller).

The usual case touches a few documents: a clone of the current generation
(hard links), the last operation on each id written through Whoosh's
writer, one commit, the manifest recording the last ``seq`` applied, the
``current`` switch. Metadata is extracted as for files. Without an index,
or with one written by other versions of the analysis, rules or schema,
the whole index is rebuilt from its sources instead, and that run reads
the journal like every run.
"""

from __future__ import annotations

from pathlib import Path

from indexer.generation import GenerationSink
from indexer.ingest import FieldMapping
from indexer.journal import PUSHED_SOURCE, Entry
from indexer.sync import fields_to_write, index_run, utc_now
from indexer.versions import current_versions


def apply_journal(index_dir: Path, entries: list[Entry], applied: int) -> tuple[bool, int]:
    """Apply ``entries`` (those after ``applied``); ``(a generation was written, last seq applied)``."""
    sink = GenerationSink(index_dir, current_versions(), rebuild=False)
    if sink.fresh:
        _rebuild(sink)
        return True, sink.journal_seq
    if not entries:
        return False, applied
    latest = {entry.doc_id: entry.document for entry in entries}
    known, now = sink.known_of(latest), utc_now()
    for doc_id, doc in latest.items():
        old = known.get(doc_id)
        if doc is None:
            if old is not None:
                sink.delete(doc_id)
            continue
        digest = doc.content_hash()
        if old is not None and old.content_hash == digest:
            continue
        fields = fields_to_write(doc, digest, old, now, PUSHED_SOURCE)
        (sink.replace if old is not None else sink.add)(fields)
    written = sink.writer is not None
    sink.journal_seq = entries[-1].seq   # finish records it in the manifest
    sink.finish(sink.previous_manifest())
    return written, entries[-1].seq


def _rebuild(sink: GenerationSink) -> None:
    """A whole run into ``sink``: the previous index's sources still on disk, and the journal."""
    manifest = sink.previous_manifest()
    sources = [Path(p) for p in manifest.get("sources", []) if Path(p).exists()]
    index_run(sources, lambda versions: sink, FieldMapping.from_record(manifest.get("mapping")), True, None)
