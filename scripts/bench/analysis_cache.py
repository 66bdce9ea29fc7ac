#!/usr/bin/env python3
"""Check the word cache against the analyzers on whole corpora, and time both.

    .venv/bin/python scripts/bench/analysis_cache.py [FILE.jsonl.gz ...]

For every title and text of the RTES export and of each JSONL file (CDTN
and the law articles by default), compares ``WordCache.tokens`` with the
analyzer's own tokens (text, position, start and end offsets), for the
French and the plain chain; prints the texts, tokens and mismatches, and
the CPU microseconds per token of each way. Exit code 1 on any mismatch.
A check too long for the test suite (tests/test_analysis_cache.py samples it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from indexer import iter_documents
from indexer.analysis import french_analyzer, plain_analyzer
from indexer.analysis.cache import WordCache

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = [
    ROOT / "data" / "cdtn-datafiller-2020" / "corpus.jsonl.gz",
    ROOT / "data" / "codes-juridiques-francais" / "articles.jsonl.gz",
]


def texts(paths: list[Path]):
    for doc in iter_documents([ROOT / "corpus"]):
        yield from (doc.title, doc.summary, doc.body)
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                yield record.get("title") or ""
                yield record.get("text") or ""


def check(analyzer, all_texts: list[str]) -> dict:
    cache, mismatches, tokens, uncached, cached = WordCache(analyzer, offsets=True), 0, 0, 0.0, 0.0
    for text in all_texts:
        started = time.process_time()
        expected = [
            (t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, boosts=True, mode="index") if not t.stopped
        ]
        middle = time.process_time()
        got = cache.tokens(text)
        uncached, cached = uncached + middle - started, cached + time.process_time() - middle
        tokens += len(expected)
        mismatches += got != expected
    return {
        "texts": len(all_texts), "tokens": tokens, "mismatches": mismatches, "words": len(cache._words),
        "uncached_us_per_token": round(uncached / tokens * 1e6, 3), "cached_us_per_token": round(cached / tokens * 1e6, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    all_texts = list(texts(parser.parse_args().files))
    failed = False
    for name, analyzer in (("french", french_analyzer()), ("plain", plain_analyzer())):
        result = check(analyzer, all_texts)
        print(name, json.dumps(result))
        failed |= bool(result["mismatches"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
