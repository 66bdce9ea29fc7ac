"""What an operator can set for the server, read once from the environment.

Everything has a safe default: no private access, a modest per-client rate,
no cross-origin access. ``rtes-search serve`` overrides from its options.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from search import default_index_dir
from search.http.auth import load_token_hashes

DEFAULT_RATE = "120/60"
DEFAULT_WRITE_RATE = "600/60"   # per write token: a publishing site's bursts, one batch of 10,000 is one request


def parse_rate(text: str) -> tuple[int, float]:
    """``"120/60"`` → 120 requests per 60 seconds; ``"0"`` turns the limit off.

    >>> parse_rate("10/1"), parse_rate("0")
    ((10, 1.0), (0, 60.0))
    """
    count, _, seconds = text.strip().partition("/")
    try:
        rate = (int(count), float(seconds or 60))
    except ValueError:
        raise ValueError(f"limite de débit illisible : {text!r} (attendu : REQUÊTES/SECONDES, ex. 120/60)") from None
    if rate[0] < 0 or rate[1] <= 0:
        raise ValueError(f"limite de débit invalide : {text!r}")
    return rate


def parse_budget(text: str) -> float | None:
    """``"1.5"`` → 1.5 seconds a search may take; ``"0"`` → no limit.

    >>> parse_budget("0.5"), parse_budget("0")
    (0.5, None)
    """
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"budget de temps illisible : {text!r} (attendu : des secondes, ex. 1)") from None
    if not seconds >= 0:
        raise ValueError(f"budget de temps invalide : {text!r}")
    return seconds or None
def check_public_url(text: str) -> str:
    """``text`` as the base of absolute links, ending with ``/``; ``""`` stays unset.

    >>> check_public_url("https://recherche.rtes.fr"), check_public_url("")
    ('https://recherche.rtes.fr/', '')
    """
    text = text.strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"adresse publique invalide : {text!r} (attendu : http(s)://hôte[:port][/chemin])")
    return text.rstrip("/") + "/"


CSP_SOURCE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(//[^\s;,']+)?|[^\s;,':]+(:[0-9*]+)?")


def check_frame_ancestor(source: str) -> str:
    """A site allowed to frame the pages, as a CSP source (``https://www.rtes.fr``, ``*.rtes.fr``).

    >>> check_frame_ancestor("https://www.rtes.fr")
    'https://www.rtes.fr'
    """
    if not (source.isascii() and CSP_SOURCE.fullmatch(source)):
        raise ValueError(f"site autorisé à encadrer les pages illisible : {source!r} (ex. https://www.rtes.fr)")
    return source


def _listed(env, name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in env.get(name, "").split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Server settings an operator chooses (the request limits are constants of ``search.http.limits``)."""

    # The index folder, or a cluster address (``typesense://…``): what ``search.open_searcher`` opens.
    index_dir: Path | str = field(default_factory=default_index_dir)
    token_hashes: frozenset[str] = frozenset()
    rate_limit: int = 120          # requests per client per window; 0 = unlimited
    rate_window: float = 60.0
    cors_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()   # addresses whose X-Forwarded-For is believed; none by default
    frame_ancestors: tuple[str, ...] = ()   # sites that may frame the pages, besides the server itself
    # Where people reach the server (``https://recherche.rtes.fr/``): the base of absolute links
    # (feed, OpenSearch). Without it, the address the server listens on; never a request header.
    public_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    write_token_hashes: frozenset[str] = frozenset()   # none: the write API answers 403
    write_rate_limit: int = 600    # writes per write token per window; 0 = unlimited
    write_rate_window: float = 60.0
    time_budget: float | None = 1.0   # seconds a search may take before it returns what it has; None: no limit

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        """Settings from ``RTES_SEARCH_*`` variables, then ``overrides`` (None values ignored)."""
        env = os.environ if environ is None else environ
        rate, window = parse_rate(env.get("RTES_SEARCH_RATE_LIMIT") or DEFAULT_RATE)
        write_rate, write_window = parse_rate(env.get("RTES_SEARCH_WRITE_RATE_LIMIT") or DEFAULT_WRITE_RATE)
        values = {
            "token_hashes": load_token_hashes(env), "rate_limit": rate, "rate_window": window,
            "cors_origins": _listed(env, "RTES_SEARCH_CORS_ORIGINS"),
            "trusted_proxies": _listed(env, "RTES_SEARCH_TRUSTED_PROXIES"),
            "write_token_hashes": load_token_hashes(env, "RTES_SEARCH_WRITE_TOKENS"),
            "write_rate_limit": write_rate, "write_rate_window": write_window,
            "time_budget": parse_budget(env.get("RTES_SEARCH_TIME_BUDGET") or "1"),
            "frame_ancestors": _listed(env, "RTES_SEARCH_FRAME_ANCESTORS"),
            "public_url": env.get("RTES_SEARCH_PUBLIC_URL", ""),
        }
        if env.get("RTES_SEARCH_HOST"):   # set by ``serve`` for its worker processes
            values["host"] = env["RTES_SEARCH_HOST"]
        if env.get("RTES_SEARCH_PORT", "").isdigit():
            values["port"] = int(env["RTES_SEARCH_PORT"])
        if env.get("RTES_SEARCH_INDEX"):
            values["index_dir"] = Path(env["RTES_SEARCH_INDEX"])
        if env.get("RTES_SEARCH_CLUSTER"):
            values["index_dir"] = env["RTES_SEARCH_CLUSTER"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self):
        """Checked however made (a wrong public address or framing site would write broken headers or links)."""
        object.__setattr__(self, "public_url", check_public_url(self.public_url))
        for source in self.frame_ancestors:
            check_frame_ancestor(source)
        # A write token reads too, private resources included (its holder pushes them); not the reverse.
        object.__setattr__(self, "token_hashes", self.token_hashes | self.write_token_hashes)
