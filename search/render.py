"""Text renderings of results for people at a terminal.

Styles are click styles: ``click.echo`` drops them when stdout is not a
terminal, so piped output is plain text.
"""

from __future__ import annotations

import click

from indexer.documents import Document
from search.facet_values import FACET_LABELS
from search.results import Hit, Results, Snippet

FOOTER_VALUES = 6
SENTENCE_ENDS = ".!?…»\")"


def highlight(snippet: Snippet) -> str:
    """The snippet text with its highlight ranges in bold yellow."""
    out, last = [], 0
    for start, end in snippet.highlights:
        out.append(snippet.text[last:start])
        out.append(click.style(snippet.text[start:end], fg="yellow", bold=True))
        last = end
    out.append(snippet.text[last:])
    return "".join(out)


def cut_marks(snippet: Snippet) -> tuple[str, str]:
    """``("… ", " …")`` where the fragment cuts into a sentence: it starts in lower case, or ends unpunctuated.

    Shared by the terminal and the web page; a title is never cut.

    >>> cut_marks(Snippet("body", "point sur les marchés réservés"))
    ('… ', ' …')
    >>> cut_marks(Snippet("body", "Le RTES publie ce guide."))
    ('', '')
    """
    if not snippet.text or snippet.field == "title":
        return "", ""
    head = "… " if snippet.text[0].islower() else ""
    tail = "" if snippet.text[-1] in SENTENCE_ENDS else " …"
    return head, tail


def _ellipsis(snippet: Snippet) -> str:
    """The highlighted fragment, with "…" where it cuts into a sentence."""
    head, tail = cut_marks(snippet)
    return head + highlight(snippet) + tail


def _meta_line(hit: Hit) -> str:
    parts = [p for p in (hit.type, hit.year, ", ".join(hit.territories)) if p]
    if hit.private:
        parts.append("privée")
    return " · ".join(parts)


def render_hit(rank: int, hit: Hit) -> str:
    """Number and bold title, type · year · territories, the fragments, the id."""
    lines = [f"{rank:>2}. " + click.style(hit.title, bold=True)]
    meta = _meta_line(hit)
    if meta:
        lines.append("    " + click.style(meta, fg="cyan"))
    lines.extend("    " + _ellipsis(s) for s in hit.snippets)
    lines.append("    " + click.style(hit.id, dim=True))
    return "\n".join(lines)


def render_facets(
    facets: dict[str, dict[str, int]], limit: int | None = None, territory_levels: dict | None = None
) -> str:
    """One line per facet (``Année : 2018 (3), …``); territories one line per level when given."""
    rows = [(FACET_LABELS.get(name, name), values) for name, values in facets.items() if name != "territory"]
    if territory_levels is None:
        rows.append((FACET_LABELS["territory"], facets.get("territory", {})))
    else:
        rows.extend((f"{FACET_LABELS['territory']} ({'EPCI' if level == 'epci' else level})", values)
                    for level, values in territory_levels.items())
    lines = []
    for label, values in rows:
        if not values:
            continue
        shown = list(values.items())[:limit] if limit else list(values.items())
        text = ", ".join(f"{value or '?'} ({count})" for value, count in shown)
        if limit and len(values) > limit:
            text += f", … (+{len(values) - limit})"
        lines.append(f"{label} : {text}")
    return "\n".join(lines)


def render_results(results: Results) -> str:
    """The whole page for a terminal: header, numbered hits, suggestion, warnings, facet footer."""
    if not results.total:
        return _page(f"Aucun résultat pour « {results.query} ».", results)
    return _page(f"{results.total} résultat(s) pour « {results.query} »{_where(results)}", results)


def render_similar(title: str, results: Results) -> str:
    """Resources close to the one titled ``title``."""
    if not results.total:
        return _page(f"Aucune ressource proche de « {title} ».", results)
    return _page(f"{results.total} ressource(s) proche(s) de « {title} »{_where(results)}", results)


def _where(results: Results) -> str:
    """`` — page 2/3``; nothing past the last page (never ``page 9/2``: the Searcher's warning says which is last)."""
    return f" — page {results.page}/{results.pages}" if results.page <= results.pages else ""


def _page(header: str, results: Results) -> str:
    lines = [header]
    if results.hits:
        first = (results.page - 1) * results.limit
        lines.append("")
        lines.extend(render_hit(first + i + 1, hit) + "\n" for i, hit in enumerate(results.hits))
    if results.suggestion:
        lines.append("Vouliez-vous dire : " + click.style(results.suggestion, bold=True) + " ?")
    lines.extend(f"Attention : {w}" for w in results.warnings)
    footer = render_facets(results.facets, limit=FOOTER_VALUES)
    if footer and results.total:
        lines.extend(["—", click.style(footer, dim=True)])
    return "\n".join(lines)


EXPLAIN_LABELS = {**FACET_LABELS, "date": "Date", "collection": "Collection"}
FIELD_LABELS = {"title": "titre", "summary": "résumé", "body": "texte"}


def render_explanation(explained: dict) -> list[str]:
    """One line per metadata value: the value, the rule, and the quoted span with its place."""
    lines = ["", click.style("Provenance des métadonnées", bold=True)]
    for facet, found in explained.items():
        for e in found:
            where = f" — {FIELD_LABELS.get(e.field, e.field)} [{e.start}:{e.end}] « {e.excerpt} »" if e.field else ""
            lines.append(f"{EXPLAIN_LABELS.get(facet, facet)} : {e.value} ← {e.rule}{click.style(where, dim=True)}")
    return lines


def render_document(doc: Document, explained: dict | None = None) -> str:
    fields = [
        ("Identifiant", doc.id), ("Type", doc.type), ("Collection", doc.collection),
        ("Année", doc.year), ("Date", doc.date), ("Thèmes", ", ".join(doc.themes)),
        ("Territoires", ", ".join(doc.territories)), ("Privée", "oui" if doc.private else "non"),
        ("Source", f"{doc.source}:{doc.line}" if doc.source else ""), ("URL", doc.url),
    ]
    lines = [click.style(doc.title, bold=True), ""]
    lines.extend(f"{label} : {value}" for label, value in fields if value)
    if explained is not None:
        lines.extend(render_explanation(explained))
    if doc.summary:
        lines.extend(["", click.style("Résumé", bold=True), doc.summary])
    if doc.body:
        lines.extend(["", click.style("Texte", bold=True), doc.body])
    return "\n".join(lines)


def render_stats(stats: dict) -> str:
    lines = [
        f"Index : {stats['index_dir']} ({stats['generation']})",
        f"Documents : {stats['documents']}",
        f"Taille : {stats['size_bytes'] / 1024:.0f} Kio",
        f"Version d'analyse : {stats['analyzer_version']}",
        "Sources : " + ", ".join(stats["sources"]),
        "Valeurs de facettes : " + ", ".join(f"{FACET_LABELS.get(k, k)} {v}" for k, v in stats["facet_values"].items()),
    ]
    return "\n".join(lines)
