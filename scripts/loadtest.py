#!/usr/bin/env python3
"""Bounded load test of the HTTP API, on loopback only.

Starts ``rtes-search serve`` on a free 127.0.0.1 port over ``--index-dir``
(rate limit off), or uses ``--url`` if it is a loopback address, then for
each concurrency level sends exactly ``--requests`` GET requests drawn in
turn from a fixed mix of queries, and stops. Prints requests/s and the
p50/p95 latency of each level (client and server share the machine's
cores, so this is a lower bound of what the server alone could do).
With ``--costly N``, N more clients send issue 22's costly query
(``COSTLY``: ``a* b* … z*``) one after another while each level runs; the
figures of the ordinary clients are printed apart from theirs.

Before the levels, one client sends the mix once (a warm-up: the first
searcher opens and reads its columns); ``--warm-costly`` adds the costly
query to it, so the server's process for costly searches
(``search.http.apart``) has started before anything is measured; without
it, that start (about 0.4 s of a core) falls in the first level. The
load average is printed last: the machine is shared, say it beside the
figures.

    .venv/bin/python scripts/loadtest.py --index-dir index --requests 300
    .venv/bin/python scripts/loadtest.py --index-dir index --concurrency 10 --costly 1
    .venv/bin/python scripts/loadtest.py --index-dir index --concurrency 10 --costly 1 --warm-costly
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import string
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx2

from local_server import start_server

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MIX = [  # (path, params): words, phrase, filters, sorting, deeper page, facets, the page, a document miss
    ("/api/v1/search", {"q": "marchés publics"}),
    ("/api/v1/search", {"q": "collectivités territoriales", "sort": "date"}),
    ("/api/v1/search", {"q": "économie sociale et solidaire"}),
    ("/api/v1/search", {"q": "coopération", "year": "2018"}),
    ("/api/v1/search", {"q": "emploi insertion", "page": "2"}),
    ("/api/v1/search", {"q": "contrat de travail"}),
    ("/api/v1/search", {"q": "sécurité sociale", "limit": "20"}),
    ("/api/v1/search", {"q": "\"commande publique\""}),
    ("/api/v1/search", {"q": "responsabilite"}),
    ("/api/v1/search", {"q": ""}),
    ("/api/v1/facets", {}),
    ("/", {"q": "marchés publics", "sort": "date"}),  # the HTML page
    ("/api/v1/documents/inconnue", {}),
]


COSTLY = ("/api/v1/search", {"q": " ".join(f"{letter}*" for letter in string.ascii_lowercase)})


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run_level(base: str, total: int, concurrency: int, costly: int = 0) -> dict:
    """Send ``total`` requests with ``concurrency`` workers (and ``costly`` clients of ``COSTLY``
    meanwhile); latencies in milliseconds."""
    urls = [f"{base}{path}?{urlencode(params)}" for path, params in MIX]
    latencies: list[float] = []
    slow: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(total))
    done = asyncio.Event()
    limits = httpx2.Limits(max_connections=concurrency + costly, max_keepalive_connections=concurrency + costly)
    async with httpx2.AsyncClient(limits=limits, timeout=60) as client:

        async def costly_worker():
            url = f"{base}{COSTLY[0]}?{urlencode(COSTLY[1])}"
            while not done.is_set():
                start = time.perf_counter()
                await client.get(url)
                slow.append((time.perf_counter() - start) * 1000)

        async def ordinary():
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            done.set()


        async def worker():
            for n in counter:
                start = time.perf_counter()
                response = await client.get(urls[n % len(urls)])
                latencies.append((time.perf_counter() - start) * 1000)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(ordinary(), *(costly_worker() for _ in range(costly)))
        elapsed = time.perf_counter() - began
    row = {"concurrency": concurrency, "requests": total, "seconds": round(elapsed, 2),
           "req_per_s": round(total / elapsed, 1), "p50_ms": round(statistics.median(latencies), 1),
           "p95_ms": round(percentile(latencies, 0.95), 1), "statuses": statuses}
    if slow:
        row.update(costly=len(slow), costly_p50_ms=round(statistics.median(slow), 1))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    parser.add_argument("--url", help="serveur déjà lancé, sur la boucle locale uniquement")
    parser.add_argument("--requests", type=int, default=300, help="requêtes par niveau de concurrence")
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument("--costly", type=int, default=0, help="clients envoyant la requête coûteuse a* b* … z*")
    parser.add_argument("--warm-costly", action="store_true",
                        help="la requête coûteuse aussi pendant la mise en route (avant toute mesure)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.url and urlsplit(args.url).hostname not in LOOPBACK:
        parser.error("--url doit être une adresse locale (127.0.0.1, localhost, ::1)")
    server, base = (None, args.url.rstrip("/")) if args.url else start_server(args.index_dir, "--rate-limit", "0")
    try:
        asyncio.run(run_level(base, len(MIX), 1, int(args.warm_costly)))  # warm-up: facet sets, caches
        rows = [asyncio.run(run_level(base, args.requests, int(c), args.costly)) for c in args.concurrency.split(",")]
    finally:
        if server:
            server.terminate()
            server.wait(10)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'clients':>7} {'requêtes':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}  statuts")
    for row in rows:
        print(f"{row['concurrency']:>7} {row['requests']:>8} {row['req_per_s']:>7} {row['p50_ms']:>7} "
              f"{row['p95_ms']:>7}  {row['statuses']}")
        if "costly" in row:
            print(f"        + requête coûteuse : {row['costly']} envoyées, p50 {row['costly_p50_ms']} ms")
    print("charge moyenne : " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
