"""The click group every command module registers on, and their shared options."""

from __future__ import annotations

import json
from pathlib import Path

import click

from search import SearchError, Searcher, default_index_dir

DEFAULT_CORPUS = "corpus"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rtes-search")
def cli():
    """Moteur de recherche de la bibliothèque de ressources du RTES."""


index_dir_option = click.option(
    "--index-dir", metavar="DIR", help="Dossier de l'index (défaut : $RTES_SEARCH_INDEX, sinon index/)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Sortie JSON (un objet).")
private_option = click.option("--include-private", is_flag=True, help="Inclure les ressources privées.")


def index_dir_path(value: str | None) -> Path:
    """``--index-dir`` if given, else the API's default location."""
    return Path(value) if value else default_index_dir()


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_searcher(index_dir: Path) -> Searcher:
    """Open the index or fail with the API's French message (exit code 1)."""
    try:
        return Searcher(index_dir)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from exc
