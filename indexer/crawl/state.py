"""What a crawl keeps on disk: every URL it fetched, and the run in progress.

The crawl folder (``corpus/site/`` by default) holds ``crawl.json`` and the
fetched bodies under ``files/``. For each URL the state records the local
file, the HTTP status, the validators (``ETag``, ``Last-Modified``) the next
crawl sends back to fetch only what changed, and when it was fetched. The
frontier of the current run is saved after every request, so a crawl
killed midway resumes where it stopped.

``crawl.json`` is also what ``rtes-search index`` reads: the crawl folder is
one source (see ``indexer.ingest.site``). ``resources_only`` says that only
the site's resource pages (its "Type de ressource" field) are documents, as
``crawl --resources-only`` asked for the RTES site.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_FILE = "crawl.json"
FILES_DIR = "files"


# Content types the crawler stores, by a part of their name, and the extension their copy gets.
STORED_TYPES = {
    "html": ".html", "pdf": ".pdf",
    "opendocument.text": ".odt", "opendocument.spreadsheet": ".ods", "opendocument.presentation": ".odp",
    "wordprocessingml.document": ".docx", "presentationml.presentation": ".pptx",
}


def stored_extension(content_type: str) -> str:
    """The extension a body of ``content_type`` is stored with; "" for what the crawler does not keep.

    >>> stored_extension("application/vnd.oasis.opendocument.text"), stored_extension("image/png")
    ('.odt', '')
    """
    return next((extension for part, extension in STORED_TYPES.items() if part in content_type), "")


@dataclass
class Entry:
    """The last thing a URL gave: its file (if any), status, validators and dates."""

    url: str
    file: str = ""
    status: int = 0
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    error: str = ""
    redirect: str = ""  # where this URL redirected last time: its validators are the target's

    @property
    def is_document_file(self) -> bool:
        """A PDF or office file (not a page): read into the page that links to it, or on its own."""
        return stored_extension(self.content_type) not in ("", ".html")

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type

    @property
    def charset(self) -> str | None:
        _, sep, value = self.content_type.partition("charset=")
        return value.split(";")[0].strip().strip('"') or None if sep else None


@dataclass
class CrawlState:
    """The crawl folder's state: entries by URL plus the unfinished run, if any."""

    root: Path
    start_url: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    finished: bool = True
    resources_only: bool = False

    @classmethod
    def load(cls, root: Path) -> "CrawlState":
        path = Path(root) / STATE_FILE
        if not path.exists():
            return cls(Path(root))
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {url: Entry(**values) for url, values in data.get("entries", {}).items()}
        return cls(
            Path(root), data.get("start_url", ""), entries, data.get("frontier", []),
            data.get("visited", []), data.get("finished", True), data.get("resources_only", False),
        )

    def save(self) -> None:
        """Write ``crawl.json`` atomically (a kill leaves the previous one)."""
        self.root.mkdir(parents=True, exist_ok=True)
        data = {
            "start_url": self.start_url,
            "finished": self.finished,
            "resources_only": self.resources_only,
            "frontier": self.frontier,
            "visited": self.visited,
            "entries": {url: asdict(entry) for url, entry in sorted(self.entries.items())},
        }
        tmp = self.root / f".{STATE_FILE}.{os.getpid()}"
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.root / STATE_FILE)

    def local_path(self, entry: Entry) -> Path | None:
        """The fetched body of ``entry`` on disk, or None when there is none."""
        if not entry.file:
            return None
        path = self.root / entry.file
        return path if path.is_file() else None

    def store(self, url: str, body: bytes, extension: str) -> str:
        """Write a fetched body under ``files/`` (atomically) and return its path relative to the root."""
        name = f"{FILES_DIR}/{hashlib.sha1(url.encode()).hexdigest()[:16]}{extension}"
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(body)
        os.replace(tmp, path)
        return name
