"""JSONL and CSV ingesters with a field mapping, gzip accepted.

Other organisations' exports and the evaluation collections are tables of
records; a ``FieldMapping`` says which column is the id, the title, the
text, and which columns fill facets (``--field type=kind``). A bad line is
an IngestError with its line number, never an exception.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from indexer.documents import TRUE_VALUES, Document, IngestError

MULTI_FIELDS = ("themes", "territories")
# Facet names users type (and the Document attribute each fills).
FACET_TARGETS = {
    "type": "type", "year": "year", "date": "date", "theme": "themes", "territory": "territories",
    "summary": "summary", "url": "url", "collection": "collection", "private": "private",
}
_SURROGATE = re.compile("[\udc80-\udcff]")  # bytes surrogateescape could not decode


@dataclass(frozen=True)
class FieldMapping:
    """Which source column fills which Document field; and, for a crawl folder, which pages are documents.

    ``resources_only``: only the pages with the RTES "Type de ressource" field
    (``index --resources-only``), not every page with text.
    """

    id_field: str = "id"
    title_field: str = "title"
    text_field: str = "text"
    fields: tuple[tuple[str, str], ...] = field(default=())
    resources_only: bool = False

    def to_record(self) -> dict:
        """The mapping as the manifest keeps it, so that later runs read the sources the same way."""
        return {
            "id_field": self.id_field, "title_field": self.title_field, "text_field": self.text_field,
            "fields": [list(f) for f in self.fields], "resources_only": self.resources_only,
        }

    @classmethod
    def from_record(cls, data: dict | None) -> "FieldMapping | None":
        """The mapping a manifest kept (``to_record``), or None when it kept none."""
        if not data:
            return None
        return cls(data["id_field"], data["title_field"], data["text_field"], tuple(map(tuple, data["fields"])),
                   data.get("resources_only", False))

    @classmethod
    def parse_fields(cls, specs: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
        """``["type=kind", "theme=tags"]`` → ``(("type", "kind"), ("theme", "tags"))``."""
        out = []
        for spec in specs:
            name, sep, column = spec.partition("=")
            if not sep or not column or name not in FACET_TARGETS:
                raise ValueError(
                    f"--field attend CHAMP=COLONNE avec CHAMP parmi {', '.join(FACET_TARGETS)} (reçu {spec!r})"
                )
            out.append((name, column))
        return tuple(out)


def _open_binary(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _open_text(path: Path) -> io.TextIOBase:
    """Text whose undecodable bytes become lone surrogates (``surrogateescape``), so that
    a bad line is found and reported on its own instead of stopping the whole file."""
    return io.TextIOWrapper(_open_binary(path), encoding="utf-8", errors="surrogateescape", newline="")


UNDECODABLE = "ligne illisible : octets qui ne sont pas de l'UTF-8"


def _value(record: dict, column: str) -> str:
    value = record.get(column)
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def record_to_document(record: dict, mapping: FieldMapping, source: str, line: int) -> Document | IngestError:
    """Map one record to a Document, or say which required column is missing."""
    if not isinstance(record, dict):
        return IngestError(source, line, "enregistrement qui n'est pas un objet")
    doc_id = _value(record, mapping.id_field).strip()
    if not doc_id:
        return IngestError(source, line, f"identifiant manquant (colonne {mapping.id_field!r})")
    values: dict = {}
    for name, column in mapping.fields:
        target, raw = FACET_TARGETS[name], _value(record, column).strip()
        if target in MULTI_FIELDS:
            values[target] = tuple(v.strip() for v in raw.split(",") if v.strip())
        elif target == "private":
            values[target] = raw.lower() in TRUE_VALUES
        else:
            values[target] = raw
    return Document(
        id=doc_id,
        title=_value(record, mapping.title_field).strip() or doc_id,
        body=_value(record, mapping.text_field),
        source=source,
        line=line,
        **values,
    )


def ingest_jsonl(path: Path, mapping: FieldMapping | None = None) -> Iterator[Document | IngestError]:
    """One Document per JSON line of ``path`` (``.jsonl`` or ``.jsonl.gz``)."""
    mapping = mapping or FieldMapping()
    source = str(path)
    try:
        with _open_binary(path) as lines:
            for number, raw in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    yield IngestError(source, number, UNDECODABLE)
                    continue
                except json.JSONDecodeError as exc:
                    yield IngestError(source, number, f"JSON invalide : {exc.msg}")
                    continue
                yield record_to_document(record, mapping, source, number)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        yield IngestError(source, 0, f"fichier illisible : {exc}")


def ingest_csv(path: Path, mapping: FieldMapping | None = None) -> Iterator[Document | IngestError]:
    """One Document per row of ``path`` (``.csv`` or ``.csv.gz``, header required)."""
    mapping = mapping or FieldMapping()
    source = str(path)
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                if _SURROGATE.search("".join(v for v in row.values() if isinstance(v, str))):
                    yield IngestError(source, reader.line_num, UNDECODABLE)
                    continue
                yield record_to_document(row, mapping, source, reader.line_num)
    except (OSError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        yield IngestError(source, 0, f"fichier illisible : {exc}")
