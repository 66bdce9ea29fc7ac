"""Bearer tokens: read tokens unlock private resources, write tokens the write API.

The server keeps only SHA-256 digests of the tokens (read from
``RTES_SEARCH_TOKENS``, comma-separated, and/or the file named by
``RTES_SEARCH_TOKENS_FILE``, one token or ``sha256:<hex>`` digest a line),
and compares digests in constant time, so neither memory nor timing gives a
token away. No token means public access: private resources are then
absent, exactly as if they did not exist. A wrong ``Bearer`` token is
refused (401), so a client with an expired token learns it at once instead
of silently getting public results; other schemes (a proxy's ``Basic``) are
not ours and count as no token.

Write tokens are another set, read the same way from
``RTES_SEARCH_WRITE_TOKENS`` and ``RTES_SEARCH_WRITE_TOKENS_FILE``
(``load_token_hashes(environ, "RTES_SEARCH_WRITE_TOKENS")``): never from a
command-line option, which anyone on the machine reads in ``ps``.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

DIGEST_PREFIX = "sha256:"


def hash_token(token: str) -> str:
    """Hex SHA-256 of a token.

    >>> hash_token("secret")[:12]
    '2bb80d537b1d'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _digest_of_line(line: str) -> str | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    if line.startswith(DIGEST_PREFIX):
        return line[len(DIGEST_PREFIX):].lower()
    return hash_token(line)


def load_token_hashes(environ, variable: str = "RTES_SEARCH_TOKENS") -> frozenset[str]:
    """Digests of every token of ``variable`` and of the file ``variable_FILE`` names;
    an unreadable token file is an error, not silence."""
    lines = environ.get(variable, "").split(",")
    path = environ.get(f"{variable}_FILE")
    if path:
        try:
            lines += Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"fichier de jetons illisible : {path} ({exc.strerror})") from exc
    return frozenset(d for d in map(_digest_of_line, lines) if d)


def is_bearer(authorization: str | None) -> bool:
    """Whether the header presents a bearer token at all (valid or not).

    >>> is_bearer("Bearer x"), is_bearer("Basic dXNlcg=="), is_bearer(None)
    (True, False, False)
    """
    return (authorization or "").partition(" ")[0].lower() == "bearer"


def bearer_allows(authorization: str | None, digests: frozenset[str]) -> bool:
    """True when the ``Authorization: Bearer <token>`` header carries a configured token.

    Every digest is compared (no early exit) with ``hmac.compare_digest``.

    >>> bearer_allows("Bearer secret", frozenset({hash_token("secret")}))
    True
    >>> bearer_allows("Bearer guess", frozenset({hash_token("secret")}))
    False
    """
    digest = bearer_digest(authorization)
    return digest is not None and digest_allowed(digest, digests)


def digest_allowed(digest: str, digests: frozenset[str]) -> bool:
    """True when ``digest`` is one of ``digests``, every one compared (no early exit)."""
    matches = [hmac.compare_digest(digest, known) for known in digests]
    return any(matches)


def bearer_digest(authorization: str | None) -> str | None:
    """The digest of the bearer token the header carries, None without one.

    >>> bearer_digest("Bearer secret") == hash_token("secret"), bearer_digest("Basic x")
    (True, None)
    """
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return hash_token(token.strip())
