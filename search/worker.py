"""A search process: one searcher answering the search requests pickled on its standard input.

The server runs its costly searches in one (``search.http.apart`` says
why), started as ``python -m search.worker``: a plain interpreter that
imports the search layer only, not the server nor the script that started
it. Its first message names the index folder or cluster address (never on
a command line, where a cluster key would show in ``ps``) and the time
budget; each next one is the keyword arguments of ``search``, answered
with the ``Results`` or, for a ``SearchError``, its class, message and
attributes. It is started at a lower priority (``search.http.apart.NICENESS``), and
ends when the server closes its input.
"""

from __future__ import annotations

import pickle
import sys

from search import SearchBackend, open_searcher
from search.errors import SearchError

def send(pipe, value) -> None:
    """One pickled message on ``pipe``, flushed."""
    pickle.dump(value, pipe)
    pipe.flush()


def serve(requests, answers) -> None:
    """Answer each request on ``requests`` until it closes; the searcher is refreshed before each."""
    target, time_budget = pickle.load(requests)
    searcher: SearchBackend | None = None
    while True:
        try:
            arguments = pickle.load(requests)
        except EOFError:
            return
        try:
            if searcher is None:
                searcher = open_searcher(target, time_budget)
            else:
                searcher.refresh()
            outcome = searcher.search(**arguments)
        except SearchError as error:
            outcome = type(error), str(error), vars(error)
        send(answers, outcome)


if __name__ == "__main__":
    answers, sys.stdout = sys.stdout.buffer, sys.stderr   # nothing but answers on the pipe
    serve(sys.stdin.buffer, answers)
