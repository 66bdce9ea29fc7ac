"""Helpers shared by the HTTP, fuzzing and browser tests: an app over the corpus index."""

from __future__ import annotations

from pathlib import Path

from search.http import Settings, create_app
from search.http.auth import hash_token

TOKEN = "jeton-de-test-7f3a"
WEBINAR = "retour-sur-la-conference-en-ligne-marches-reserves-du-5-juin-2018"
SIEG = "les-services-d-interet-economique-general"


def make_app(index_dir: Path, **settings):
    """The real app over ``index_dir``, one valid token, no rate limit unless asked."""
    values = {"index_dir": Path(index_dir), "token_hashes": frozenset({hash_token(TOKEN)}), "rate_limit": 0}
    values.update(settings)
    return create_app(Settings(**values))
