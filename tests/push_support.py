"""What the write API's tests share: a copy of the corpus index to write into, a document, a write token."""

from __future__ import annotations

import shutil

import pytest

WRITE_TOKEN = "jeton-ecriture-test-91c2"
# A short news item: its type, date and territories come from its text.
SCIC = {"title": "Retour sur la rencontre du 12 mars 2021 à Grenoble",
        "text": "La Ville de Grenoble (38) soutient une ressourcerie en SCIC depuis mars 2021."}


@pytest.fixture
def index_dir(corpus_index, tmp_path):
    """A private copy of the corpus index (each test writes into its own)."""
    target = tmp_path / "index"
    shutil.copytree(corpus_index, target, symlinks=True)
    return target
