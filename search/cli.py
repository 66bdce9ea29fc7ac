"""The ``rtes-search`` command line: a thin click layer over the Python API.

Each command checks its arguments, calls one API function and formats the
result: JSON with ``--json``, text for people otherwise. Errors are one
French line on stderr with exit code 2 (usage) or 1 (runtime).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from indexer import IndexerError, build_index, ensure_index
from search import DocumentNotFoundError, SearchError, Searcher, default_index_dir
from search.errors import InvalidFilterError
from search.render import render_document, render_facets, render_results, render_stats

DEFAULT_CORPUS = "corpus"


def _index_dir(value: str | None) -> Path:
    return Path(value) if value else default_index_dir()


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _progress(quiet: bool):
    if quiet:
        return None

    def report(count, doc):
        click.echo(f"\rindexation : {count} documents", nl=False, err=True)

    return report


def _open(index_dir: Path) -> Searcher:
    try:
        return Searcher(index_dir)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from exc


index_dir_option = click.option(
    "--index-dir", metavar="DIR", help="Dossier de l'index (défaut : $RTES_SEARCH_INDEX, sinon index/)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Sortie JSON (un objet).")
private_option = click.option(
    "--include-private", is_flag=True, help="Inclure les ressources privées."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rtes-search")
def cli():
    """Moteur de recherche de la bibliothèque de ressources du RTES."""


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=True, path_type=Path))
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Reconstruire tout l'index.")
@click.option("--quiet", "-q", is_flag=True, help="Pas de progression sur stderr.")
@json_option
def index_command(paths, index_dir, rebuild, quiet, as_json):
    """Indexer les documents de PATHS (défaut : corpus/).

    Exemple : rtes-search index corpus/ --index-dir index/
    """
    paths = list(paths) or [Path(DEFAULT_CORPUS)]
    try:
        report = build_index(paths, _index_dir(index_dir), progress=_progress(quiet))
    except IndexerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        click.echo(err=True)
        for error in report.errors:
            click.echo(f"ignoré : {error}", err=True)
    if as_json:
        _echo_json(report.to_dict())
    else:
        click.echo(
            f"{report.indexed} documents indexés, {report.skipped} ignorés "
            f"en {report.seconds:.2f} s → {report.index_dir}"
        )


@cli.command("search")
@click.argument("query")
@index_dir_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Résultats par page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Numéro de page.")
@click.option("--type", "types", multiple=True, help="Filtrer par type de ressource.")
@click.option("--year", "years", multiple=True, help="Filtrer par année.")
@click.option("--theme", "themes", multiple=True, help="Filtrer par thème.")
@click.option("--territory", "territories", multiple=True, help="Filtrer par territoire.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@private_option
@json_option
def search_command(query, index_dir, limit, page, types, years, themes, territories, sort, include_private, as_json):
    """Chercher QUERY ("" liste toutes les ressources, les plus récentes d'abord).

    Exemple : rtes-search search "marchés réservés article 37" --year 2018
    """
    directory = _index_dir(index_dir)
    try:
        report = ensure_index(directory, [Path(DEFAULT_CORPUS)], progress=None)
    except IndexerError as exc:
        raise click.ClickException(str(exc)) from exc
    if report:
        click.echo(f"index construit : {report.indexed} documents", err=True)
    filters = {"type": types, "year": years, "theme": themes, "territory": territories}
    with _open(directory) as searcher:
        try:
            results = searcher.search(
                query, filters=filters, limit=limit, page=page, sort=sort, include_private=include_private
            )
        except InvalidFilterError as exc:
            raise click.UsageError(str(exc)) from exc
        except SearchError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json(results.to_dict())
    else:
        click.echo(render_results(results))


@cli.command("show")
@click.argument("doc_id")
@index_dir_option
@private_option
@json_option
def show_command(doc_id, index_dir, include_private, as_json):
    """Afficher la ressource DOC_ID et ses métadonnées."""
    with _open(_index_dir(index_dir)) as searcher:
        try:
            doc = searcher.document(doc_id, include_private=include_private)
        except DocumentNotFoundError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json(doc.to_dict())
    else:
        click.echo(render_document(doc))


@cli.command("facets")
@index_dir_option
@private_option
@json_option
def facets_command(index_dir, include_private, as_json):
    """Lister chaque valeur de facette avec son nombre de ressources."""
    with _open(_index_dir(index_dir)) as searcher:
        facets = searcher.facets(include_private=include_private)
    click.echo(json.dumps(facets, ensure_ascii=False, indent=2) if as_json else render_facets(facets))


@cli.command("stats")
@index_dir_option
@private_option
@json_option
def stats_command(index_dir, include_private, as_json):
    """Taille, provenance et contenu de l'index."""
    with _open(_index_dir(index_dir)) as searcher:
        stats = searcher.stats(include_private=include_private)
    click.echo(json.dumps(stats, ensure_ascii=False, indent=2) if as_json else render_stats(stats))


def main() -> None:
    """Console entry point: no traceback reaches a user unless RTES_SEARCH_DEBUG is set."""
    try:
        cli(standalone_mode=True)
    except Exception as exc:  # the last line of defence; known errors are handled above
        if os.environ.get("RTES_SEARCH_DEBUG"):
            raise
        click.echo(f"Erreur : erreur interne inattendue ({type(exc).__name__}: {exc})", err=True)
        sys.exit(1)
