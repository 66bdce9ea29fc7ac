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
nl_option = click.option("--nl", "as_nl", is_flag=True, help="Une ligne JSON par résultat (NDJSON), pour enchaîner.")
private_option = click.option("--include-private", is_flag=True, help="Inclure les ressources privées.")


def index_dir_path(value: str | None) -> Path:
    """``--index-dir`` if given, else the API's default location."""
    return Path(value) if value else default_index_dir()


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def echo_results(results, as_json: bool, as_nl: bool, render) -> None:
    """``--json``: one object; ``--nl``: one compact JSON hit per line; else ``render(results)``."""
    if as_nl:
        for hit in results.hits:
            click.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
    elif as_json:
        echo_json(results.to_dict())
    else:
        click.echo(render(results))


def open_searcher(index_dir: Path) -> Searcher:
    """Open the index or fail with the API's French message (exit code 1)."""
    try:
        return Searcher(index_dir)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from exc
