"""Cluster addresses: ``typesense://[API_KEY@]HOST:PORT[,HOST:PORT…]/COLLECTION``.

Both sides need the address: the indexer writes to the cluster, the search
side reads from it, and ``indexer`` cannot import ``search``; so the parser
lives here. ``typesenses://`` means TLS. The API key may be part of the
address (like a password in a database URL), but an address on a command
line is shown by ``ps`` to every user of the machine: so an address without
a key takes it from the environment, ``RTES_SEARCH_CLUSTER_KEY_FILE`` (a
file holding the key) or ``RTES_SEARCH_CLUSTER_KEY``, as the server's
tokens come from ``RTES_SEARCH_TOKENS_FILE`` or ``RTES_SEARCH_TOKENS``.
Every message shows the address through ``redacted()``, never with its key.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from indexer.cluster.errors import ClusterAddressError

SCHEMES = {"typesense": False, "typesenses": True}
DEFAULT_PORTS = {False: 8108, True: 443}
# Typesense accepts more, but a collection name also goes into URLs and our
# generation names (``NAME--20260101T120000``): keep it to safe characters.
COLLECTION_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
KEY_VARIABLE = "RTES_SEARCH_CLUSTER_KEY"
KEY_FILE_VARIABLE = "RTES_SEARCH_CLUSTER_KEY_FILE"
NO_KEY = ("adresse de cluster sans clé d'API : mettez la clé dans un fichier nommé par "
          f"${KEY_FILE_VARIABLE}, ou dans ${KEY_VARIABLE} (ou typesense://CLÉ@HÔTE:PORT/COLLECTION)")
_NODE = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(?P<port>[0-9]{1,5}))?")


@dataclass(frozen=True)
class ClusterAddress:
    """Where a cluster answers, with which key, and the collection (an alias, usually) to use.

    >>> a = parse_cluster_url("typesense://k3y@127.0.0.1:8108,127.0.0.1:8109/rtes")
    >>> (a.api_key, a.nodes, a.collection, a.tls)
    ('k3y', (('127.0.0.1', 8108), ('127.0.0.1', 8109)), 'rtes', False)
    >>> a.redacted()
    'typesense://***@127.0.0.1:8108,127.0.0.1:8109/rtes'
    """

    api_key: str
    nodes: tuple[tuple[str, int], ...]
    collection: str
    tls: bool = False

    @property
    def protocol(self) -> str:
        return "https" if self.tls else "http"

    def node_urls(self) -> list[str]:
        """``http://HOST:PORT`` of every node, in the order given."""
        return [f"{self.protocol}://{host}:{port}" for host, port in self.nodes]

    def _url(self, key: str) -> str:
        scheme = "typesenses" if self.tls else "typesense"
        hosts = ",".join(f"{host}:{port}" for host, port in self.nodes)
        return f"{scheme}://{key}@{hosts}/{self.collection}"

    def url(self) -> str:
        """The address itself, key included (to hand to another process)."""
        return self._url(quote(self.api_key, safe=""))

    def redacted(self) -> str:
        """The address without its key, for messages and logs."""
        return self._url("***")


def _parse_node(text: str, tls: bool) -> tuple[str, int]:
    match = _NODE.fullmatch(text)
    if not match:
        raise ClusterAddressError(f"adresse de nœud invalide : {text!r} (attendu HÔTE:PORT)")
    host, port = match.group("host"), match.group("port")
    if port is None:
        return host, DEFAULT_PORTS[tls]
    if not 0 < int(port) < 65536:
        raise ClusterAddressError(f"port invalide dans {text!r} (attendu un nombre entre 1 et 65535)")
    return host, int(port)


def environment_key(environ=None) -> str:
    """The API key the environment gives (``KEY_FILE_VARIABLE``'s file, else ``KEY_VARIABLE``), or "".

    The file's first line is the key (a trailing newline is no part of it).

    >>> environment_key({"RTES_SEARCH_CLUSTER_KEY": " k3y\\n"})
    'k3y'
    """
    env = os.environ if environ is None else environ
    if env.get(KEY_FILE_VARIABLE):
        path = env[KEY_FILE_VARIABLE]
        try:
            with open(path, encoding="utf-8") as file:
                key = file.readline().strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ClusterAddressError(f"fichier de clé du cluster illisible : {path} "
                                      f"(${KEY_FILE_VARIABLE} ; {getattr(exc, 'strerror', None) or exc})") from None
        if not key:
            raise ClusterAddressError(f"fichier de clé du cluster vide : {path} (${KEY_FILE_VARIABLE})")
        return key
    return env.get(KEY_VARIABLE, "").strip()


def parse_cluster_url(url: str, environ=None) -> ClusterAddress:
    """Read a cluster address; ``ClusterAddressError`` (French, key never shown) when malformed.

    The port defaults to 8108 (443 with ``typesenses://``); the key may be
    percent-encoded (``%40`` for ``@``). An address without a key takes the
    environment's (``environment_key``), ``os.environ`` unless ``environ`` is given.

    >>> parse_cluster_url("typesense://127.0.0.1/rtes", {"RTES_SEARCH_CLUSTER_KEY": "k3y"}).api_key
    'k3y'
    """
    scheme, sep, rest = (url or "").strip().partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        raise ClusterAddressError(
            "adresse de cluster invalide : attendu typesense://CLÉ@HÔTE:PORT[,HÔTE:PORT…]/COLLECTION"
        )
    tls = SCHEMES[scheme.lower()]
    key, at, rest = rest.rpartition("@")
    key = unquote(key) if at else environment_key(environ)
    if not key:
        raise ClusterAddressError(NO_KEY)
    hosts, _, collection = rest.partition("/")
    collection = collection.strip("/")
    if not COLLECTION_NAME.fullmatch(collection):
        raise ClusterAddressError(
            f"nom de collection invalide ou manquant : {collection!r} (lettres, chiffres, « _ », « - », « . »)"
        )
    nodes = tuple(_parse_node(part.strip(), tls) for part in hosts.split(","))
    return ClusterAddress(key, nodes, collection, tls)
