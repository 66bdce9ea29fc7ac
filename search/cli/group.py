"""The click group every command module registers on, and their shared options.

Command modules are imported only when their command runs (``LazyGroup``):
``rtes-search search`` does not load the indexing or browsing commands, and
``--help`` or ``--version`` load no Whoosh at all. A new command module is
listed in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click

from search.cli.messages import FrenchGroup

DEFAULT_CORPUS = "corpus"

# Command name → the module that registers it on ``cli``.
COMMAND_MODULES = {
    "index": "search.cli.index_cmd",
    "crawl": "search.cli.crawl_cmd",
    "similar": "search.cli.similar_cmd",
    "eval": "search.cli.eval_cmd",
    "search": "search.cli.search_cmd",
    "show": "search.cli.browse_cmd",
    "facets": "search.cli.browse_cmd",
    "stats": "search.cli.browse_cmd",
    "serve": "search.cli.serve_cmd",
    "cluster": "search.cli.cluster_cmd",
}


class LazyGroup(FrenchGroup):
    """A click group that imports a command's module the first time it is asked for."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMAND_MODULES))

    def get_command(self, ctx, name):
        if name not in self.commands and name in COMMAND_MODULES:
            importlib.import_module(COMMAND_MODULES[name])
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rtes-search")
def cli():
    """Moteur de recherche de la bibliothèque de ressources du RTES."""


index_dir_option = click.option(
    "--index-dir", metavar="DOSSIER", help="Dossier de l'index (défaut : $RTES_SEARCH_INDEX, sinon index/)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Sortie JSON (un objet).")
nl_option = click.option("--nl", "as_nl", is_flag=True, help="Une ligne JSON par résultat (NDJSON), pour enchaîner.")
private_option = click.option("--include-private", is_flag=True, help="Inclure les ressources privées.")


def _check_cluster(ctx, param, value: str | None) -> str | None:
    """Refuse a malformed cluster address as a usage error (exit 2), before anything runs."""
    if value:
        from indexer.cluster import ClusterAddressError, parse_cluster_url

        try:
            parse_cluster_url(value)
        except ClusterAddressError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    return value or None


cluster_option = click.option(
    "--cluster", metavar="URL", envvar="RTES_SEARCH_CLUSTER", callback=_check_cluster,
    help="Cluster Typesense typesense://HÔTE:PORT[,HÔTE:PORT…]/COLLECTION au lieu de l'index local "
    "(défaut : $RTES_SEARCH_CLUSTER) ; sa clé d'API dans le fichier $RTES_SEARCH_CLUSTER_KEY_FILE ou dans "
    "$RTES_SEARCH_CLUSTER_KEY, jamais sur la ligne de commande, que ps montre à tous.",
)


NO_INDEX_HERE = (
    "pas d'index ici : ni index/ ni corpus/ dans ce dossier. Lancez la commande dans le dossier du projet, "
    "construisez un index avec « rtes-search index DOSSIER_DES_RESSOURCES », "
    "ou indiquez le vôtre avec --index-dir ou $RTES_SEARCH_INDEX"
)


def outside_a_project(directory: Path) -> bool:
    """Whether ``directory`` is the default ``index/`` and neither it nor ``corpus/`` is here:
    the command was run outside a project folder (say so, not that ``corpus`` is missing)."""
    from search.backend import DEFAULT_INDEX_DIR

    return directory == Path(DEFAULT_INDEX_DIR) and not directory.exists() and not Path(DEFAULT_CORPUS).exists()


def index_dir_path(value: str | None) -> Path:
    """``--index-dir`` if given, else the API's default location."""
    from search import default_index_dir  # here, so that --help loads no Whoosh

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


def open_searcher(index_dir: Path, cluster: str | None = None):
    """Open the cluster's collection when ``cluster`` is given, else the index (``search.open_searcher``);
    fail with the API's French message (exit code 1)."""
    from search import SearchError
    from search import open_searcher as open_backend

    try:
        return open_backend(cluster or index_dir)
    except SearchError as exc:
        raise click.ClickException(NO_INDEX_HERE if not cluster and outside_a_project(index_dir) else str(exc)) from exc
