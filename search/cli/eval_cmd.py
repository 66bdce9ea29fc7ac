"""``rtes-search eval``: relevance of the index on judged queries."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from search import SearchError
from search.cli.group import cli, cluster_option, echo_json, index_dir_option, index_dir_path, json_option
from search.evaluation import METRICS, Ranker, evaluate, mean_metrics, read_qrels, read_queries, write_run


def _splits(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {row["topic_id"]: row["split"] for row in csv.DictReader(f, delimiter="\t")}


def _summary(results, splits: dict[str, str]) -> dict:
    groups = {"all": results}
    for name in sorted(set(splits.values())):
        groups[name] = [r for r in results if splits.get(r.query.judged_by) == name]
    return {name: {"queries": len(rs), **mean_metrics(rs)} for name, rs in groups.items()}


def _print_table(summary: dict, results, per_query: bool) -> None:
    if per_query:
        for r in results:
            click.echo(f"{r.query.qid}\t" + "\t".join(f"{r.metrics[m]:.4f}" for m in METRICS) + f"\t{r.query.text}")
    click.echo("\t".join(["", "requêtes", *METRICS]))
    for name, row in summary.items():
        click.echo("\t".join([name, str(row["queries"]), *(f"{row[m]:.4f}" for m in METRICS)]))


@cli.command("eval")
@click.option("--queries", "queries_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Requêtes TSV avec en-tête : qid, query (et topic_id si les jugements sont par sujet).")
@click.option("--qrels", "qrels_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Jugements au format TREC : qid 0 docid note.")
@index_dir_option
@cluster_option
@click.option("--run", "run_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Écrire le classement (100 résultats par requête) au format TREC run.")
@click.option("--split", "split_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TSV topic_id, split : moyennes par partie (dev, test) en plus du total.")
@click.option("--first-variant", is_flag=True, help="Seulement la première requête de chaque sujet.")
@click.option("--per-query", is_flag=True, help="Afficher les mesures de chaque requête.")
@click.option("--no-meaning", is_flag=True, help="Classer par les mots seuls, même si l'index a des vecteurs de sens.")
@json_option
def eval_command(queries_path, qrels_path, index_dir, cluster, run_path, split_path, first_variant, per_query, no_meaning,
                 as_json):
    """Mesurer la pertinence : nDCG@10, Recall@100 et MRR@10 (comme trec_eval).

    Exemple : rtes-search eval --queries data/cdtn-datafiller-2020/queries.tsv
    --qrels data/cdtn-datafiller-2020/qrels.trec --index-dir /tmp/cdtn
    """
    try:
        queries, qrels = read_queries(queries_path, first_variant), read_qrels(qrels_path)
    except (ValueError, KeyError) as exc:
        raise click.UsageError(f"fichier de requêtes ou de jugements invalide : {exc}") from exc
    try:
        with Ranker(cluster or index_dir_path(index_dir), meaning=not no_meaning) as ranker:
            results = evaluate(ranker, queries, qrels)
    except SearchError as exc:
        raise click.ClickException(str(exc)) from exc
    if run_path:
        write_run(results, run_path)
    summary = _summary(results, _splits(split_path))
    if as_json:
        data = {"summary": summary}
        if per_query:
            data["queries"] = [{"qid": r.query.qid, "query": r.query.text, **r.metrics} for r in results]
        echo_json(data)
    else:
        _print_table(summary, results, per_query)
