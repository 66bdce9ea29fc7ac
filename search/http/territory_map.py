"""The map of France on the search page: shapes, shading and links, computed on the server.

Départements come from ``maps/`` (see its README for sources, licence and
credit); each shape's id is an official département code, turned into the
territory labels of the index by ``indexer.metadata``. A région is drawn as
its départements together (one link, one shade). The five overseas
départements are insets below metropolitan France.

The map shows régions, or the départements of one région when a territory
of that région alone is ticked, or when it alone holds every counted
resource. Shades and ``<title>`` come from the same ``territory`` facet
counts as the checkboxes; each shape links to the page with that
territory as the filter, so it works without JavaScript.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from indexer.metadata import territory_level, territory_parents
from indexer.metadata.gazetteer import gazetteer

MAPS = Path(__file__).parent / "maps"
SVG_NS = "{http://www.w3.org/2000/svg}"
OVERSEAS = {"gp": "971", "mq": "972", "gf": "973", "re": "974", "yt": "976"}  # world.svg id → code
METRO_SIZE = (613.0, 585.0)          # france.departments.svg viewBox
INSET_TOP, INSET_HEIGHT, INSET_GAP = 600.0, 74.0, 8.0
INSET_NAME = 19.0                    # the top of each inset holds its name; the shape fits below
MIN_STEP = 0.3                       # map units (the map is 613 wide): closer points are dropped
SHADES = 4                           # classes c1..c4; c0 for none
TOKEN = re.compile(r"[mMzZ]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")

Box = tuple[float, float, float, float]   # x0, y0, x1, y1


@dataclass(frozen=True)
class Shape:
    code: str          # official département code: "59", "2A", "971"
    label: str         # the territory label of the index: "Nord (59)"
    region: str        # its région's label: "Hauts-de-France"
    rings: tuple[tuple[tuple[float, float], ...], ...]   # absolute points, one ring per island
    inset: bool = False

    @property
    def box(self) -> Box:
        return _box(p for ring in self.rings for p in ring)

    @cached_property
    def path(self) -> str:
        """Compact SVG path data: rings thinned to ``MIN_STEP`` and written as relative tenths (computed once)."""
        out, last = [], (0, 0)
        for ring in self.rings:
            points = [(round(x * 10), round(y * 10)) for x, y in _thinned(ring)]
            steps = [(x - px, y - py) for (x, y), (px, py) in zip(points, [last] + points)]
            out.append("m" + _numbers(steps) + "z")
            last = points[0]
        return "".join(out)


def _thinned(ring) -> list[tuple[float, float]]:
    """The ring without points closer than ``MIN_STEP`` to the last one kept (invisible at page size)."""
    kept = [ring[0]]
    for x, y in ring[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= MIN_STEP:
            kept.append((x, y))
    return kept


def _number(tenths: int) -> str:
    """``-205`` → ``-20.5``, ``4`` → ``.4``, ``30`` → ``3``."""
    whole, fraction = divmod(abs(tenths), 10)
    digits = str(whole) if not fraction else (f"{whole}.{fraction}" if whole else f".{fraction}")
    return ("-" if tenths < 0 else "") + digits


def _numbers(steps: list[tuple[int, int]]) -> str:
    """Pairs of tenths as SVG numbers, separated only where a reader needs it.

    A minus sign starts a new number, and so does a point after a number that has one.

    >>> _numbers([(4137, 3084), (67, -205), (4, 0), (4, 5)])
    '413.7 308.4 6.7-20.5.4 0 .4.5'
    """
    text, previous = "", ""
    for value in (v for step in steps for v in step):
        number = _number(value)
        joined = number.startswith("-") or (number.startswith(".") and "." in previous)
        text += number if (joined or not text) else " " + number
        previous = number
    return text


def _box(points) -> Box:
    xs, ys = zip(*points)
    return min(xs), min(ys), max(xs), max(ys)


def parse_rings(d: str) -> list[list[tuple[float, float]]]:
    """Absolute rings of a path made of ``m``/``M`` (then implicit line-tos) and ``z``, as svg-maps writes them.

    >>> parse_rings("m 1,2 3,0 0,3 z m 10,0 1,1 z")
    [[(1.0, 2.0), (4.0, 2.0), (4.0, 5.0)], [(11.0, 2.0), (12.0, 3.0)]]
    """
    tokens, rings = TOKEN.findall(d), []
    x = y = 0.0
    relative, i = True, 0
    while i < len(tokens):
        token = tokens[i]
        if token in "mM":
            relative, i = token == "m", i + 1
            rings.append([])
            continue
        if token in "zZ":
            x, y = rings[-1][0]
            i += 1
            continue
        dx, dy = float(token), float(tokens[i + 1])
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        rings[-1].append((x, y))
        i += 2
    return rings


def _paths(name: str) -> dict[str, str]:
    root = ElementTree.parse(MAPS / name).getroot()
    return {path.get("id"): path.get("d") for path in root.iter(SVG_NS + "path")}


def _shape(code: str, rings, inset: bool = False) -> Shape:
    departement = gazetteer().by_id["D" + code]
    region = gazetteer().by_id[departement.parents[0]].label
    return Shape(code, departement.label, region, tuple(tuple(r) for r in rings), inset)


def _fit(rings, slot: Box) -> list[list[tuple[float, float]]]:
    """``rings`` scaled and moved to the middle of ``slot``, keeping their proportions."""
    x0, y0, x1, y1 = _box(p for ring in rings for p in ring)
    scale = min((slot[2] - slot[0]) / (x1 - x0), (slot[3] - slot[1]) / (y1 - y0))
    dx = slot[0] + ((slot[2] - slot[0]) - (x1 - x0) * scale) / 2 - x0 * scale
    dy = slot[1] + ((slot[3] - slot[1]) - (y1 - y0) * scale) / 2 - y0 * scale
    return [[(x * scale + dx, y * scale + dy) for x, y in ring] for ring in rings]


def inset_slots() -> list[Box]:
    """Five equal boxes in a row below metropolitan France, one per overseas département."""
    width = (METRO_SIZE[0] - INSET_GAP * (len(OVERSEAS) - 1)) / len(OVERSEAS)
    return [(n * (width + INSET_GAP), INSET_TOP, n * (width + INSET_GAP) + width, INSET_TOP + INSET_HEIGHT)
            for n in range(len(OVERSEAS))]


def inset_names() -> list[str]:
    """The overseas départements' names, in the insets' order: "Guadeloupe (971)" is named "Guadeloupe"."""
    return [shape.label.rsplit(" (", 1)[0] for shape in shapes() if shape.inset]


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    """Every département shape, metropolitan then overseas (insets), read once."""
    metro = [_shape(code.upper(), parse_rings(d)) for code, d in _paths("france.departments.svg").items()]
    world = _paths("world.outre-mer.svg")
    overseas = [_shape(code, _fit(parse_rings(world[wid]), (x0, y0 + INSET_NAME, x1, y1)), inset=True)
                for (wid, code), (x0, y0, x1, y1) in zip(OVERSEAS.items(), inset_slots())]
    return tuple(metro + overseas)


def regions_of(label: str) -> set[str]:
    """The régions a territory lies in: itself for a région, through its parents otherwise (an EPCI may span two).

    >>> sorted(regions_of("Lille (59)")), sorted(regions_of("Hauts-de-France"))
    (['Hauts-de-France'], ['Hauts-de-France'])
    """
    if territory_level(label) == "région":
        return {label}
    return set().union(*map(regions_of, territory_parents(label)))


def focus_region(counts: dict[str, int], ticked: tuple[str, ...]) -> str | None:
    """The région whose départements to show, or None for all of France.

    Ticked territories decide when they lie in one drawn région; with none
    ticked, the one région with counted resources, if only one has any.
    """
    drawn = {shape.region: None for shape in shapes()}
    if ticked:
        regions = set().union(*map(regions_of, ticked))
        return regions.pop() if len(regions) == 1 and regions <= drawn.keys() else None
    counted = [region for region in drawn if counts.get(region, 0) > 0]
    return counted[0] if len(counted) == 1 else None


def resources(count: int) -> str:
    """``0`` → "aucune ressource", ``1`` → "1 ressource", ``3`` → "3 ressources"."""
    return "aucune ressource" if count == 0 else f"{count} ressource{'s' if count > 1 else ''}"


@dataclass(frozen=True)
class Area:
    """One link on the map: a région (its départements together) or a département."""

    label: str
    count: int
    shade: int          # 0 (none) to SHADES (the most)
    url: str
    paths: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.label} : {resources(self.count)}"


@dataclass(frozen=True)
class MapView:
    caption: str
    view_box: str
    areas: tuple[Area, ...]
    frames: tuple[tuple[Box, str], ...]   # inset frames and their names, drawn in the whole-France view only
    back_url: str | None           # to all of France, when a ticked territory zoomed in
    most: int

    @property
    def listed(self) -> list[Area]:
        """The areas with resources, most first: the text alternative of the map."""
        return sorted((a for a in self.areas if a.count), key=lambda a: (-a.count, a.label))


def _view_box(box: Box, margin: float = 0.04) -> str:
    x0, y0, x1, y1 = box
    pad = margin * max(x1 - x0, y1 - y0)
    return f"{x0 - pad:.1f} {y0 - pad:.1f} {x1 - x0 + 2 * pad:.1f} {y1 - y0 + 2 * pad:.1f}"


def _areas(region: str | None, counts: dict[str, int], url_for) -> tuple[Area, ...]:
    """The régions of France, or the départements of ``region``, with counts and shades."""
    groups: dict[str, list[Shape]] = {}
    for shape in shapes():
        if region is None or shape.region == region:
            groups.setdefault(shape.label if region else shape.region, []).append(shape)
    most = max((counts.get(label, 0) for label in groups), default=0) or 1
    return tuple(
        Area(label, counts.get(label, 0), math.ceil(SHADES * counts.get(label, 0) / most), url_for(label),
             tuple(shape.path for shape in members))
        for label, members in groups.items()
    )


def _region_box(region: str) -> Box:
    boxes = [shape.box for shape in shapes() if shape.region == region]
    return _box([(b[0], b[1]) for b in boxes] + [(b[2], b[3]) for b in boxes])


def map_view(counts: dict[str, int], ticked: tuple[str, ...], url_for, back_url: str) -> MapView | None:
    """What to draw for the ``territory`` facet ``counts``; None when no drawn territory has any resource.

    ``url_for(label)`` is the page filtered by that territory; ``back_url`` the page without territory filter.
    A région whose départements hold no resource (only the région is named) is shown among the others.
    """
    region = focus_region(counts, ticked)
    areas = _areas(region, counts, url_for)
    if region and not any(area.count for area in areas):
        region, areas = None, _areas(None, counts, url_for)
    if not any(area.count for area in areas):
        return None
    most = max(area.count for area in areas)
    if region:
        return MapView(f"{region} : ressources par département", _view_box(_region_box(region)), areas, (),
                       back_url if ticked else None, most)
    frames = tuple(zip(inset_slots(), inset_names()))
    whole = (0.0, 0.0, METRO_SIZE[0], frames[0][0][3])
    return MapView("Ressources par région", _view_box(whole, 0.01), areas, frames, back_url if ticked else None, most)
