"""``rtes-search index``: bring the index up to date with corpus files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from indexer import FieldMapping, IndexerError, IndexProgress, build_index, update_index
from indexer.disk import french_size
from indexer.storage import IndexCheck, check_index, repair_command
from search.cli.group import (
    DEFAULT_CORPUS, cli, cluster_option, echo_json, index_dir_path, index_dir_option, json_option,
)

# Seconds between two progress lines on a terminal (rewritten in place), and
# in a log (one line each): often enough to see it move, rarely enough to cost nothing.
PROGRESS_EVERY = {True: 0.5, False: 10.0}


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def progress_line(p: IndexProgress) -> str:
    """``indexation : 1200/5000 documents, 410 docs/s, reste ~9 s`` (no total on a first build)."""
    done = f"{p.done}/{p.expected}" if p.expected else str(p.done)
    eta = f", reste ~{_duration(p.eta)}" if p.eta is not None else ""
    return f"indexation : {done} documents, {p.rate:.0f} docs/s{eta}"


def _progress(quiet: bool, tty: bool):
    """A callback printing a progress line now and then; none for short runs or ``--quiet``."""
    if quiet:
        return None
    last = [time.monotonic()]

    def report(p: IndexProgress) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY[tty]:
            last[0] = now
            line = progress_line(p)
            click.echo("\r" + line.ljust(70) if tty else line, nl=not tty, err=True)

    return report


def check_lines(found: IndexCheck) -> list[str]:
    """The French report of ``index --check``: one line when intact, else each problem and the repair."""
    where = f"{found.generation.name}, {found.files} fichiers, {french_size(found.size)}"
    if not found.problems:
        if not found.checksums:
            return [f"index lisible : {where} ; écrit sans sommes de contrôle, seules les tailles et les "
                    f"en-têtes sont vérifiés (« --rebuild » les ajoute)"]
        return [f"index intact : {where}, chaque bloc conforme à sa somme de contrôle"]
    index_dir = found.generation.parent
    return [
        f"index endommagé dans {index_dir} ({where}) : {len(found.problems)} problème(s)",
        *(f"  {problem}" for problem in found.problems),
        f"reconstruisez-le : {repair_command(index_dir)}",
    ]


def run_check(directory: Path, as_json: bool) -> None:
    """``index --check``: read every file of the current generation against its checksums; exit 1 when damaged."""
    try:
        found = check_index(directory)
    except IndexerError as exc:  # a broken ``current`` link or manifest: nothing else can be read
        raise click.ClickException(str(exc)) from exc
    if found is None:
        raise click.ClickException(f"aucun index dans {directory} : lancez « rtes-search index »")
    if as_json:
        echo_json({
            "index_dir": str(directory), "generation": found.generation.name, "files": found.files,
            "size_bytes": found.size, "checksums": found.checksums, "problems": list(found.problems),
            "intact": not found.problems,
        })
    else:
        lines = check_lines(found)
        click.echo("\n".join(lines), err=bool(found.problems))
    if found.problems:
        sys.exit(1)


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=True, path_type=Path))
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Tout réécrire dans un nouvel index (bascule atomique à la fin).")
@click.option("--prune", is_flag=True, help="Supprimer de l'index les documents absents de PATHS.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV : colonne de l'identifiant.")
@click.option("--title-field", default="title", show_default=True, help="JSONL/CSV : colonne du titre.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV : colonne du texte.")
@click.option("--field", "fields", multiple=True, metavar="CHAMP=COLONNE",
              help="JSONL/CSV : colonne d'un autre champ (type, year, theme, territory, summary, url, private…).")
@click.option("--resources-only", is_flag=True,
              help="Crawl : seulement les fiches de ressources (champ « Type de ressource »), "
                   "pas toute page de texte.")
@click.option("--meaning/--no-meaning", default=None,
              help="Écrire (ou non) les vecteurs de sens des documents, qui réordonnent les premiers résultats "
                   "par le sens (extra [meaning]) ; sans l'option, comme l'index existant.")
@click.option("--quiet", "-q", is_flag=True, help="Pas de progression sur stderr.")
@click.option("--check", is_flag=True,
              help="Vérifier tout l'index (chaque bloc de chaque fichier contre sa somme de contrôle) "
                   "sans rien écrire ; code 1 s'il est endommagé.")
@cluster_option
@json_option
def index_command(
    paths, index_dir, rebuild, prune, id_field, title_field, text_field, fields, resources_only, meaning, quiet,
    check, cluster, as_json,
):
    """Indexer les documents de PATHS (défaut : corpus/) : ajoute les nouveaux,
    met à jour ceux dont le contenu a changé, ne touche pas aux autres.

    Formats lus : export texte du RTES et texte brut (.txt), Markdown (.md),
    pages HTML, PDF, OpenDocument (.odt, .ods, .odp), Word (.docx),
    PowerPoint (.pptx), dossier d'un crawl (crawl.json), JSONL et CSV (.gz
    accepté). Les autres fichiers et les README sont signalés, non indexés.

    Exemple : rtes-search index data.jsonl.gz --id-field doc_id --index-dir /tmp/ix

    Vérifier un index : rtes-search index --check --index-dir /tmp/ix
    """
    if check:
        if paths or rebuild or prune or cluster or meaning is not None:
            raise click.UsageError("--check vérifie l'index local tel qu'il est : ni PATHS, ni --rebuild, "
                                   "ni --prune, ni --meaning, ni --cluster")
        return run_check(index_dir_path(index_dir), as_json)
    try:
        mapping = FieldMapping(id_field, title_field, text_field, FieldMapping.parse_fields(fields), resources_only)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--field") from exc
    paths = list(paths) or [Path(DEFAULT_CORPUS)]
    tty = sys.stderr.isatty()
    directory, progress = index_dir_path(index_dir), _progress(quiet, tty)
    try:
        if cluster and meaning:
            raise click.UsageError("--meaning : l'index local seulement, pas --cluster")
        if cluster:
            from indexer.cluster import index_cluster, parse_cluster_url

            report = index_cluster(paths, parse_cluster_url(cluster), progress, mapping, prune=prune, rebuild=rebuild)
        elif rebuild:
            report = build_index(paths, directory, progress=progress, mapping=mapping, meaning=meaning)
        else:
            report = update_index(paths, directory, progress=progress, mapping=mapping, prune=prune, meaning=meaning)
    except IndexerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        if tty:
            click.echo("\r" + " " * 70 + "\r", nl=False, err=True)
        for error in report.errors:
            click.echo(f"ignoré : {error}", err=True)
        for item in report.left_out:
            click.echo(f"non indexé : {item}", err=True)
        for warning in report.warnings:
            click.echo(f"avertissement : {warning}", err=True)
        if report.errors:
            click.echo(f"indexation partielle : {len(report.errors)} document(s) ignoré(s) sur erreur, voir ci-dessus", err=True)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.summary())
