"""Operator settings: tokens stored hashed, rate and CORS from the environment; doctests of the web face."""

from __future__ import annotations

import doctest

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.http import auth, ratelimit, settings
from search.http.auth import bearer_allows, hash_token, load_token_hashes
from search.http.server import settings_environment
from search.http.settings import Settings, parse_rate


def test_tokens_from_variable_and_file_are_kept_as_digests(tmp_path):
    token_file = tmp_path / "jetons"
    token_file.write_text(f"# jetons des partenaires\nclair-1\nsha256:{hash_token('haché-2').upper()}\n\n")
    digests = load_token_hashes({"RTES_SEARCH_TOKENS": "var-1, var-2", "RTES_SEARCH_TOKENS_FILE": str(token_file)})
    assert digests == {hash_token(t) for t in ("var-1", "var-2", "clair-1", "haché-2")}
    assert not any("clair" in d or "var" in d for d in digests)
    assert bearer_allows("Bearer haché-2", digests) and bearer_allows("bearer  var-1 ", digests)
    assert not bearer_allows("Basic var-1", digests) and not bearer_allows("Bearer ", digests)


def test_unreadable_token_file_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="fichier de jetons illisible"):
        load_token_hashes({"RTES_SEARCH_TOKENS_FILE": str(tmp_path / "absent")})


def test_settings_from_environment(tmp_path):
    env = {"RTES_SEARCH_RATE_LIMIT": "30/10", "RTES_SEARCH_CORS_ORIGINS": "https://a.example, https://b.example",
           "RTES_SEARCH_INDEX": str(tmp_path), "RTES_SEARCH_TOKENS": "t"}
    loaded = Settings.from_env(env)
    assert (loaded.rate_limit, loaded.rate_window, loaded.index_dir) == (30, 10.0, tmp_path)
    assert loaded.cors_origins == ("https://a.example", "https://b.example")
    assert Settings.from_env(env, rate_limit=0, cors_origins=None).rate_limit == 0


@pytest.mark.parametrize("target", ["folder", "typesense://clé@127.0.0.1:8108,127.0.0.1:8109/rtes"])
def test_worker_processes_rebuild_the_same_settings_whatever_they_inherit(tmp_path, target):
    index_dir = tmp_path / "index" if target == "folder" else target
    parent = Settings(index_dir=index_dir, rate_limit=30, rate_window=10.0, trusted_proxies=("10.0.0.1",))
    # A worker inherits the parent's environment, which may name the other kind of index.
    inherited = {"RTES_SEARCH_INDEX": "/elsewhere", "RTES_SEARCH_CLUSTER": "typesense://k@10.0.0.9:8108/other"}
    worker = Settings.from_env({**inherited, **settings_environment(parent)})
    assert (worker.index_dir, worker.rate_limit, worker.trusted_proxies) == (index_dir, 30, ("10.0.0.1",))


@pytest.mark.parametrize("text", ["beaucoup", "10/0", "-1/60"])
def test_bad_rate_is_refused(text):
    with pytest.raises(ValueError, match="limite de débit"):
        parse_rate(text)


@pytest.mark.parametrize("module", [auth, ratelimit, settings])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_serve_refuses_a_bad_rate_before_starting(corpus_index):
    result = CliRunner().invoke(cli, ["serve", "--index-dir", str(corpus_index), "--rate-limit", "vite"])
    assert result.exit_code == 2 and "limite de débit illisible : 'vite'" in result.stderr
