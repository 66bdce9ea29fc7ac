"""``show``, ``facets`` and ``stats``: look at one resource or at the whole index."""

from __future__ import annotations

import click

from indexer.metadata import explain_metadata
from search import DocumentNotFoundError
from search.cli.group import cli, echo_json, index_dir_option, index_dir_path, json_option, open_searcher, private_option
from search.render import render_document, render_facets, render_stats


@cli.command("show")
@click.argument("doc_id", metavar="ID")
@index_dir_option
@private_option
@json_option
@click.option("--explain", is_flag=True, help="Dire quelle règle et quel passage ont produit chaque métadonnée.")
def show_command(doc_id, index_dir, include_private, as_json, explain):
    """Afficher la ressource ID et ses métadonnées."""
    with open_searcher(index_dir_path(index_dir)) as searcher:
        try:
            doc = searcher.document(doc_id, include_private=include_private)
        except DocumentNotFoundError as exc:
            raise click.ClickException(str(exc)) from exc
    explained = explain_metadata(doc) if explain else None
    if as_json:
        data = doc.to_dict()
        if explained is not None:
            data["explain"] = {facet: [e.to_dict() for e in found] for facet, found in explained.items()}
        echo_json(data)
    else:
        click.echo(render_document(doc, explained))


@cli.command("facets")
@index_dir_option
@private_option
@json_option
def facets_command(index_dir, include_private, as_json):
    """Lister chaque valeur de facette avec son nombre de ressources.

    Les territoires sont listés par niveau : région, département, EPCI, commune.
    """
    with open_searcher(index_dir_path(index_dir)) as searcher:
        facets = searcher.facets(include_private=include_private)
    if as_json:
        echo_json(facets)
    else:
        from indexer.metadata import territories_by_level  # loads the territory table: only here

        click.echo(render_facets(facets, territory_levels=territories_by_level(facets["territory"])))


@cli.command("stats")
@index_dir_option
@private_option
@json_option
def stats_command(index_dir, include_private, as_json):
    """Taille, provenance et contenu de l'index."""
    with open_searcher(index_dir_path(index_dir)) as searcher:
        stats = searcher.stats(include_private=include_private)
    if as_json:
        echo_json(stats)
    else:
        click.echo(render_stats(stats))
