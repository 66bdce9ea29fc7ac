#!/usr/bin/env python3
"""Speed of the write API (issue 20), on loopback only: PUTs, NDJSON batches, searches while writing.

Copies ``--index-dir`` to a temporary folder, starts ``rtes-search serve``
over the copy with a write token and no rate limits, then measures in turn:

1. searches from one client on the idle index (p50/p95);
2. single-document PUTs from ``--clients`` clients (documents/s, from the
   first request to the last 200: durable, journalled);
3. NDJSON batches of ``--batch`` documents, one after another (documents/s,
   each batch answered once searchable);
4. the same searches while ``--put-rate`` PUTs a second arrive (p50/p95).

It prints one line per measure and the load average (the machine is shared:
say it beside the figures), then stops the server and removes the copy;
``--json`` prints one JSON object instead (what ``python -m bench`` reads:
bench/README.md). A count of 0 skips its measure.

    .venv/bin/python scripts/bench_writes.py --index-dir index
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx2

from indexer.storage import find_current, read_manifest
from indexer.versions import current_versions, same_versions

from local_server import start_server

TOKEN = "jeton-du-banc-d-essai"
QUERIES = ["marchés publics", "économie sociale et solidaire", "coopération", "emploi insertion",
           "\"commande publique\"", "collectivités territoriales", "responsabilite", "contrat de travail"]
TEXT = ("La Ville de Grenoble (38) soutient une ressourcerie en SCIC depuis mars 2021 : réemploi, insertion "
        "et emplois locaux, avec la communauté de communes et les associations du territoire. ") * 4


def document(n: int, run: str) -> dict:
    return {"title": f"Ressourcerie {run} numéro {n}", "text": f"{TEXT} Fiche {n}.", "themes": ["Réemploi"]}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def searches(client, base: str, count: int) -> list[float]:
    latencies = []
    for n in range(count):
        started = time.perf_counter()
        answer = await client.get(f"{base}/api/v1/search", params={"q": QUERIES[n % len(QUERIES)]})
        answer.raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def puts(client, base: str, count: int, clients: int, run: str) -> float:
    numbers = iter(range(count))

    async def worker():
        for n in numbers:
            answer = await client.put(f"{base}/api/v1/documents/{run}-{n}", json=document(n, run))
            answer.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return count / (time.perf_counter() - started)


async def batches(client, base: str, count: int, size: int) -> float:
    started = time.perf_counter()
    for b in range(count):
        body = "\n".join(json.dumps({"id": f"lot-{b}-{n}", **document(n, f"lot {b}")}) for n in range(size))
        answer = await client.post(f"{base}/api/v1/documents", content=body.encode(),
                                   headers={"Content-Type": "application/x-ndjson"}, timeout=600)
        answer.raise_for_status()
    return count * size / (time.perf_counter() - started)


async def searches_while_writing(client, base: str, count: int, rate: float) -> list[float]:
    stop = asyncio.Event()

    async def writer():
        n = 0
        while not stop.is_set():
            await client.put(f"{base}/api/v1/documents/flux-{n}", json=document(n, "flux"))
            n += 1
            await asyncio.sleep(1 / rate)

    task = asyncio.create_task(writer())
    await asyncio.sleep(2)  # the first commits under way
    latencies = await searches(client, base, count)
    stop.set()
    await task
    return latencies


def latencies(values: list[float]) -> dict:
    return {"p50_ms": statistics.median(values), "p95_ms": percentile(values, 0.95), "count": len(values)}


async def measure(base: str, args) -> dict:
    """Each measure asked for, in the order of the module docstring: ``{name: figures}``."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    limits = httpx2.Limits(max_connections=args.clients + 2)
    found = {}
    async with httpx2.AsyncClient(headers=headers, limits=limits, timeout=60) as client:
        if args.searches:
            await searches(client, base, len(QUERIES))  # warm-up
            found["idle"] = latencies(await searches(client, base, args.searches))
        if args.puts:
            found["puts"] = {"docs_per_s": await puts(client, base, args.puts, args.clients, "put"),
                             "documents": args.puts, "clients": args.clients}
        if args.batches:
            found["batches"] = {"docs_per_s": await batches(client, base, args.batches, args.batch),
                                "batches": args.batches, "batch": args.batch}
        if args.searches:
            found["busy"] = latencies(await searches_while_writing(client, base, args.searches, args.put_rate))
            found["busy"]["put_rate"] = args.put_rate
    return found


def said(found: dict) -> list[str]:
    """The measures as French lines."""
    lines = []
    if "idle" in found:
        lines.append(f"recherches, index au repos : p50 {found['idle']['p50_ms']:.1f} ms, p95 {found['idle']['p95_ms']:.1f} ms")
    if "puts" in found:
        puts_ = found["puts"]
        lines.append(f"PUT d'un document, {puts_['clients']} clients : {puts_['docs_per_s']:.1f} documents/s "
                     f"({puts_['documents']} documents)")
    if "batches" in found:
        lots = found["batches"]
        lines.append(f"lots NDJSON de {lots['batch']} : {lots['docs_per_s']:.1f} documents/s ({lots['batches']} lots)")
    if "busy" in found:
        busy = found["busy"]
        lines.append(f"recherches pendant {busy['put_rate']:g} PUT/s : p50 {busy['p50_ms']:.1f} ms, p95 {busy['p95_ms']:.1f} ms")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--puts", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--put-rate", type=float, default=10.0)
    parser.add_argument("--json", action="store_true", help="one JSON object instead of French lines")
    args = parser.parse_args()
    generation = find_current(args.index_dir)
    if generation is None or not same_versions(read_manifest(generation), current_versions()):
        # Its first commit would rebuild it whole (docs/writing.md): that is not what is measured here.
        raise SystemExit(f"index absent ou écrit par une autre version : reconstruisez {args.index_dir} "
                         "(rtes-search index SOURCES --rebuild)")
    copy = Path(tempfile.mkdtemp(prefix="rtes-bench-writes-")) / "index"
    shutil.copytree(args.index_dir, copy, symlinks=True)
    os.environ.update(RTES_SEARCH_WRITE_TOKENS=TOKEN, RTES_SEARCH_WRITE_RATE_LIMIT="0")
    server, base = start_server(copy, "--rate-limit", "0")
    try:
        found = asyncio.run(measure(base, args))
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(copy.parent, ignore_errors=True)
    found["load_average"] = os.getloadavg()
    if args.json:
        print(json.dumps(found))
    else:
        print("\n".join(said(found)))
        print("charge moyenne : " + " ".join(f"{x:.2f}" for x in found["load_average"]))


if __name__ == "__main__":
    main()
