"""Wall time of ``rtes-search search`` from a cold process: on the RTES corpus's local index, and on
the benchmark's cluster.

Each timed run is a fresh process answering one query, as a user at a
terminal would see it; a cluster search also opens the collection (alias,
manifest, statistics) every time.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import RTES_CORPUS

QUERY = "marchés réservés article 37"


def command(*args: str) -> list[str]:
    """The installed ``rtes-search`` script of this Python, else its entry point."""
    script = Path(sys.executable).parent / "rtes-search"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from search.cli import main; main()", *args]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], env: dict, runs: int) -> dict:
    """Median wall and CPU time (seconds) of ``runs`` cold processes running ``args``, after one untimed
    (which compiles the .pyc files).

    CPU time (user + system) is reported beside wall time because on a
    shared machine the wall time also counts waiting for a core.
    """
    subprocess.run(command(*args), env=env, check=True, capture_output=True)
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(command(*args), env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
    return {"query": QUERY, "median_s": statistics.median(walls), "median_cpu_s": statistics.median(cpus), "runs_s": walls}


def measure(work: Path, runs: int) -> dict:
    """``rtes-search search`` on the RTES corpus's local index (built first, not timed)."""
    index_dir = work / "rtes-index"
    env = dict(os.environ, RTES_SEARCH_INDEX=str(index_dir))
    subprocess.run(command("index", str(RTES_CORPUS), "--quiet"), env=env, check=True, capture_output=True)
    return _timed(["search", QUERY], env, runs)


def measure_cluster(url: str, runs: int) -> dict:
    """``rtes-search search --cluster URL`` on a collection already written (the benchmark's largest)."""
    return _timed(["search", QUERY, "--cluster", url], dict(os.environ), runs)
