"""One measured phase in its own process, so its peak memory is its own.

``python -m bench.worker index ENGINE SOURCE INDEX_DIR`` and
``python -m bench.worker search ENGINE INDEX_DIR QUERIES_JSON`` print one
JSON object on stdout; ``--profile FILE`` writes a cProfile summary.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import json
import os
import pstats
import resource
import threading
import time
from pathlib import Path

from bench.corpus import MAPPING_ARGS

# Engine → module; tantivy's and the cluster's are imported only when asked for (``bench``, ``cluster`` extras).
ENGINES = {"ours": "bench.ours", "whoosh": "bench.baseline", "tantivy": "bench.native", "cluster": "bench.cluster"}
MODES = ("hits", "snippets", "facets")
SLOWEST = 5  # slowest queries kept per mode, to see what the tail is made of


def peak_rss_bytes() -> int:
    """Peak resident memory of this process (and of its finished children).

    Linux's ``ru_maxrss`` keeps the parent's peak across fork and exec, so a
    worker started by a big orchestrator would inherit its figure: the
    process's own peak is read from ``VmHWM`` in /proc when there is one.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, children)
    own = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:"))
    return max(own, children)


def _tree_rss() -> int:
    """Resident memory of this process and all its descendants now (Linux /proc), in bytes."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


class TreeMemory:
    """The peak of the summed resident memory of a process tree, sampled every ``every`` seconds.

    Our indexer runs in three processes at once: the peak of the largest one
    (``peak_rss_bytes``) is not what the machine has to hold; their sum is.
    """

    def __init__(self, every: float = 0.25):
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, _tree_rss())

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def directory_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children.

    Reported beside wall time: on a shared machine wall time also counts
    the time spent waiting for a core.
    """
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_index(engine, source: Path, index_dir: Path) -> dict:
    started, cpu = time.perf_counter(), cpu_seconds()
    with TreeMemory() as memory:
        count = engine.build(source, index_dir, MAPPING_ARGS)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {
        "peak_tree_rss_bytes": memory.peak,
        "load_average": os.getloadavg()[0],
        "documents": count,
        "seconds": seconds,
        "docs_per_s": count / seconds,
        "cpu_s": cpu,
        "docs_per_cpu_s": count / cpu,
        "size_bytes": directory_size(engine.index_files(index_dir)),
    }


def run_search(engine, index_dir: Path, queries_file: Path) -> dict:
    """Wall and CPU latencies in ms of every measured query, per mode, after the warm-up."""
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    started = time.perf_counter()
    session = engine.Session(index_dir)
    opened = time.perf_counter() - started
    latencies, cpu_latencies, slowest = {}, {}, {}
    for mode in MODES:
        answer = getattr(session, mode)
        for text in queries["warmup"]:
            answer(text)
        timings, cpu_timings = [], []
        for text in queries["measured"]:
            started, cpu = time.perf_counter(), time.process_time()
            answer(text)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu) * 1000)
        latencies[mode], cpu_latencies[mode] = timings, cpu_timings
        slowest[mode] = sorted(zip(timings, queries["measured"]), reverse=True)[:SLOWEST]
    session.close()
    return {
        "load_average": os.getloadavg()[0], "open_s": opened, "latencies_ms": latencies,
        "cpu_latencies_ms": cpu_latencies, "slowest": slowest,
    }


def profiled(call, path: Path | None):
    """Run ``call()``, under cProfile when ``path`` is given (top 40 by own time)."""
    if path is None:
        return call()
    profile = cProfile.Profile()
    result = profile.runcall(call)
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(40)
    path.write_text(out.getvalue(), encoding="utf-8")
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("phase", choices=["index", "search"])
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    engine = importlib.import_module(ENGINES[args.engine])
    if args.phase == "index":
        result = profiled(lambda: run_index(engine, *args.paths), args.profile)
    else:
        result = profiled(lambda: run_search(engine, *args.paths), args.profile)
    result["peak_rss_bytes"] = peak_rss_bytes()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
