"""The local backend: one Whoosh index folder searched with numpy arrays.

``Searcher`` (``searcher.py``) answers the ``search.backend.SearchBackend``
contract; ``postings.py`` and ``facets.py`` read the index into arrays once
per searcher, and ``view.py`` is what the shared planner knows of the index
for one caller. Nothing here imports the cluster backend, and the cluster
imports nothing from here: what both need lives in neutral modules of
``search`` (``limits``, ``words``, ``counts``, ``results``, ``plan``…).
"""

from search.local.searcher import Searcher

__all__ = ["Searcher"]
