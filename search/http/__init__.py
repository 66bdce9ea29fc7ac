"""The web face of rtes-search: JSON API and French search page (the ``[http]`` extra).

No search logic lives here: every answer comes from one shared ``Searcher``.
"""

from search.http.app import create_app
from search.http.settings import Settings

__all__ = ["Settings", "create_app"]
