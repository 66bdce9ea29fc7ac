"""``rtes-search serve``: the JSON API and the search page over HTTP (uvicorn).

The web stack (the ``[http]`` extra) is imported only when this command runs,
so the rest of the CLI works without it.
"""

from __future__ import annotations

from pathlib import Path

import click

from indexer import IndexerError, ensure_index
from indexer.errors import IndexOutOfDateError
from search.cli.group import DEFAULT_CORPUS, cli, cluster_option, index_dir_option, index_dir_path


def _create_app(index_dir: Path | str, rate: str | None, cors: tuple[str, ...], proxies: tuple[str, ...],
                **addresses):
    """The app and its settings; ``addresses``: host, port, public_url, frame_ancestors (None: not given)."""
    try:
        from search.http import Settings, create_app
        from search.http.settings import parse_rate
    except ImportError as exc:
        raise click.ClickException(
            f"le serveur web n'est pas installé ({exc.name}) : pip install 'rtes-search[http]'"
        ) from exc
    try:
        rate_limit, window = parse_rate(rate) if rate else (None, None)
        settings = Settings.from_env(index_dir=index_dir, rate_limit=rate_limit, rate_window=window,
                                     cors_origins=cors or None, trusted_proxies=proxies or None, **addresses)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    return create_app(settings), settings


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port d'écoute.")
@index_dir_option
@cluster_option
@click.option("--build", is_flag=True, help="Construire l'index depuis corpus/ s'il manque ou a changé.")
@click.option("--rate-limit", metavar="N/SECONDES",
              help="Requêtes permises par client (défaut : $RTES_SEARCH_RATE_LIMIT, sinon 120/60 ; 0 : sans limite).")
@click.option("--cors-origin", "cors", multiple=True, metavar="ORIGINE",
              help="Origine autorisée à appeler l'API depuis un navigateur (répétable ; * pour toutes).")
@click.option("--trusted-proxy", "proxies", multiple=True, metavar="ADRESSE",
              help="Proxy dont on croit l'en-tête X-Forwarded-For (répétable ; défaut : "
                   "$RTES_SEARCH_TRUSTED_PROXIES, sinon aucun).")
@click.option("--public-url", metavar="URL",
              help="Adresse publique du serveur, base des liens absolus du flux et d'OpenSearch "
                   "(défaut : $RTES_SEARCH_PUBLIC_URL, sinon l'adresse d'écoute).")
@click.option("--frame-ancestor", "frame_ancestors", multiple=True, metavar="SITE",
              help="Site autorisé à afficher les pages dans un cadre (répétable ; défaut : "
                   "$RTES_SEARCH_FRAME_ANCESTORS, sinon aucun autre que ce serveur).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Processus serveurs (chacun son index ouvert et sa limite de débit).")
def serve_command(host, port, index_dir, cluster, build, rate_limit, cors, proxies, public_url, frame_ancestors,
                  workers):
    """Servir la page de recherche (/) et l'API JSON (/api/v1, /openapi.json).

    Jetons d'accès aux ressources privées : $RTES_SEARCH_TOKENS (séparés par des
    virgules) ou $RTES_SEARCH_TOKENS_FILE (un jeton ou « sha256:<hex> » par ligne).
    Derrière un proxy inverse, nommez-le avec --trusted-proxy pour que la limite de
    débit compte l'adresse du client plutôt que celle du proxy.

    Exemple : rtes-search serve --port 8000 --index-dir index
    """
    directory = index_dir_path(index_dir)
    if build and not cluster:
        try:
            ensure_index(directory, [Path(DEFAULT_CORPUS)])
        except IndexOutOfDateError as exc:  # a read-only folder: serve what is there
            click.echo(f"Attention : {exc}", err=True)
        except IndexerError as exc:
            raise click.ClickException(str(exc)) from exc
    app, settings = _create_app(cluster or directory, rate_limit, cors, proxies, host=host, port=port,
                                public_url=public_url, frame_ancestors=frame_ancestors or None)
    from search.http.server import PortUnavailableError, check_port, serve

    try:
        check_port(host, port)
    except PortUnavailableError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"rtes-search : http://{host}:{port}/ (Ctrl-C pour arrêter)", err=True)
    serve(app, settings, host, port, workers)
