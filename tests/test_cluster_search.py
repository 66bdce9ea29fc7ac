"""Searching a real 3-node Typesense cluster: the RTES evaluation, private resources, more than one page
of candidates, and faults (the leader killed during a loop of searches, an unreachable cluster, a wrong key).

The RTES corpus is indexed once under the alias ``rtes-search``, and the
first 600 CDTN articles under ``cdtn-search``: enough matches for
Typesense's counts and ranking to take over from the exact path (more than
250), compared with a local index of the same articles.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from indexer import FieldMapping, build_index
from search import Searcher, SearchError
from search.cluster import ClusterSearcher
from search.cluster.fetch import CANDIDATES, RESCORED, chain_window
from search.cluster.searcher import APPROXIMATE
from search.evaluation import read_queries
from search.http import Settings, create_app
from search.http.auth import hash_token
from search.plan import plan_search

from cluster_support import (
    JSONL, aliased, cdtn_sample, closed_ports, index_into, rtes, wait_for,
)
from conftest import CORPUS, ROOT, SIEG, WEBINAR
from http_support import TOKEN, served

pytestmark = pytest.mark.xdist_group("cluster")

PRIVATE_QUERY = "services d'intérêt économique général"


@pytest.fixture(scope="module")
def rtes_url(typesense_cluster) -> str:
    local, _ = typesense_cluster
    return index_into(local, "rtes-search", CORPUS)


@pytest.fixture(scope="module")
def cluster_searcher(rtes_url):
    with ClusterSearcher(rtes_url) as searcher:
        yield searcher


@pytest.fixture(scope="module")
def cdtn(typesense_cluster, tmp_path_factory):
    """600 CDTN articles in the cluster and in a local index: ``(cluster url, local index folder)``."""
    local, _ = typesense_cluster
    folder = tmp_path_factory.mktemp("cdtn-sample")
    sample = cdtn_sample(folder / "sample.jsonl", 600)
    build_index([sample], folder / "index", mapping=FieldMapping("doc_id", "title", "text"))
    return index_into(local, "cdtn-search", sample, *JSONL), folder / "index"


# -- the RTES evaluation queries -----------------------------------------------------------


def test_the_rtes_queries_find_the_same_first_resource_as_the_local_index(cluster_searcher, searcher):
    queries = read_queries(ROOT / "tests" / "eval" / "rtes" / "queries.tsv")
    same = [q.text for q in queries
            if [d for d, _ in cluster_searcher.ranking(q.text, depth=1)] == [d for d, _ in searcher.ranking(q.text, 1)]]
    assert len(same) >= 0.95 * len(queries), sorted({q.text for q in queries} - set(same))


def test_a_rebuild_is_followed_and_a_missing_collection_said(typesense_cluster):
    local, _ = typesense_cluster
    url = index_into(local, "refreshed", CORPUS)
    with ClusterSearcher(url) as cluster:
        before = cluster.stats()["generation"]
        assert cluster.refresh() is False
        done = rtes("index", CORPUS, "--cluster", url, "--rebuild", "--json", "-q")
        assert done.returncode == 0, done.stderr
        after = aliased(local, "refreshed")
        assert after != before and cluster.refresh() is True
        assert cluster.stats()["generation"] == after
        assert cluster.search("marchés réservés").hits[0].id == WEBINAR
    missing = rtes("search", "marchés", "--cluster", local.url("nulle-part"))
    assert missing.returncode == 1
    assert missing.stderr.startswith("Erreur : aucune collection « nulle-part » dans le cluster typesense://***@")


# -- private resources never appear without access ---------------------------------------------


def test_private_resources_never_appear_through_the_api(cluster_searcher):
    public = cluster_searcher.search(PRIVATE_QUERY, limit=20)
    assert SIEG not in [h.id for h in public.hits] and not any(h.private for h in public.hits)
    assert cluster_searcher.search(PRIVATE_QUERY, include_private=True).hits[0].id == SIEG
    assert cluster_searcher.stats()["documents"] == 9 and cluster_searcher.stats(include_private=True)["documents"] == 10
    assert sum(cluster_searcher.facets()["type"].values()) == 9
    for ranked in (cluster_searcher.similar(WEBINAR, limit=20), cluster_searcher.search("", limit=20)):
        assert SIEG not in [h.id for h in ranked.hits]
    for refused in (lambda: cluster_searcher.document(SIEG), lambda: cluster_searcher.similar(SIEG)):
        with pytest.raises(SearchError, match=f"aucune ressource avec l'identifiant {SIEG!r}"):
            refused()
    assert cluster_searcher.document(SIEG, include_private=True).private


def test_private_words_are_never_suggested_nor_corrected_to(cluster_searcher):
    # "informations" and "disponibles" are written only in the private resource.
    for typo, word in (("informatoins", "informations"), ("disponibels", "disponibles")):
        public = cluster_searcher.search(typo)
        assert public.total == 0 and public.suggestion is None and public.corrections == ()
        assert cluster_searcher.search(typo, include_private=True).suggestion == word
    title = "Les Services d’Intérêt Économique Général"
    assert title not in cluster_searcher.suggest("les serv")
    assert title in cluster_searcher.suggest("les serv", include_private=True)
    assert not any(s.lower().endswith("informations") for s in cluster_searcher.suggest("informat"))


def test_private_resources_never_appear_through_the_command_line(rtes_url):
    public = json.loads(rtes("search", PRIVATE_QUERY, "--cluster", rtes_url, "--json").stdout)
    assert SIEG not in [h["id"] for h in public["hits"]]
    private = json.loads(rtes("search", PRIVATE_QUERY, "--cluster", rtes_url, "--json", "--include-private").stdout)
    assert private["hits"][0]["id"] == SIEG
    for command in (("show", SIEG), ("similar", SIEG)):
        hidden = rtes(*command, "--cluster", rtes_url)
        assert hidden.returncode == 1 and hidden.stderr.strip() == f"Erreur : aucune ressource avec l'identifiant '{SIEG}'"
    assert json.loads(rtes("stats", "--cluster", rtes_url, "--json").stdout)["documents"] == 9
    facets = json.loads(rtes("facets", "--cluster", rtes_url, "--json").stdout)
    assert sum(facets["year"].values()) == 9
    similar = json.loads(rtes("similar", WEBINAR, "--cluster", rtes_url, "--json", "--limit", 20).stdout)
    assert SIEG not in [h["id"] for h in similar["hits"]]
    exported = rtes("search", PRIVATE_QUERY, "--cluster", rtes_url, "--csv").stdout
    assert WEBINAR in exported and SIEG not in exported


def test_private_resources_never_appear_through_http(rtes_url):
    settings = Settings(index_dir=rtes_url, token_hashes=frozenset({hash_token(TOKEN)}), rate_limit=0)
    with TestClient(create_app(settings)) as client:
        for headers in ({}, {"Authorization": TOKEN}):  # a token that is no bearer: public
            hits = client.get("/api/v1/search", params={"q": PRIVATE_QUERY}, headers=headers).json()["hits"]
            assert SIEG not in [h["id"] for h in hits]
            assert client.get(f"/api/v1/documents/{SIEG}", headers=headers).status_code == 404
            assert client.get(f"/api/v1/documents/{SIEG}/similar", headers=headers).status_code == 404
            assert client.get("/health", headers=headers).json()["documents"] == 9
            assert sum(client.get("/api/v1/facets", headers=headers).json()["year"].values()) == 9
            suggestions = client.get("/api/v1/suggest", params={"q": "les serv"}, headers=headers).json()
            assert "Les Services d’Intérêt Économique Général" not in suggestions["suggestions"]
        allowed = {"Authorization": f"Bearer {TOKEN}"}
        assert client.get("/api/v1/search", params={"q": PRIVATE_QUERY}, headers=allowed).json()["hits"][0]["id"] == SIEG
        assert client.get("/health", headers=allowed).json()["documents"] == 10


def test_serve_takes_the_cluster_address(rtes_url, tmp_path):
    import httpx

    with served(tmp_path / "no-index", "--cluster", rtes_url) as base:
        answer = httpx.get(f"{base}/api/v1/search", params={"q": "marchés réservés"}, timeout=10).json()
    assert answer["hits"][0]["id"] == WEBINAR


# -- more matches than one fetch: Typesense counts and ranks first ---------------------------


def test_beyond_250_matches_counts_are_typesense_s_and_the_first_hits_ours(cdtn):
    url, index = cdtn
    with ClusterSearcher(url) as cluster, Searcher(index) as local:
        for query in ("salarié employeur", "contrat de travail", "travail"):
            ours, theirs = cluster.search(query, limit=10), local.search(query, limit=10)
            assert ours.total > CANDIDATES and ours.total == theirs.total, query
            assert ours.facets == theirs.facets and ours.hits[0].id == theirs.hits[0].id, query
            assert ours.hits[0].score == pytest.approx(theirs.hits[0].score)
            assert [w for w in ours.warnings if w != APPROXIMATE] == list(theirs.warnings)
        exported = cluster.hits("salarié employeur")
        assert len(exported) == min(1000, cluster.search("salarié employeur").total) == len({h.id for h in exported})
        assert exported[0].id == local.hits("salarié employeur")[0].id
        deep = cluster.search("salarié employeur", limit=100, page=3)
        assert len(deep.hits) == 100 and len({h.id for h in deep.hits}) == 100, "pages beyond the re-scored ones"
        beyond = cluster.search("salarié employeur", limit=100, page=deep.pages + 1)
        assert beyond.hits == () and beyond.warnings[-1].startswith("la page")
        by_date = cluster.search("salarié", sort="date", limit=5, page=2)
        assert by_date.sort == "date" and len(by_date.hits) == 5
        exact = cluster.search('"contrat de travail"')
        assert exact.total == local.search('"contrat de travail"').total, "no more than 250 candidates: exact"
        assert APPROXIMATE not in exact.warnings
        unsaid = cluster.search("travail -titre:article")  # a negation of one field: no filter says it
        assert APPROXIMATE in unsaid.warnings and unsaid.total > local.search("travail -titre:article").total
        assert not any(h.title.lower().startswith("article") for h in unsaid.hits), "the hits shown are exact"


def test_beyond_250_matches_each_word_weighs_as_in_the_local_index(cdtn):
    """The coordination weighs each word by its idf among the documents searched (``search.ranking.rarity``):
    the cluster, which ranks only the documents it fetched, has Typesense count them, so the documents
    both backends rank get the same scores, those lacking a word of the query too."""
    url, index = cdtn
    with ClusterSearcher(url) as cluster, Searcher(index) as local:
        for query in ("salarié accident", "rupture du contrat de travail"):
            ours, theirs = dict(cluster.ranking(query, depth=60)), dict(local.ranking(query, depth=60))
            common = ours.keys() & theirs.keys()
            assert local.search(query).total > RESCORED and len(common) >= 40, query
            assert {doc: ours[doc] for doc in common} == pytest.approx({doc: theirs[doc] for doc in common}), query


def test_every_document_of_a_rare_word_is_re_scored_beside_a_frequent_one(cdtn):
    """Typesense ranks a document holding only ``salarié`` beside one holding only ``accident``: 5 of the
    26 documents holding ``accident`` were beyond the 250 re-scored, though BM25 ranks them high."""
    url, index = cdtn
    with ClusterSearcher(url) as cluster, Searcher(index) as local:
        for query, rare in (("salarié accident", "accident"), ("salarié pathologie", "pathologie")):
            assert local.search(query).total > RESCORED, query
            holding = {doc for doc, _ in local.ranking(rare, depth=RESCORED)}
            assert holding and holding <= {doc for doc, _ in cluster.ranking(query, depth=RESCORED)}, query


def test_the_search_sent_ahead_of_the_rare_terms_gives_the_window_of_one_step_after_the_other(cdtn, monkeypatch):
    """The rare terms' step surely finds fewer than the window, so the next step is searched beside it;
    whether it guesses how many the first finds right, too many (a filter left some out) or too few, the
    window is the one the steps give one after the other."""
    url, _ = cdtn
    with ClusterSearcher(url) as cluster:
        request = cluster._request(plan_search("salarié accident", cluster.view(False), {}), False)
        surely = request.ahead(0, RESCORED)
        assert surely is not None and 0 < surely < RESCORED
        assert request.ahead(1, RESCORED) is None and request.ahead(0, surely) is None
        sent_ahead = [doc["id"] for doc in chain_window(cluster.reader, request, 0, RESCORED)]
        assert len(sent_ahead) == RESCORED == len(set(sent_ahead))
        for guess in (None, surely + 40, 0):
            monkeypatch.setattr(request, "ahead", lambda step, wanted, guess=guess: guess if step == 0 else None)
            assert [doc["id"] for doc in chain_window(cluster.reader, request, 0, RESCORED)] == sent_ahead, guess


def test_the_planner_counts_joined_pairs_with_the_query_and_a_rare_word_s_splits_at_once(rtes_url, monkeypatch):
    """``expect`` counts, in its one round trip, the query's words and the joined form of adjacent ones
    (``marchés publics``: ``marchespublics``); the splits of a rare word (``structures``: ``st`` +
    ``ructures``, ``str`` + ``uctures``…) are counted in one request, not one per split."""
    from search.cluster.reader import CollectionReader

    with ClusterSearcher(rtes_url) as cluster:
        query = "marchés publics réservés aux structures d'insertion"
        view = cluster._expecting(query, False)
        asked = []  # the filters of each request the planner sends (not those of the threads it spreads to)
        for name in ("search", "search_spread"):
            sent = getattr(CollectionReader, name)

            def spy(self, searches, *args, sent=sent):
                if threading.current_thread() is threading.main_thread():
                    asked.append(" ".join(s.get("filter_by", "") for s in searches))
                return sent(self, searches, *args)
            monkeypatch.setattr(CollectionReader, name, spy)
        plan = plan_search(query, view, {})
    assert plan.clauses
    assert not [filters for filters in asked if "`marchespublics`" in filters]
    assert len([filters for filters in asked if "words:`str`" in filters]) == 1
    assert len([filters for filters in asked if "words:`st`" in filters and "words:`ructures`" in filters]) == 1


def test_a_search_sent_alone_goes_to_the_search_endpoint_and_answers_as_in_a_batch(cluster_searcher, monkeypatch):
    """One search whose parameters fit Typesense's query string is a GET of the search endpoint (a batch
    costs Typesense a parse and a rewrite of each answer); one that does not fit (a filter naming 400
    ids), and any batch, go through ``multi_search``. Either way the answer is the batch's."""
    from search.cluster.reader import MAX_QUERY_STRING
    from search.cluster.transport import Transport

    reader = cluster_searcher.reader
    ids = [f"absent-{n:04d}" for n in range(400)] + [SIEG, WEBINAR]
    ranked = {"q": "march réserv", "query_by": "title_terms,body_terms", "per_page": 5, "facet_by": "type,year",
              "include_fields": "id,type"}
    named = {"q": "*", "query_by": "words", "per_page": 5, "filter_by": f"id:[{','.join(ids)}]",
             "include_fields": "id"}
    sent = []
    request = Transport.request

    def spy(self, method, path, body=None):
        sent.append((method, path.split("?")[0]))
        return request(self, method, path, body)
    monkeypatch.setattr(Transport, "request", spy)
    alone = [reader.search([ranked]), reader.search([named])]
    assert [method for method, _ in sent] == ["GET", "POST"]
    assert sent[0][1] == f"/collections/{reader.collection}/documents/search" and sent[1][1] == "/multi_search"
    batched = reader.search([ranked, named])
    assert sent[2] == ("POST", "/multi_search")

    def seen(answer):
        return answer["found"], [h["document"] for h in answer["hits"]], answer.get("facet_counts")
    assert [seen(a) for [a] in alone] == [seen(a) for a in batched]
    assert alone[0][0]["found"] > 0 and alone[1][0]["found"] == 2
    assert len(urlencode(named)) > MAX_QUERY_STRING >= len(urlencode(ranked))


def test_a_threads_requests_keep_to_one_node_and_threads_take_the_nodes_in_turn(rtes_url, monkeypatch):
    """A search's requests all go to its thread's node, those it sends from worker threads too (the
    node that read the candidates finds them in its caches); another thread's search goes to another node."""
    from search.cluster.transport import Transport

    sent = []
    send = Transport._send

    def spy(self, node, method, path, body):
        sent.append((threading.current_thread().name, node))
        return send(self, node, method, path, body)
    monkeypatch.setattr(Transport, "_send", spy)
    with ClusterSearcher(rtes_url) as searcher:
        searcher.search("marchés réservés article 37 économie sociale")
        first = list(sent)
        sent.clear()
        other = threading.Thread(target=searcher.search, args=("tiers-lieux coopération",))
        other.start()
        other.join()
    assert len({name for name, _ in first}) > 1   # the planner's counts went through worker threads
    assert len({node for _, node in first}) == 1
    assert len({node for _, node in sent}) == 1 and sent[0][1] != first[0][1]


def test_a_collection_written_by_another_schema_version_is_refused_in_french(rtes_url, monkeypatch):
    """A collection of another layout (before ``C.texts``, say) would answer without texts: the searcher
    says to rebuild it rather than show empty results."""
    import search.cluster.searcher as searcher_module
    from search.errors import DamagedIndexError

    monkeypatch.setattr(searcher_module, "CLUSTER_SCHEMA_VERSION", searcher_module.CLUSTER_SCHEMA_VERSION + 1)
    with pytest.raises(DamagedIndexError, match="autre version de rtes-search : reconstruisez-la avec .*--rebuild"):
        ClusterSearcher(rtes_url)


# -- faults --------------------------------------------------------------------------------------


def test_searches_go_on_while_the_leader_is_killed(typesense_cluster, rtes_url):
    local, _ = typesense_cluster
    timeline, stop = [], threading.Event()

    def loop():
        with ClusterSearcher(rtes_url) as searcher:
            while not stop.is_set():
                try:
                    searcher.search("marchés réservés")
                    timeline.append((time.monotonic(), None))
                except SearchError as exc:
                    timeline.append((time.monotonic(), str(exc)))
                except Exception as exc:  # never expected: a traceback where a French error is due
                    unexpected.append(repr(exc))
                time.sleep(0.05)

    unexpected: list[str] = []
    worker = threading.Thread(target=loop)
    worker.start()
    try:
        wait_for(lambda: len(timeline) >= 5, 30, "searches answering before the kill")
        leader = local.leader()
        killed = time.monotonic()
        assert local.stop_node(leader, signal.SIGKILL)
        elected = wait_for(lambda: local.leader() not in (None, leader) and time.monotonic(), 30, "a new leader")
        wait_for(lambda: any(at > elected and error is None for at, error in timeline[-3:]), 30,
                 "searches answering after the election")
    finally:
        stop.set()
        worker.join(30)
    assert not worker.is_alive() and not unexpected, unexpected
    errors = [(at - killed, error) for at, error in timeline if error is not None]
    assert all(error.startswith(("cluster injoignable", "le cluster")) for _, error in errors), errors
    assert not errors or max(at for at, _ in errors) < 30, errors
    answered = [at for at, error in timeline if error is None]
    assert max(answered) > elected, "answers after the election too"
    local.start_node(leader)
    local.wait_ready(60)


def test_an_unreachable_cluster_fails_search_within_5_seconds(tmp_path):
    nodes = ",".join(f"127.0.0.1:{port}" for port in closed_ports(3))
    started = time.monotonic()
    done = rtes("search", "marchés", "--cluster", f"typesense://cle@{nodes}/rtes")
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Erreur : cluster injoignable") and "Traceback" not in done.stderr
    assert elapsed < 5 + 3, "≤ 5 s of waiting, plus the interpreter's start"


def test_a_wrong_key_is_a_french_error_for_every_command(typesense_cluster, rtes_url):
    local, _ = typesense_cluster
    wrong = rtes_url.replace(local.api_key, "mauvaise-cle")
    for command in (("search", "marchés"), ("show", WEBINAR), ("facets",), ("stats",), ("similar", WEBINAR)):
        done = rtes(*command, "--cluster", wrong)
        assert done.returncode == 1, (command, done.stderr)
        assert "clé d'API refusée" in done.stderr and "Traceback" not in done.stderr
        assert "mauvaise-cle" not in done.stderr, "the key is never shown"
