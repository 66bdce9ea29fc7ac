"""Time one costly query (issue 22: ``a* b* c* … z*``) through ``Searcher.search``: first and next runs.

    .venv/bin/python scripts/costly_query.py INDEX_DIR [--runs 5] [--budget SECONDS] [--query TEXT]

Prints each run's seconds, the hits' total and the warnings' count, then the
load average (the machine is shared: say it beside the figures).
"""

from __future__ import annotations

import argparse
import os
import string
import time

from search import Searcher

ATTACK = " ".join(f"{letter}*" for letter in string.ascii_lowercase)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=1.0, help="time budget of a search (0: none)")
    parser.add_argument("--query", default=ATTACK)
    args = parser.parse_args()
    with Searcher(args.index_dir, time_budget=args.budget or None) as searcher:
        searcher.search("ESS")  # opened and warm, as a server's searcher is
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            results = searcher.search(args.query)
            seconds = time.perf_counter() - started
            cut = any("arrêtée" in w for w in results.warnings)
            print(f"run {run}: {seconds:.3f} s, total {results.total}, {len(results.warnings)} warnings"
                  + (" (budget spent: partial)" if cut else ""))
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
