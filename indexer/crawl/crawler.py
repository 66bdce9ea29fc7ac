"""Crawl one site breadth-first into a crawl folder, politely and resumably.

From the start URL the crawler follows same-site links (resource pages,
pagination, linked PDFs and office files) within ``max_pages`` requests, asking robots.txt
first and waiting ``delay`` seconds between requests. A page it already
has is asked for with its ``ETag``/``Last-Modified``: a 304 costs no body
and leaves the stored copy as is. A page that now answers 404 or 410 was
removed from the site, so its copy goes too (and ``index --prune`` drops
it); a timeout or a 500 keeps the last good copy. Every error is reported
and the crawl goes on. The state is saved after each request: a killed
crawl resumes from its saved frontier.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from indexer.crawl.fetcher import Fetch, Fetcher
from indexer.crawl.links import links_to_follow, normalise, same_site
from indexer.crawl.state import CrawlState, Entry, stored_extension

GONE = (404, 410)
# Callback told of each request: the URL and what came of it, in French.
CrawlProgress = Callable[[str, str], None]


@dataclass
class CrawlReport:
    """What a crawl did: bodies stored, pages unchanged, removed, errors, URLs left for later."""

    fetched: int = 0
    unchanged: int = 0
    removed: int = 0
    robots_excluded: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    pending: int = 0
    out_dir: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "fetched": self.fetched, "unchanged": self.unchanged, "removed": self.removed,
            "robots_excluded": self.robots_excluded, "pending": self.pending,
            "errors": [{"url": url, "reason": reason} for url, reason in self.errors],
            "out_dir": self.out_dir, "seconds": round(self.seconds, 3),
        }


class Crawl:
    """One crawl run over a crawl folder's state."""

    def __init__(
        self, start_url: str, out_dir: Path, fetcher: Fetcher, progress: CrawlProgress | None = None,
        resources_only: bool = False,
    ):
        self.start = normalise(start_url)
        self.state = CrawlState.load(Path(out_dir))
        self.state.resources_only = resources_only
        self.fetcher, self.progress = fetcher, progress
        self.report = CrawlReport(out_dir=str(out_dir))
        if self.state.finished or self.state.start_url != self.start:
            self.state.start_url, self.state.frontier, self.state.visited = self.start, [self.start], []
            self.state.finished = False

    def run(self, max_pages: int) -> CrawlReport:
        """Fetch up to ``max_pages`` URLs; the state says whether the site was crawled to the end."""
        started = time.perf_counter()
        robots = self.fetcher.robots(self.start)
        queue, visited = deque(self.state.frontier), set(self.state.visited)
        requests_made = 0
        while queue and requests_made < max_pages:
            url = queue.popleft()
            if url in visited:
                continue
            visited.add(url)
            if not robots.can_fetch(self.fetcher.user_agent, url):
                self.report.robots_excluded += 1
                continue
            requests_made += 1
            for link in self._visit(url, visited):
                if link not in visited and link not in queue:
                    queue.append(link)
            self._save(queue, visited, finished=False)
        self._save(queue, visited, finished=not queue)
        self.report.pending, self.report.seconds = len(queue), time.perf_counter() - started
        return self.report

    def _save(self, queue, visited, finished: bool) -> None:
        self.state.frontier, self.state.visited, self.state.finished = list(queue), sorted(visited), finished
        self.state.save()

    def _tell(self, url: str, outcome: str) -> None:
        if self.progress:
            self.progress(url, outcome)

    def _visit(self, url: str, visited: set[str]) -> list[str]:
        """Fetch one URL, store what it gave, return the links to follow from it."""
        old = self.state.entries.get(url)
        if old is not None and old.redirect:
            old = self.state.entries.get(old.redirect)
        copy = self.state.local_path(old) if old else None
        fetch = self.fetcher.get(url, *((old.etag, old.last_modified) if copy else ("", "")))
        final = normalise(fetch.url)
        if final != url:
            if not same_site(final, self.start):
                return self._error(url, fetch, "redirection hors du site : " + final)
            self.state.entries[url] = Entry(url, redirect=final)
            if final in visited:
                return []
            visited.add(final)
        if fetch.error:
            return self._error(final, fetch, fetch.error)
        entry = self.state.entries.setdefault(final, Entry(final))
        body = self._keep(entry, fetch)
        if body is None or not entry.is_html:
            return []
        return links_to_follow(body, final, self.start, entry.charset)

    def _keep(self, entry: Entry, fetch: Fetch) -> bytes | None:
        """Store a new body (or keep the copy on a 304); the body to read links from."""
        copy = self.state.local_path(entry)
        if fetch.not_modified and copy:
            self.report.unchanged += 1
            self._tell(entry.url, "inchangé (304)")
            return copy.read_bytes()
        extension = stored_extension(fetch.content_type)
        if not extension:
            self._tell(entry.url, f"ignoré ({fetch.content_type or 'type inconnu'})")
            return None
        same = copy is not None and copy.read_bytes() == fetch.body
        entry.file = self.state.store(entry.url, fetch.body, extension)
        entry.status, entry.content_type, entry.error = 200, fetch.content_type, ""
        entry.etag, entry.last_modified = fetch.etag, fetch.last_modified
        if not same:
            entry.fetched_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.report.unchanged += same
        self.report.fetched += not same
        self._tell(entry.url, "inchangé" if same else "récupéré")
        return fetch.body

    def _error(self, url: str, fetch: Fetch, reason: str) -> list[str]:
        """Report an error; a page gone from the site (404, 410) loses its stored copy."""
        self.report.errors.append((url, reason))
        self._tell(url, "erreur : " + reason)
        entry = self.state.entries.get(url)
        if entry is not None and fetch.status in GONE:
            copy = self.state.local_path(entry)
            if copy:
                copy.unlink()
                self.report.removed += 1
            entry.file, entry.status, entry.error = "", fetch.status, reason
        return []


def crawl(
    start_url: str,
    out_dir: Path,
    max_pages: int = 500,
    delay: float = 1.0,
    timeout: float = 10.0,
    progress: CrawlProgress | None = None,
    resources_only: bool = False,
) -> CrawlReport:
    """Crawl the site of ``start_url`` into ``out_dir`` (see the module docstring).

    ``resources_only`` is recorded in the folder: indexing it then keeps only
    the site's resource pages ("Type de ressource"), not every page of text.
    """
    fetcher = Fetcher(delay=delay, timeout=timeout)
    return Crawl(start_url, out_dir, fetcher, progress, resources_only).run(max_pages)
