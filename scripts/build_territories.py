#!/usr/bin/env python3
"""Regenerate indexer/data/territories.tsv from Etalab's découpage administratif.

The indexer resolves place names against this compact table (régions,
départements, current communes with postal codes and population, EPCI
with the départements of their member communes). The source files are
in data/decoupage-administratif-2026/ (Licence Ouverte; see its README):

    python scripts/build_territories.py            # writes indexer/data/territories.tsv

One row per territory, tab-separated: level (R, D, C, E), official code,
official name, parent codes (space-separated: région of a département,
département of a commune, départements of an EPCI), population (communes)
and postal codes (communes). Commas never occur in names (they separate
values of the facet field), so an EPCI name's commas become " -".
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "decoupage-administratif-2026"
TARGET = ROOT / "indexer" / "data" / "territories.tsv"
HEADER = (
    "# Territoires français, millésime 2026 : régions, départements, communes actuelles, EPCI.\n"
    "# Source : Etalab, découpage administratif (@etalab/decoupage-administratif 6.0.0 ; INSEE COG, DGCL,\n"
    "# La Poste), Licence Ouverte. Généré par scripts/build_territories.py ; ne pas modifier à la main.\n"
    "# niveau\tcode\tnom\tparents\tpopulation\tcodes_postaux\n"
)


def _load(name: str) -> list[dict]:
    with gzip.open(SOURCE / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _row(*cells) -> str:
    return "\t".join(str(c).replace(",", " -").replace("\t", " ") for c in cells) + "\n"


def territory_rows() -> list[str]:
    """Every row of the table, régions first, in the source's order."""
    communes = [c for c in _load("communes") if c["type"] == "commune-actuelle"]
    department_of = {c["code"]: c["departement"] for c in communes}
    rows = [_row("R", r["code"], r["nom"], "", "", "") for r in _load("regions")]
    rows += [_row("D", d["code"], d["nom"], d["region"], "", "") for d in _load("departements")]
    rows += [
        _row("C", c["code"], c["nom"], c["departement"], c.get("population", 0), " ".join(c.get("codesPostaux", [])))
        for c in communes
    ]
    for epci in _load("epci"):
        departments = sorted({department_of[m["code"]] for m in epci["membres"] if m["code"] in department_of})
        rows.append(_row("E", epci["code"], epci["nom"], " ".join(departments), "", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    rows = territory_rows()
    args.output.write_text(HEADER + "".join(rows), encoding="utf-8")
    print(f"{len(rows)} territoires écrits dans {args.output}")


if __name__ == "__main__":
    main()
