"""``rtes-search index``: build the index from corpus files."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import FieldMapping, IndexerError, build_index
from search.cli.group import DEFAULT_CORPUS, cli, echo_json, index_dir_path, index_dir_option, json_option


def _progress(quiet: bool):
    if quiet:
        return None

    def report(count, doc):
        if count % 100 == 0 or count < 100:
            click.echo(f"\rindexation : {count} documents", nl=False, err=True)

    return report


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=True, path_type=Path))
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Reconstruire tout l'index.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV : colonne de l'identifiant.")
@click.option("--title-field", default="title", show_default=True, help="JSONL/CSV : colonne du titre.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV : colonne du texte.")
@click.option("--field", "fields", multiple=True, metavar="CHAMP=COLONNE",
              help="JSONL/CSV : colonne d'un autre champ (type, year, theme, territory, summary, url, private…).")
@click.option("--quiet", "-q", is_flag=True, help="Pas de progression sur stderr.")
@json_option
def index_command(paths, index_dir, rebuild, id_field, title_field, text_field, fields, quiet, as_json):
    """Indexer les documents de PATHS (défaut : corpus/).

    Formats lus : export texte du RTES (.txt), JSONL et CSV (.gz accepté).

    Exemple : rtes-search index data.jsonl.gz --id-field doc_id --index-dir /tmp/ix
    """
    try:
        mapping = FieldMapping(id_field, title_field, text_field, FieldMapping.parse_fields(fields))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--field") from exc
    paths = list(paths) or [Path(DEFAULT_CORPUS)]
    try:
        report = build_index(paths, index_dir_path(index_dir), progress=_progress(quiet), mapping=mapping)
    except IndexerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not quiet:
        click.echo(err=True)
        for error in report.errors:
            click.echo(f"ignoré : {error}", err=True)
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(
            f"{report.indexed} documents indexés, {report.skipped} ignorés "
            f"en {report.seconds:.2f} s → {report.index_dir}"
        )
