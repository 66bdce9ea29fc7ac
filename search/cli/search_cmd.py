"""``rtes-search search``: ranked hits, snippets and facet counts."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import IndexerError, ensure_index
from indexer.errors import IndexOutOfDateError
from search import InvalidFilterError, QuerySyntaxError, SearchError
from search.cli.group import (
    DEFAULT_CORPUS, NO_INDEX_HERE, cli, cluster_option, echo_results, index_dir_option, index_dir_path, json_option,
    nl_option, open_searcher, outside_a_project, private_option,
)
from search.cli.messages import FrenchCommand
from search.csv_export import MAX_CSV_ROWS, SEPARATORS, csv_text
from search.render import render_results
from search.backend import DEFAULT_INDEX_DIR
from search.limits import MAX_LIMIT


class QueryCommand(FrenchCommand):
    """A command whose query words may start with a dash: ``-insertion`` excludes a word, it is no option.

    Click reads any argument starting with ``-`` as an option (``-insertion ESS``
    failed with "option inconnue : -i"). Here the command's own options keep
    their meaning, ``--mot`` stays an unknown option (a typo of one), and every
    other argument is a word of the query, in the order typed.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        arity = {name: not (p.is_flag or p.count) for p in self.get_params(ctx) if isinstance(p, click.Option)
                 for name in (*p.opts, *p.secondary_opts)}
        return super().parse_args(ctx, query_words_last(args, arity))


def query_words_last(args: list[str], arity: dict[str, bool]) -> list[str]:
    """``args`` with the known options first, then ``--`` and the query words.

    ``arity`` maps each option name to whether it takes a value.

    >>> query_words_last(["-insertion ESS", "--limit", "3"], {"--limit": True})
    ['--limit', '3', '--', '-insertion ESS']
    """
    options, words, i = [], [], 0
    while i < len(args):
        token, name = args[i], args[i].split("=", 1)[0]
        if token == "--":
            words.extend(args[i + 1:])
            break
        if name in arity:
            takes_value = arity[name] and "=" not in token and i + 1 < len(args)
            options.extend(args[i:i + 2] if takes_value else [token])
            i += 1 + takes_value
            continue
        is_option = token.startswith("--") and not any(c.isspace() for c in token)
        (options if is_option else words).append(token)
        i += 1
    return [*options, "--", *words] if words else options


@cli.command("search", cls=QueryCommand)
@click.argument("words", metavar="REQUÊTE", nargs=-1, required=True)
@index_dir_option
@cluster_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT), help="Résultats par page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Numéro de page.")
@click.option("--type", "types", multiple=True, help="Filtrer par type de ressource.")
@click.option("--year", "years", multiple=True, help="Filtrer par année (2018, ou 2017..2019).")
@click.option("--theme", "themes", multiple=True, help="Filtrer par thème.")
@click.option("--territory", "territories", multiple=True, help="Filtrer par territoire (nom, ou code : 59, 59000).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Ordre : relevance (pertinence) ou date (les plus récentes d'abord).")
@click.option("--strict", is_flag=True, help="Refuser une requête mal formée (code 2, avec la position).")
@private_option
@json_option
@nl_option
@click.option("--csv", "as_csv", is_flag=True,
              help=f"Sortie CSV (UTF-8 avec BOM) : tous les résultats, au plus {MAX_CSV_ROWS}.")
@click.option("--csv-sep", type=click.Choice(SEPARATORS), help="Séparateur du CSV (; pour Excel en français).")
def search_command(
    words, index_dir, cluster, limit, page, types, years, themes, territories, sort, strict, include_private, as_json, as_nl,
    as_csv, csv_sep,
):
    """Chercher REQUÊTE ("" liste toutes les ressources, les plus récentes d'abord).

    Une ressource qui contient au moins un des mots est trouvée ; celles
    qui les contiennent tous, et côte à côte, viennent en premier. Accents
    et majuscules sont ignorés, une faute de frappe est corrigée.

    Syntaxe : "expression exacte", ET/OU/SAUF (AND/OR/NOT), -mot (exclu),
    parenthèses, constru* (début de mot), titre: résumé: texte: (un champ),
    type: année: thème: territoire: (un filtre).

    Exemple : rtes-search search '"marchés réservés" SAUF insertion' --year 2018
    """
    query = " ".join(words)
    directory = index_dir_path(index_dir)
    if not cluster:  # a cluster is written by « index --cluster », never from here
        if outside_a_project(directory):
            raise click.ClickException(NO_INDEX_HERE)
        try:  # only the default index of the default corpus is built on demand
            report = ensure_index(directory, [Path(DEFAULT_CORPUS)], build_missing=directory == Path(DEFAULT_INDEX_DIR))
        except IndexOutOfDateError as exc:  # a read-only folder: search what is there
            click.echo(f"Attention : {exc}", err=True)
            report = None
        except IndexerError as exc:
            raise click.ClickException(str(exc)) from exc
        if report:
            click.echo(f"index construit : {report.documents} documents", err=True)
    filters = {"type": types, "year": years, "theme": themes, "territory": territories}
    with open_searcher(directory, cluster) as searcher:
        try:
            if as_csv or csv_sep:
                hits = searcher.hits(query, filters, MAX_CSV_ROWS, sort, include_private, strict)
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
