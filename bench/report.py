"""The Markdown tables of a bench result: ours, plain Whoosh, tantivy, the cluster, and the ratios."""

from __future__ import annotations

MIB = 1024 * 1024
MODES = (("hits", "hits"), ("snippets", "+snippets"), ("facets", "+snippets+facets"))
ENGINES = (("whoosh", "plain Whoosh"), ("tantivy", "tantivy"))
CLUSTER = "Typesense cluster"

# Targets of issue 12, checked at the largest size measured. Each time has its
# CPU-time figure beside it (what the wall figure would be with the cores to itself).
TARGETS = (
    ("search+snippets+facets p50 ≤ 10 ms", lambda r: r["search"]["facets"]["p50"],
     lambda r: r["search"]["facets_cpu"]["p50"], 10, "ms"),
    ("search+snippets+facets p95 ≤ 40 ms", lambda r: r["search"]["facets"]["p95"],
     lambda r: r["search"]["facets_cpu"]["p95"], 40, "ms"),
    ("indexing ≥ 800 docs/s", lambda r: -r["index"]["docs_per_s"], lambda r: -r["index"]["docs_per_cpu_s"],
     -800, "docs/s"),
    ("peak RSS indexing ≤ 1 GiB (all processes)", lambda r: r["index"]["peak_tree_rss_bytes"] / MIB, None, 1024, "MiB"),
    ("peak RSS searching ≤ 400 MiB", lambda r: r["search"]["peak_rss_bytes"] / MIB, None, 400, "MiB"),
)
# Targets of issue 19 for the 3-node cluster (``--cluster``), at the largest size: absolute, and the
# aim of 3× the local index in the same run.
CLUSTER_TARGETS = (("p50", 40), ("p95", 100))
CLUSTER_AIM = 3.0
CLUSTER_COLD_S = 0.5
# Targets of issue 20 for the write API: PUTs from 10 clients on corpus/'s index, NDJSON batches into the
# largest index, and searches there while 10 PUTs a second arrive, against the idle index.
PUT_TARGET, BATCH_TARGET, UNDER_WRITES = 100, 300, 2.0


def _columns(r: dict) -> list[float]:
    index, search = r["index"], r["search"]
    values = [
        index["docs_per_s"], index["docs_per_cpu_s"], index["size_bytes"] / MIB,
        index.get("peak_tree_rss_bytes", index["peak_rss_bytes"]) / MIB,
    ]
    for mode, _ in MODES:
        values += [search[mode]["p50"], search[mode]["p95"], search[mode]["p99"]]
    return values + [search["peak_rss_bytes"] / MIB]


def _header() -> list[str]:
    head = ["docs", "engine", "index docs/s", "docs/CPU s", "index MiB", "RSS index MiB"]
    for _, label in MODES:
        head += [f"{label} p50 ms", "p95", "p99"]
    return head + ["RSS search MiB"]


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _size_rows(size: str, engines: dict) -> list[str]:
    ours = _columns(engines["ours"])
    rows = [_row([size, "ours"] + [f"{v:,.1f}" for v in ours])]
    for key, label in ENGINES:
        if key in engines:
            other = _columns(engines[key])
            rows.append(_row([size, label] + [f"{v:,.1f}" for v in other]))
    for key, label in ENGINES:
        if key in engines:
            other = _columns(engines[key])
            rows.append(_row([size, f"ours ÷ {label.split()[-1]}"]
                             + [f"×{a / b:.2f}" if b else "–" for a, b in zip(ours, other)]))
    if "cluster" in engines:
        cluster = _columns(engines["cluster"])
        rows.append(_row([size, CLUSTER] + [f"{v:,.1f}" for v in cluster]))
        rows.append(_row([size, "cluster ÷ ours"] + [f"×{a / b:.2f}" if b else "–" for a, b in zip(cluster, ours)]))
    return rows


def _http(result: dict) -> list[str]:
    size = max(result["sizes"], key=int)
    http = result["sizes"][size]["ours"].get("http")
    if not http:
        return []
    lines = [f"\nHTTP, `rtes-search serve` on the {int(size):,}-document index (scripts/loadtest.py):\n",
             _row(["clients", "requests", "req/s", "p50 ms", "p95 ms"]), _row(["---"] * 5)]
    for clients, level in sorted(http.items(), key=lambda item: int(item[0])):
        lines.append(_row([clients, f"{level['requests']:.0f}", f"{level['req_per_s']:,.1f}",
                           f"{level['p50_ms']:,.1f}", f"{level['p95_ms']:,.1f}"]))
    return lines


def _targets(result: dict) -> list[str]:
    size = max(result["sizes"], key=int)
    ours = result["sizes"][size]["ours"]
    lines = [f"\nTargets (issue 12) at {int(size):,} documents:\n"]
    for label, wall, cpu, limit, unit in TARGETS:
        measured = wall(ours)
        on_cpu = f" (CPU time: {abs(cpu(ours)):,.1f} {unit})" if cpu else ""
        lines.append(f"- {label}: {abs(measured):,.1f} {unit}{on_cpu} — {'met' if measured <= limit else 'NOT met'}")
    if ours.get("http", {}).get("10"):
        served = ours["http"]["10"]["req_per_s"]
        lines.append(f"- HTTP 10 clients ≥ 80 req/s: {served:,.1f} req/s — {'met' if served >= 80 else 'NOT met'}")
    cold = result["cli_cold_start"]
    verdict = "met" if cold["median_s"] <= 0.4 else "NOT met"
    lines.append(f"- CLI cold search ≤ 0.4 s: {cold['median_s']:.3f} s wall ({cold['median_cpu_s']:.3f} s CPU) — {verdict}")
    return lines + _cluster_targets(result)


def _cluster_targets(result: dict) -> list[str]:
    """Issue 19's targets for the cluster at the largest size, beside the local index of the same run."""
    size = max(result["sizes"], key=int)
    engines = result["sizes"][size]
    if "cluster" not in engines:
        return []
    cluster, ours = engines["cluster"]["search"], engines["ours"]["search"]
    lines = [f"\nTargets (issue 19) of the {CLUSTER} at {int(size):,} documents, +snippets+facets:\n"]
    for cut, limit in CLUSTER_TARGETS:
        wall, cpu, local = cluster["facets"][cut], cluster["facets_cpu"][cut], ours["facets"][cut]
        aim = "within" if wall <= CLUSTER_AIM * local else "beyond"
        lines.append(f"- {cut} ≤ {limit} ms: {wall:,.1f} ms (client CPU time: {cpu:,.1f} ms) — "
                     f"{'met' if wall <= limit else 'NOT met'}; ×{wall / local:.2f} the local index "
                     f"({local:,.1f} ms), {aim} the aim of ×{CLUSTER_AIM:g}")
    cold = engines["cluster"].get("cli_cold_start")
    if cold:
        verdict = "met" if cold["median_s"] <= CLUSTER_COLD_S else "NOT met"
        lines.append(f"- CLI cold search --cluster ≤ {CLUSTER_COLD_S} s: {cold['median_s']:.3f} s wall "
                     f"({cold['median_cpu_s']:.3f} s CPU) — {verdict}")
    return lines


def _writes(result: dict) -> list[str]:
    """The write API's table (scripts/bench_writes.py) and issue 20's targets."""
    writes = result.get("writes")
    if not writes:
        return []
    largest = max((name for name in writes if name != "rtes"), key=int)
    lines = ["\nWrite API, `rtes-search serve` with a write token, first run (scripts/bench_writes.py):\n",
             _row(["index", "PUT, 10 clients docs/s", "NDJSON docs/s", "search idle p50 / p95 ms",
                   "search under PUTs p50 / p95 ms", "load average"]), _row(["---"] * 6)]
    for name, label in (("rtes", "corpus/ (RTES)"), (largest, f"{int(largest):,} articles")):
        w = writes[name]
        lines.append(_row([label, f"{w['puts']['docs_per_s']:,.1f}", f"{w['batches']['docs_per_s']:,.1f}",
                           f"{w['idle']['p50_ms']:,.1f} / {w['idle']['p95_ms']:,.1f}",
                           f"{w['busy']['p50_ms']:,.1f} / {w['busy']['p95_ms']:,.1f} ({w['busy']['put_rate']:g} PUT/s)",
                           " ".join(f"{x:.1f}" for x in w["load_average"])]))
    big, put = writes[largest], writes["rtes"]["puts"]["docs_per_s"]
    batch = big["batches"]["docs_per_s"]
    lines += ["\nTargets (issue 20):\n",
              f"- PUT from 10 clients ≥ {PUT_TARGET} docs/s on corpus/'s index: {put:,.1f} — "
              f"{'met' if put >= PUT_TARGET else 'NOT met'}",
              f"- NDJSON batches ≥ {BATCH_TARGET} docs/s into the {int(largest):,}-document index: {batch:,.1f} — "
              f"{'met' if batch >= BATCH_TARGET else 'NOT met'}"]
    for cut in ("p50", "p95"):
        idle, busy = big["idle"][f"{cut}_ms"], big["busy"][f"{cut}_ms"]
        lines.append(f"- search {cut} under {big['busy']['put_rate']:g} PUT/s ≤ ×{UNDER_WRITES:g} idle at "
                     f"{int(largest):,} documents: {busy:,.1f} ms against {idle:,.1f} ms (×{busy / idle:.2f}) — "
                     f"{'met' if busy <= UNDER_WRITES * idle else 'NOT met'}")
    return lines


def _load(result: dict) -> str:
    loads = [engine[phase]["load_average"] for sizes in result["runs"] for engines in sizes.values()
             for engine in engines.values() for phase in ("index", "search") if "load_average" in engine[phase]]
    return f"load average (1 min) at the end of each phase: {min(loads):.1f}–{max(loads):.1f}" if loads else ""


def markdown(result: dict) -> str:
    settings = result["settings"]
    order = settings.get("query_order", "spread")
    queries = "the first lines of queries.tsv" if order == "first" else "evenly spaced CDTN queries"
    lines = [
        f"# rtes-search bench ({settings['started']}, {settings['runs']} run(s), medians)\n",
        f"{settings['queries']} {queries} after {settings['warmup']} warm-up queries, per mode; "
        "ratios are ours ÷ the other engine (below 1: ours is faster or smaller, except docs/s); "
        f"RSS index is the peak of all the indexing processes together; {_load(result)}.\n",
        _row(_header()),
        _row(["---"] * len(_header())),
    ]
    for size, engines in sorted(result["sizes"].items(), key=lambda item: int(item[0])):
        lines += _size_rows(size, engines)
    return "\n".join(lines + _http(result) + _targets(result) + _writes(result)) + "\n"
