"""Files served at fixed root addresses: the embeddable component and the site icon.

``/embed.js`` is the ``<rtes-recherche>`` web component (``component/embed.js``,
an ES module that imports the combobox, its texts and its styles from
``/static/``): one address a site owner copies once, whatever the files are
called inside. It lives outside ``static/`` because its imports are relative
to ``/embed.js``. Browsers ask
for ``/favicon.ico`` on every page whether or not a page names it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse

STATIC = Path(__file__).parent / "static"
COMPONENT = Path(__file__).parent / "component" / "embed.js"
CACHE = "public, max-age=3600"   # a new version reaches every site within the hour
router = APIRouter(include_in_schema=False)


@router.get("/embed.js")
def embed_script():
    return FileResponse(COMPONENT, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": CACHE})


@router.get("/favicon.ico")
def favicon():
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon", headers={"Cache-Control": CACHE})
