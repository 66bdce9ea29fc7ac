"""The speed benchmark: index sizes × query modes, ours against plain Whoosh.

``python -m bench`` builds indexes of several sizes from the French law
codes (data/codes-juridiques-francais/), runs real French queries (the CDTN
query strings, bench/queries.tsv) after a warm-up, and writes a JSON result
and a Markdown table. Each build and each search session runs in its own
process (bench/worker.py) so that its peak memory is its own. Not part of
the test suite: tests/test_bench.py only runs it on tiny sizes.
"""
