"""``rtes-search similar``: the resources closest to one resource."""

from __future__ import annotations

import click

from search import SearchError
from search.cli.group import (
    cli, cluster_option, echo_results, index_dir_option, index_dir_path, json_option, nl_option, open_searcher, private_option,
)
from search.render import render_similar
from search.limits import MAX_LIMIT


@cli.command("similar")
@click.argument("doc_id", metavar="ID")
@index_dir_option
@cluster_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT), help="Résultats par page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Numéro de page.")
@private_option
@json_option
@nl_option
def similar_command(doc_id, index_dir, cluster, limit, page, include_private, as_json, as_nl):
    """Lister les ressources proches de ID (mêmes termes clés), les plus proches d'abord.

    Exemple : rtes-search similar fiche-deniche-pour-vous-n-4-ville-de-lille-enercoop --limit 3
    """
    with open_searcher(index_dir_path(index_dir), cluster) as searcher:
        try:
            results = searcher.similar(doc_id, limit=limit, page=page, include_private=include_private)
            title = searcher.document(doc_id, include_private=include_private).title
        except SearchError as exc:  # unknown id; a cluster that stopped answering
            raise click.ClickException(str(exc)) from exc
    echo_results(results, as_json, as_nl, lambda r: render_similar(title, r))
