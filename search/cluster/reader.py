"""Reading one collection of a Typesense cluster: searches in batches, French errors.

Several searches go in one ``multi_search`` (POST): one round trip
carries all the counts a search needs, and a filter naming many terms
does not fit in a URL. A search sent alone goes to the search endpoint
(GET) when its parameters fit Typesense's query string
(``MAX_QUERY_STRING``): Typesense 0.24 answers a ``multi_search`` by
parsing each search's JSON answer and writing it out again inside the
batch's, which for a page of 250 law articles' terms (689 kB) cost 8 to
9 ms more than the same search alone (31 to 32 against 22 to 24 ms to
the first byte with curl; 101,194 law articles, "calcul des congés"). A
node answers the searches of one ``multi_search`` one after the other,
so searches that cost more than a round trip (a page of documents) are
sent as requests of their own at the same time (``submit``,
``search_apart``), which the node answers side by side (a thread each):
they go to the node of the thread that sends them, as its other requests
do (``search.cluster.transport``). The address names an alias (``…/rtes``);
``collection`` is the collection it points to now, read again by ``refresh``.

The requests go through ``search.cluster.transport`` (plain HTTP, each
thread keeping to one node, and giving up on a dead one within a second);
here its errors become ``SearchError``s: ``IndexNotFoundError`` when nothing is indexed under the
name, ``ClusterUnavailableError`` (an ``IndexNotFoundError`` too: there
is nothing to search now) with the French message of the cluster error
(unreachable, key refused, no leader), ``ClusterSearchError`` when a
search is refused. Reads are not
retried: followers answer them during an election, so a failure is the
cluster being out of reach, said at once.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlencode

from indexer.cluster.address import ClusterAddress, parse_cluster_url
from indexer.cluster.catalogue import MANIFESTS, revision_id
from indexer.cluster.errors import ClusterAuthError, ClusterError
from indexer.cluster.errors import ClusterUnavailableError as Unreachable
from search.cluster.transport import NotFound, Transport, path
from search.errors import IndexNotFoundError, SearchError

# Typesense answers at most this many searches per multi_search unless told otherwise.
BATCH = 250
READ_TIMEOUT = 10.0
# The longest query string Typesense 0.24 takes on its search endpoint ("Query string exceeds max allowed
# length of 4000"): a longer search alone goes through multi_search.
MAX_QUERY_STRING = 4000
# Requests in flight at once (``submit``): the counts and the pages of a window (``search.cluster.fetch``).
IN_FLIGHT = 3
# ``search_spread`` sends a batch of fewer searches than this in one request.
SPREAD_FROM = 4


class ClusterSearchError(SearchError):
    """The cluster refused a search; French message."""


class ClusterUnavailableError(IndexNotFoundError):
    """No node answered, or the key was refused: nothing can be searched now (HTTP 503, exit code 1)."""


class CollectionReader:
    """Searches on the collection behind one address's alias."""

    def __init__(self, target: str | ClusterAddress):
        self.address = parse_cluster_url(target) if isinstance(target, str) else target
        self.location = self.address.redacted()
        self._transport = Transport(self.address, READ_TIMEOUT)
        self.collection = ""
        self._pool: ThreadPoolExecutor | None = None
        self.resolve()

    def _get(self, *parts: str) -> dict:
        """The JSON at ``/parts…`` (``NotFound`` passes through: the caller decides)."""
        return self._call(lambda: self._transport.get(path(*parts)))

    def _call(self, request):
        try:
            return request()
        except (ClusterAuthError, Unreachable) as exc:
            raise ClusterUnavailableError(str(exc)) from exc
        except ClusterError as exc:
            raise ClusterSearchError(str(exc)) from exc

    def _exists(self, *parts: str) -> dict | None:
        try:
            return self._get(*parts)
        except NotFound:
            return None

    def resolve(self) -> str:
        """The collection the alias points to now (``IndexNotFoundError`` when there is none)."""
        name = self.address.collection
        alias = self._exists("aliases", name)
        if alias is None and self._exists("collections", name) is None:
            raise IndexNotFoundError(
                f"aucune collection « {name} » dans le cluster {self.location} : "
                f"lancez « rtes-search index --cluster … »"
            )
        self.collection = alias["collection_name"] if alias else name
        return self.collection

    def manifest(self) -> dict:
        """What the indexing run recorded for this collection (versions, sources, build time); {} if nothing."""
        stored = self._exists("collections", MANIFESTS, "documents", self.collection)
        return json.loads(stored.get("manifest", "{}")) if stored else {}

    def revision(self) -> int:
        """How many pushes of the write API the collection took (``indexer.cluster.push``)."""
        stored = self._exists("collections", MANIFESTS, "documents", revision_id(self.collection))
        return json.loads(stored.get("manifest", "{}")).get("revision", 0) if stored else 0

    def memory(self) -> int:
        """Bytes Typesense holds in memory on the node that answered, for every collection it serves
        (what a collection takes on disk is not in its API)."""
        return int(self._get("metrics.json").get("typesense_memory_allocated_bytes", 0))

    def search(self, searches: list[dict], collection: str | None = None) -> list[dict]:
        """The answers to ``searches`` (search parameters each) in ``collection`` (default: the alias's;
        a search naming its own ``collection`` goes there), in order; one round trip per ``BATCH``."""
        answers = []
        for start in range(0, len(searches), BATCH):
            answers += self._batch(searches[start:start + BATCH], collection or self.collection)
        return answers

    def submit(self, call, *args) -> Future:
        """Run ``call(*args)`` (a read of this reader) in a worker thread; its future."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="rtes-cluster-read")
        return self._pool.submit(self._transport.on, self._transport.home(), call, *args)

    def search_apart(self, searches: list[dict]) -> list[dict]:
        """The answers to ``searches``, each sent as a request of its own, all at once (module docstring)."""
        if len(searches) < 2:
            return self.search(searches)
        futures = [self.submit(self.search, [one]) for one in searches]
        return [answer for future in futures for answer in future.result()]

    def search_spread(self, searches: list[dict]) -> list[dict]:
        """The answers to ``searches``, in order, split into ``IN_FLIGHT`` batches sent at once: a node
        answers a batch one search after the other, so the planner's counts and written forms of a long
        query (17 searches, 20 ms in one batch) are answered by three of its threads side by side."""
        if len(searches) < SPREAD_FROM:
            return self.search(searches)
        size = -(-len(searches) // IN_FLIGHT)
        futures = [self.submit(self.search, searches[start:start + size]) for start in range(0, len(searches), size)]
        return [answer for future in futures for answer in future.result()]

    def _batch(self, searches: list[dict], collection: str) -> list[dict]:
        if len(searches) == 1:
            params = dict(searches[0])
            where = params.pop("collection", collection)
            query = urlencode(params)
            if len(query) <= MAX_QUERY_STRING:
                return [self._alone(query, where)]
        body = {"searches": [{"collection": collection, **s} for s in searches]}
        try:
            answer = self._call(lambda: self._transport.post(f"/multi_search?limit_multi_searches={BATCH}", body))
        except NotFound:
            raise self._gone() from None
        results = answer["results"]
        for result in results:
            if "error" in result:
                if result.get("code") == 404:
                    raise self._gone()
                raise ClusterSearchError(f"le cluster {self.location} a refusé une recherche : {result['error']}")
        return results

    def _alone(self, query: str, collection: str) -> dict:
        """The answer of one search sent to the search endpoint (``query``: its parameters, encoded)."""
        where = f"{path('collections', collection, 'documents', 'search')}?{query}"
        try:
            return self._call(lambda: self._transport.get(where))
        except NotFound:
            raise self._gone() from None

    def _gone(self) -> IndexNotFoundError:
        return IndexNotFoundError(f"la collection {self.collection} a disparu du cluster {self.location} : "
                                  f"elle a été reconstruite ; relancez la recherche")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._transport.close()
