"""Hypothesis: whatever people type, the API never raises and the CLI never shows a traceback.

Queries mix arbitrary Unicode, the query language's own pieces (operators,
quotes of three kinds, parentheses, field prefixes, signs, ``*``) and real
words of the corpus, and include 10,000-character strings.
"""

from __future__ import annotations

import os

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import QuerySyntaxError
from search.cli import cli
from indexer.analysis import fold
from search.query import parse

PIECES = [
    "ET", "OU", "SAUF", "AND", "OR", "NOT", "(", ")", '"', "«", "»", "“", "”", "-", "+", "*", ":",
    "titre:", "résumé:", "type:", "année:", "annee:", "thème:", "territoire:", "auteur:", "texte:",
    "marchés", "réservés", "Enercop", "Enercoop", "SCIC", "co-construction", "constru*", "l'article", "37",
    "informations", "acheteurs", "le", "de", "ESS", "2018", "étude", "n°4", " ", "  ", "\n", "\t", "’",
]
language = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30).map("".join)
long_strings = st.tuples(st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=12)), st.integers(1, 10_000)).map(
    lambda t: (t[0] * (10_000 // len(t[0]) + 1))[: t[1] if t[1] < 5000 else 10_000]
)
queries = st.one_of(st.text(), language, long_strings)

# 10,000 searches (about 3 ms of CPU each on the test corpus); set RTES_HYPOTHESIS_EXAMPLES lower to iterate faster.
EXAMPLES = int(os.environ.get("RTES_HYPOTHESIS_EXAMPLES", "10000"))
API = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
SIDE = settings(max_examples=max(1, EXAMPLES // 10), deadline=None, suppress_health_check=list(HealthCheck))
CLI = settings(max_examples=max(1, EXAMPLES // 50), deadline=None, suppress_health_check=list(HealthCheck))


@API
@given(text=queries, private=st.booleans(), sort=st.sampled_from(["relevance", "date"]))
def test_search_never_raises(searcher, text, private, sort):
    results = searcher.search(text, include_private=private, sort=sort)
    assert results.total >= len(results.hits)
    assert private or not any(h.private for h in results.hits)
    for hit in results.hits:
        for snippet in hit.snippets:
            assert all(0 <= s < e <= len(snippet.text) for s, e in snippet.highlights)
    results.to_dict()


@SIDE
@given(text=queries)
def test_strict_raises_only_query_syntax_errors_at_a_real_position(searcher, text):
    try:
        searcher.search(text, strict=True)
    except QuerySyntaxError as error:
        assert 0 <= error.position < max(len(text), 1)
    assert all(0 <= w.position < len(text) for w in parse(text)[1])


@SIDE
@given(text=queries, private=st.booleans())
def test_suggest_never_raises_nor_leaks(searcher, text, private):
    found = searcher.suggest(text, include_private=private)
    assert len(found) <= 10
    # words and a title written only in the private resource, unless typed
    secret = [w for w in ("informations", "disponibles", "interet economique general") if w not in fold(text)]
    assert private or not any(w in fold(s) for s in found for w in secret)


@CLI
@given(text=queries, flags=st.sampled_from([[], ["--json"], ["--nl"], ["--strict"]]))
def test_cli_never_prints_a_traceback(corpus_index, text, flags):
    result = CliRunner().invoke(cli, ["search", "--index-dir", str(corpus_index), *flags, "--", text])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
