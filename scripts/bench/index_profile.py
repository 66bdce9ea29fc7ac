#!/usr/bin/env python3
"""cProfile of one build, every stage in this process, so that one profile sees them all.

    .venv/bin/python scripts/bench/index_profile.py FILE.jsonl [INDEX_DIR]

A real build runs its analysis and writing in two more processes
(indexer/pipeline.py), which a profiler of the caller does not see; here the
pipeline is told to keep everything in process. Prints the profiled CPU
time and the top functions by own and by cumulative time. Law articles are
read with the bench's mapping (the code as type, the status as collection).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import indexer.pipeline
from indexer import FieldMapping, build_index

# As bench/corpus.py reads the law articles: the code is the type, the status the collection.
MAPPING = FieldMapping("doc_id", "title", "text", (("type", "code"), ("collection", "status")))


def main() -> None:
    source = Path(sys.argv[1])
    index_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="rtes-profile-"))
    indexer.pipeline.IN_PROCESS = 10**9  # every stage in this process
    profile, started = cProfile.Profile(), time.process_time()
    profile.runcall(build_index, [source], index_dir, mapping=MAPPING)
    print(f"CPU seconds, profiled: {time.process_time() - started:.1f}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


if __name__ == "__main__":
    main()
