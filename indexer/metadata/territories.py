"""Territories a resource is about, resolved against the official reference.

A place name is taken only with evidence that it *is* a place:

* **free names**, taken wherever they are written with their capitals:
  régions and known variants ("Auvergne Rhöne Alpes", "Grand-Est",
  "AuRA"), names of two or more significant words (départements like
  "Ille-et-Vilaine", communes like "Clermont-Ferrand") and EPCI called
  "… Métropole";
* **cued names**, one-word communes and départements, which are also
  words, surnames or first names ("Nice", "Bar", "Orange", "Thiers",
  "Nord", "Manche"): only right after "Ville de", "Commune de", "Maire
  de", "département de", "Communauté de communes", …, before a
  département code ("Sceaux (92)") or after a postal code ("59000
  LILLE"). So "adjointe au Maire de Thiers" is the commune of Thiers (63)
  — a mayor's town is what the cue says — while "Thiers" alone, a
  surname, or "à Niort", a venue, or "Université de Lille", an
  affiliation, are not taken.

A name never starts or ends inside a hyphenated word ("Grande-Bretagne"
is not "Bretagne"). A name shared by several territories is resolved by
the other places of the document, then by a commune ten times more
populous than the others, else dropped; an ambiguous name without a cue
is always dropped. Each place rolls up to its
département and région (Lille → Nord (59) → Hauts-de-France).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from indexer.metadata.gazetteer import PARTICLES, WORD, NameForm, Territory, gazetteer
from indexer.metadata.text import FIELDS, DocText, Evidence

CUE = re.compile(  # the lookahead lets the engine skip most positions at once
    r"\b(?=[vcmdri])(?:(?P<C>ville|commune|maire|mairie|municipalite)"
    r"|(?P<D>departement|conseil departemental)"
    r"|(?P<R>region|conseil regional|collectivite|ile)"
    r"|(?P<E>communaute de communes|communaute d'agglomeration|communaute urbaine|cc|ca|cu))"
    r" (?P<particle>de la |de l'|de |d'|du |des |)"
)
POSTAL = re.compile(r"\b(\d{5}) (?=[^\W\d_])")
SEPARATOR = re.compile(r"[ \u00a0\-'’]{1,3}")
DEPARTMENT_CODE = re.compile(r" \((\d{2}|2[AB]|97\d)\)")
ELIDED = {"du": ("le",), "des": ("les",), "de la": ("la",), "de l'": ("l",)}
LEVEL_ORDER = "RDEC"
DOMINANCE = 10


@dataclass
class _Match:
    """A name found in a field: the territories it may denote and the rule that took it."""

    field: str
    start: int
    end: int
    candidates: list[Territory]
    rule: str
    cued: bool = True


class _FieldScan:
    """The words of one field, original and folded; offsets are computed only when needed."""

    def __init__(self, text: DocText, field: str):
        self.field = field
        self.original = text.original[field]
        self.words = WORD.findall(text.folded[field])
        self.written = WORD.findall(self.original)

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [m.span() for m in WORD.finditer(self.original)]

    @cached_property
    def at_start(self) -> dict[int, int]:
        return {s: i for i, (s, _) in enumerate(self.spans)}

    @cached_property
    def at_end(self) -> dict[int, int]:
        return {e: i for i, (_, e) in enumerate(self.spans)}

    def originals(self, i: int, j: int) -> list[str]:
        return self.written[i:j]

    def bounded(self, i: int, j: int) -> bool:
        """Whether words i..j-1 form one name: joined by spaces, hyphens or apostrophes only
        ("Nord, Pas-de-Calais" is two names), and not glued by a hyphen to a word outside."""
        if any(not SEPARATOR.fullmatch(self.original[self.spans[k][1]:self.spans[k + 1][0]]) for k in range(i, j - 1)):
            return False
        start, end = self.spans[i][0], self.spans[j - 1][1]
        before = self.original[max(0, start - 2):start]
        after = self.original[end:end + 2]
        return not (len(before) == 2 and before[1] == "-" and before[0].isalnum()) and not (
            len(after) == 2 and after[0] == "-" and after[1].isalnum()
        )

    def match(self, i: int, j: int, candidates: list[Territory], rule: str, cued: bool = True) -> _Match:
        return _Match(self.field, self.spans[i][0], self.spans[j - 1][1], candidates, rule, cued)


def _first_significant_capitalised(words: list[str]) -> bool:
    significant = [w for w in words if w.lower() not in PARTICLES]
    return bool(significant) and significant[0][:1].isupper()


def _free_names(scan: _FieldScan) -> list[_Match]:
    names, lengths, found, after = gazetteer().names, gazetteer().first_lengths, [], 0
    firsts = gazetteer().first_words & set(scan.words)
    starts = [i for i, w in enumerate(scan.words) if w in firsts and scan.written[i][0].isupper()] if firsts else []
    for i in starts:
        if i < after:
            continue
        for n in range(min(lengths[scan.words[i]], len(scan.words) - i), 0, -1):
            forms = [f for f in names.get(tuple(scan.words[i:i + n]), ()) if f.written_in(scan.originals(i, i + n))]
            free = [f for f in forms if f.free]
            if free and scan.bounded(i, i + n):
                rule = "variante connue (territory_aliases.json)" if free[0].alias else "nom officiel"
                found.append(scan.match(i, i + n, _with_homonymous_parts(free, forms), rule, cued=False))
                after = i + n
                break
    return found


def _with_homonymous_parts(free: list[NameForm], forms: list[NameForm]) -> list[Territory]:
    """The territories a free name denotes, and those of the same name inside them
    ("Guyane" the région and the département, not "Bretagne" the commune of Belfort)."""
    regions = {f.territory.id for f in free}
    inside = [
        f.territory for f in forms
        if not f.free and regions & {a.id for a in gazetteer().ancestors(f.territory)}
    ]
    return [f.territory for f in free] + inside


def _longest_after(scan: _FieldScan, i: int, prefix: tuple[str, ...], accept) -> tuple[int, list[Territory]]:
    """The longest name starting at word ``i`` (after ``prefix`` words) whose forms ``accept``."""
    names = gazetteer().names
    for n in range(min(gazetteer().max_words, len(scan.words) - i), 0, -1):
        words = tuple(scan.words[i:i + n])
        forms = [f for key in (prefix + words, words) for f in names.get(key, ()) if accept(f)]
        if forms and scan.bounded(i, i + n):
            return n, [f.territory for f in forms]
    return 0, []


def _cued_names(scan: _FieldScan, folded: str) -> list[_Match]:
    found = []
    for cue in CUE.finditer(folded):
        i = scan.at_start.get(cue.end())
        if i is None or not _first_significant_capitalised(scan.originals(i, i + 4)):
            continue
        level = next(k for k in "CDRE" if cue[k])
        prefix = ELIDED.get(cue["particle"].strip(), ())
        n, candidates = _longest_after(scan, i, prefix, lambda f, level=level: f.territory.level == level)
        if n:
            label = scan.original[cue.start():cue.end()].strip()
            found.append(scan.match(i, i + n, candidates, f"après « {label} »"))
    return found


def _postal_names(scan: _FieldScan) -> list[_Match]:
    found = []
    for code in POSTAL.finditer(scan.original):
        i = scan.at_start.get(code.end())
        communes = set(gazetteer().postal.get(code[1], ()))
        n, candidates = _longest_after(scan, i, (), lambda f: f.territory in communes)
        if n:
            found.append(_Match(scan.field, code.start(), scan.spans[i + n - 1][1], candidates, "code postal et nom"))
    return found


def _coded_names(scan: _FieldScan) -> list[_Match]:
    found = []
    for code in DEPARTMENT_CODE.finditer(scan.original):
        last = scan.at_end.get(code.start())
        if last is None:
            continue
        department = "D" + code[1]
        for n in range(min(gazetteer().max_words, last + 1), 0, -1):
            i = last - n + 1
            forms = gazetteer().names.get(tuple(scan.words[i:last + 1]), ())
            candidates = [f.territory for f in forms if department in (f.territory.id, *f.territory.parents)]
            if candidates and scan.bounded(i, last + 1) and _first_significant_capitalised(scan.originals(i, last + 1)):
                found.append(_Match(scan.field, scan.spans[i][0], code.end(), candidates, "nom et code de département"))
                break
    return found


def _without_ancestors(candidates: list[Territory]) -> list[Territory]:
    """Keep the most precise: "Guyane" is the région and its département; take the département."""
    unique = list({t.id: t for t in candidates}.values())
    above = {a.id for t in unique for a in gazetteer().ancestors(t)}
    return [t for t in unique if t.id not in above]


def _disambiguate(candidates: list[Territory], context: set[str]) -> tuple[Territory | None, str]:
    """One territory for an ambiguous name: the one the document's other places point to, else a
    commune ten times more populous than the others; else none."""
    near = [t for t in candidates if context & {t.id, *(a.id for a in gazetteer().ancestors(t))}]
    if len(near) == 1:
        return near[0], " (les autres lieux du document)"
    ranked = sorted(candidates, key=lambda t: t.population, reverse=True)
    if ranked[0].population >= DOMINANCE * max(ranked[1].population, 1000):
        return ranked[0], " (la plus peuplée de ce nom)"
    return None, ""


def _non_overlapping(matches: list[_Match]) -> list[_Match]:
    """Longest names first; a shorter one overlapping a kept one is dropped."""
    kept: list[_Match] = []
    taken: set[tuple[str, int]] = set()
    for m in sorted(matches, key=lambda m: (m.start - m.end, m.field, m.start)):
        if (m.field, m.start) not in taken and (m.field, m.end - 1) not in taken:
            kept.append(m)
            taken.update((m.field, k) for k in range(m.start, m.end))
    return sorted(kept, key=lambda m: (FIELDS.index(m.field), m.start))


def _resolve(matches: list[_Match]) -> list[tuple[_Match, Territory, str]]:
    resolved, ambiguous = [], []
    for m in matches:
        candidates = _without_ancestors(m.candidates)
        (resolved if len(candidates) == 1 else ambiguous).append((m, candidates))
    chosen = [(m, c[0], m.rule) for m, c in resolved]
    context = {x.id for _, t, _ in chosen for x in (t, *gazetteer().ancestors(t))}
    for m, candidates in ambiguous:
        if not m.cued:  # "Saint-Martin" written alone is a church as often as a commune
            continue
        territory, why = _disambiguate(candidates, context)
        if territory:
            chosen.append((m, territory, m.rule + why))
    return chosen


def explain_territories(text: DocText) -> list[Evidence]:
    """Evidence for each territory and each roll-up, régions first, then départements, EPCI, communes."""
    matches = []
    for field in text.original:
        if not text.original[field]:
            continue
        scan = _FieldScan(text, field)
        matches += _free_names(scan) + _cued_names(scan, text.folded[field])
        matches += _postal_names(scan) + _coded_names(scan)
    evidence: dict[str, Evidence] = {}
    for m, territory, rule in _resolve(_non_overlapping(matches)):
        evidence.setdefault(territory.label, text.evidence("territory", territory.label, rule, m.field, m.start, m.end))
        for parent in gazetteer().ancestors(territory):
            rollup = f"rattachement de {territory.label}"
            evidence.setdefault(parent.label, text.evidence("territory", parent.label, rollup, m.field, m.start, m.end))
    level = {label: LEVEL_ORDER.index(gazetteer().by_label[label].level) for label in evidence}
    return sorted(evidence.values(), key=lambda e: level[e.value])
