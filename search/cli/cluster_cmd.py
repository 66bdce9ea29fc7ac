"""``rtes-search cluster start|status|stop``: a local Typesense cluster for trying and testing."""

from __future__ import annotations

from pathlib import Path

import click

from search.cli.group import cli, echo_json, json_option

ROLES = {
    "leader": "meneur", "follower": "suiveur", "candidate": "candidat (élection)", "transferring": "passe la main",
    "unreachable": "injoignable", "refused": "clé refusée", "error": "en erreur",
}


def _cluster_error(exc: Exception) -> click.ClickException:
    from indexer.cluster import ClusterAddressError

    if isinstance(exc, ClusterAddressError):
        return click.UsageError(str(exc))
    return click.ClickException(str(exc))


@cli.group("cluster")
def cluster_group():
    """Cluster Typesense local (essais et tests) : démarrer, état, arrêter.

    Le serveur vient de l'extra [cluster] : pip install 'rtes-search[cluster]'.
    """


@cluster_group.command("start")
@click.option("--nodes", default=3, show_default=True, type=click.IntRange(1, 9), help="Nombre de nœuds.")
@click.option("--dir", "directory", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dossier des données, des journaux et des pids du cluster.")
@click.option("--api-key", help="Clé d'API (défaut : tirée au hasard, gardée dans DIR).")
@click.option("--port", "base_port", type=int,
              help="Ports d'API BASE…BASE+N-1 et de réplication BASE+N…BASE+2N-1 (défaut : ports libres).")
@click.option("--timeout", default=90, show_default=True, type=click.IntRange(5), help="Secondes d'attente d'un meneur.")
@json_option
def start_command(nodes, directory, api_key, base_port, timeout, as_json):
    """Démarrer N nœuds sur 127.0.0.1 en arrière-plan, attendre l'élection d'un meneur,
    afficher l'adresse du cluster (à donner à --cluster).

    Dans le dossier d'un cluster déjà créé, ne redémarre que les nœuds arrêtés
    (tués, tombés) : ils rejoignent les autres et rattrapent ce qui a été écrit
    entre-temps ; ceux qui tournent ne sont pas touchés.

    Exemple : rtes-search cluster start --nodes 3 --dir /tmp/cluster
    """
    from indexer.cluster import ClusterError
    from search.cluster import LocalCluster

    try:
        cluster, started = LocalCluster.start(directory, nodes=nodes, api_key=api_key, base_port=base_port,
                                              timeout=timeout)
    except ClusterError as exc:
        raise _cluster_error(exc) from exc
    if as_json:
        echo_json({"url": cluster.url(), "nodes": [node.public() for node in cluster.nodes],
                   "started": [index + 1 for index in started]})
        return
    click.echo(cluster.url())
    for index, node in enumerate(cluster.nodes):
        state = "démarré" if index in started else "tournait déjà"
        click.echo(f"  nœud {index + 1} ({state}) pid {node.pid} : API {node.api_port}, "
                   f"réplication {node.peering_port}, {node.data_dir}", err=True)
    if not started:
        click.echo(f"le cluster de {directory} tourne déjà : aucun nœud à redémarrer", err=True)


def _status_lines(status) -> list[str]:
    lines = [f"cluster {status.address}"]
    for node in status.nodes:
        role = ROLES.get(node.role, node.role)
        health = "" if node.role in ("unreachable", "refused") else (" sain" if node.healthy else " pas prêt")
        documents = "" if node.documents is None else f", {node.documents} documents"
        lines.append(f"  {node.host}:{node.port}  {role}{health}{documents}")
    leader = status.leader
    if leader:
        lines.append(f"meneur : {leader.host}:{leader.port}")
    elif any(node.role not in ("unreachable", "refused") for node in status.nodes):
        lines.append("meneur : aucun (élection en cours ?)")
    return lines


@cluster_group.command("status")
@click.argument("url", required=False, envvar="RTES_SEARCH_CLUSTER")
@json_option
def status_command(url, as_json):
    """Dire quel nœud mène et combien de documents chacun tient (URL : défaut $RTES_SEARCH_CLUSTER).

    Code de sortie 1 si aucun nœud ne répond ou si la clé est refusée.

    Exemple : rtes-search cluster status typesense://CLÉ@127.0.0.1:8108/rtes
    """
    from indexer.cluster import ClusterError, parse_cluster_url
    from search.cluster import cluster_status

    if not url:
        raise click.UsageError("argument manquant : URL (ou $RTES_SEARCH_CLUSTER)")
    try:
        status = cluster_status(parse_cluster_url(url))
    except ClusterError as exc:
        raise _cluster_error(exc) from exc
    if as_json:
        echo_json(status.to_dict())
    else:
        click.echo("\n".join(_status_lines(status)))
    roles = {node.role for node in status.nodes}
    if roles <= {"unreachable", "refused"}:
        reason = "clé d'API refusée" if "refused" in roles else "aucun nœud n'a répondu"
        raise click.ClickException(f"{reason} ({status.address})")


@cluster_group.command("stop")
@click.option("--dir", "directory", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dossier donné à « cluster start ».")
@json_option
def stop_command(directory, as_json):
    """Arrêter les nœuds démarrés par « cluster start --dir DIR », et eux seuls
    (pids vérifiés avant tout signal ; les données restent dans DIR).
    """
    from indexer.cluster import ClusterError
    from search.cluster import LocalCluster

    try:
        stopped = LocalCluster.load(directory).stop()
    except ClusterError as exc:
        raise _cluster_error(exc) from exc
    if as_json:
        echo_json({"stopped": stopped})
    else:
        click.echo(f"{len(stopped)} nœud(s) arrêté(s)" + (f" : pids {', '.join(map(str, stopped))}" if stopped else ""))
