"""The ``rtes-search`` command line: a thin click layer over the Python API.

Each command lives in its own module and registers on the group of
``group.py``, which imports it only when it runs (list a new module in
``group.COMMAND_MODULES``); it checks its arguments, calls one API function and formats
the result: JSON with ``--json``, text for people otherwise. Errors are
one French line on stderr with exit code 2 (usage) or 1 (runtime).
"""

from __future__ import annotations

import os
import sys

import click

from search.cli.group import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console entry point: no traceback reaches a user unless RTES_SEARCH_DEBUG is set."""
    try:
        cli(standalone_mode=True)
    except Exception as exc:  # the last line of defence; known errors are handled in the commands
        if os.environ.get("RTES_SEARCH_DEBUG"):
            raise
        click.echo(f"Erreur : erreur interne inattendue ({type(exc).__name__}: {exc})", err=True)
        sys.exit(1)
