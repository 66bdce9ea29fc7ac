"""The Markdown table of a bench result: ours, plain Whoosh, and their ratio."""

from __future__ import annotations

MIB = 1024 * 1024
MODES = (("hits", "hits"), ("snippets", "+snippets"), ("facets", "+snippets+facets"))

# Targets of issue 8, checked at the largest size measured.
# Each has its CPU-time figure beside it (what the wall figure would be with a core to itself).
TARGETS = (
    ("search+snippets+facets p50 ≤ 15 ms", lambda r: r["search"]["facets"]["p50"],
     lambda r: r["search"]["facets_cpu"]["p50"], 15, "ms"),
    ("search+snippets+facets p95 ≤ 50 ms", lambda r: r["search"]["facets"]["p95"],
     lambda r: r["search"]["facets_cpu"]["p95"], 50, "ms"),
    ("indexing ≥ 1,500 docs/s", lambda r: -r["index"]["docs_per_s"], lambda r: -r["index"]["docs_per_cpu_s"],
     -1500, "docs/s"),
    ("peak RSS indexing ≤ 1 GiB", lambda r: r["index"]["peak_rss_bytes"] / MIB, None, 1024, "MiB"),
    ("peak RSS searching ≤ 400 MiB", lambda r: r["search"]["peak_rss_bytes"] / MIB, None, 400, "MiB"),
)


def _columns(r: dict) -> list[float]:
    index, search = r["index"], r["search"]
    values = [index["docs_per_s"], index["size_bytes"] / MIB, index["peak_rss_bytes"] / MIB]
    for mode, _ in MODES:
        values += [search[mode]["p50"], search[mode]["p95"], search[mode]["p99"]]
    return values + [search["peak_rss_bytes"] / MIB]


def _header() -> list[str]:
    head = ["docs", "engine", "index docs/s", "index MiB", "RSS index MiB"]
    for _, label in MODES:
        head += [f"{label} p50 ms", "p95", "p99"]
    return head + ["RSS search MiB"]


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _size_rows(size: str, engines: dict) -> list[str]:
    ours = _columns(engines["ours"])
    rows = [_row([size, "ours"] + [f"{v:,.1f}" for v in ours])]
    if "whoosh" in engines:
        plain = _columns(engines["whoosh"])
        rows.append(_row([size, "plain Whoosh"] + [f"{v:,.1f}" for v in plain]))
        rows.append(_row([size, "ours ÷ Whoosh"] + [f"×{a / b:.2f}" if b else "–" for a, b in zip(ours, plain)]))
    return rows


def _targets(result: dict) -> list[str]:
    size = max(result["sizes"], key=int)
    ours = result["sizes"][size]["ours"]
    lines = [f"\nTargets (issue 8) at {int(size):,} documents:\n"]
    for label, wall, cpu, limit, unit in TARGETS:
        measured = wall(ours)
        on_cpu = f" (CPU time: {abs(cpu(ours)):,.1f} {unit})" if cpu else ""
        lines.append(f"- {label}: {abs(measured):,.1f} {unit}{on_cpu} — {'met' if measured <= limit else 'NOT met'}")
    cold = result["cli_cold_start"]
    verdict = "met" if cold["median_s"] <= 0.4 else "NOT met"
    lines.append(f"- CLI cold search ≤ 0.4 s: {cold['median_s']:.3f} s wall ({cold['median_cpu_s']:.3f} s CPU) — {verdict}")
    return lines


def markdown(result: dict) -> str:
    settings = result["settings"]
    lines = [
        f"# rtes-search bench ({settings['started']}, {settings['runs']} run(s), medians)\n",
        f"{settings['queries']} CDTN queries after {settings['warmup']} warm-up queries, per mode; "
        "ratios are ours ÷ plain Whoosh (below 1: ours is faster or smaller, except docs/s).\n",
        _row(_header()),
        _row(["---"] * len(_header())),
    ]
    for size, engines in sorted(result["sizes"].items(), key=lambda item: int(item[0])):
        lines += _size_rows(size, engines)
    return "\n".join(lines + _targets(result)) + "\n"
