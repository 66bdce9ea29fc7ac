"""``rtes-search search``: ranked hits, snippets and facet counts."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import IndexerError, ensure_index
from search import InvalidFilterError, QuerySyntaxError, SearchError
from search.cli.group import (
    DEFAULT_CORPUS, cli, echo_results, index_dir_option, index_dir_path, json_option, nl_option, open_searcher,
    private_option,
)
from search.csv_export import MAX_CSV_ROWS, SEPARATORS, all_hits, csv_text
from search.render import render_results
from search.searcher import MAX_LIMIT


@cli.command("search")
@click.argument("query")
@index_dir_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT), help="Résultats par page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Numéro de page.")
@click.option("--type", "types", multiple=True, help="Filtrer par type de ressource.")
@click.option("--year", "years", multiple=True, help="Filtrer par année.")
@click.option("--theme", "themes", multiple=True, help="Filtrer par thème.")
@click.option("--territory", "territories", multiple=True, help="Filtrer par territoire.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--strict", is_flag=True, help="Refuser une requête mal formée (code 2, avec la position).")
@private_option
@json_option
@nl_option
@click.option("--csv", "as_csv", is_flag=True,
              help=f"Sortie CSV (UTF-8 avec BOM) : tous les résultats, au plus {MAX_CSV_ROWS}.")
@click.option("--csv-sep", type=click.Choice(SEPARATORS), help="Séparateur du CSV (; pour Excel en français).")
def search_command(
    query, index_dir, limit, page, types, years, themes, territories, sort, strict, include_private, as_json, as_nl,
    as_csv, csv_sep,
):
    """Chercher QUERY ("" liste toutes les ressources, les plus récentes d'abord).

    Syntaxe : mots (tous requis), "expression exacte", ET/OU/SAUF (AND/OR/NOT),
    -mot, parenthèses, constru*, titre: résumé: texte: type: année: thème: territoire:.

    Exemple : rtes-search search '"marchés réservés" SAUF insertion' --year 2018
    """
    directory = index_dir_path(index_dir)
    try:
        report = ensure_index(directory, [Path(DEFAULT_CORPUS)])
    except IndexerError as exc:
        raise click.ClickException(str(exc)) from exc
    if report:
        click.echo(f"index construit : {report.documents} documents", err=True)
    filters = {"type": types, "year": years, "theme": themes, "territory": territories}
    with open_searcher(directory) as searcher:
        try:
            if as_csv or csv_sep:
                hits = all_hits(searcher, query, filters, sort, include_private)
                click.echo(csv_text(hits, csv_sep or ","), nl=False)
                return
            results = searcher.search(
                query, filters=filters, limit=limit, page=page, sort=sort, include_private=include_private,
                strict=strict,
            )
        except (InvalidFilterError, QuerySyntaxError) as exc:
            raise click.UsageError(str(exc)) from exc
        except SearchError as exc:
            raise click.ClickException(str(exc)) from exc
    echo_results(results, as_json, as_nl, render_results)
