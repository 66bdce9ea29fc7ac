"""``rtes-search crawl``: fetch the site's resource pages and PDFs into a crawl folder."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from indexer.crawl.crawler import crawl
from search.cli.group import cli, echo_json, json_option

DEFAULT_OUT = "corpus/site"


def _progress(quiet: bool):
    if quiet:
        return None

    def report(url: str, outcome: str) -> None:
        click.echo(f"{outcome} : {url}", err=True)

    return report


@cli.command("crawl")
@click.argument("url")
@click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Dossier du crawl (crawl.json + files/), à indexer ensuite.")
@click.option("--max-pages", default=500, show_default=True, type=click.IntRange(1),
              help="Requêtes au plus pour ce passage.")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(0),
              help="Secondes d'attente entre deux requêtes.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1),
              help="Délai maximal d'une requête (s).")
@click.option("--resources-only", is_flag=True,
              help="À l'indexation, seulement les fiches de ressources du RTES (champ « Type de ressource »).")
@click.option("--quiet", "-q", is_flag=True, help="Pas de journal des requêtes sur stderr.")
@json_option
def crawl_command(url, out_dir, max_pages, delay, timeout, resources_only, quiet, as_json):
    """Explorer le site de URL (sans le quitter) et enregistrer pages et PDF.

    Respecte robots.txt et rel="nofollow", attend entre les requêtes, ne
    retélécharge que ce qui a changé (ETag / Last-Modified), reprend un
    crawl interrompu. Ensuite : rtes-search index corpus/site/

    Sont indexées les pages dont le contenu principal est un vrai texte (ni
    l'accueil, ni une liste de liens) ; avec --resources-only, seulement les
    fiches de ressources du RTES.

    Exemple : rtes-search crawl https://www.rtes.fr/ --max-pages 200 --delay 2
    """
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise click.BadParameter(f"URL http(s) attendue (reçu {url!r})", param_hint="URL")
    try:
        report = crawl(url, out_dir, max_pages=max_pages, delay=delay, timeout=timeout, progress=_progress(quiet),
                       resources_only=resources_only)
    except OSError as exc:
        raise click.ClickException(f"impossible d'écrire le crawl dans {out_dir} : {exc.strerror or exc}") from exc
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo(
        f"pages : {report.fetched} récupérée(s), {report.unchanged} inchangée(s), {report.removed} supprimée(s), "
        f"{len(report.errors)} erreur(s), {report.robots_excluded} exclue(s) par robots.txt, "
        f"{report.pending} en attente → {report.out_dir}"
    )
