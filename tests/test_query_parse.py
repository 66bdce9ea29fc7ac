"""The query parser alone: each syntax form gives the tree it should, and odd input gives warnings."""

from __future__ import annotations

import pytest

from search import QuerySyntaxError
from search.query import All, Any, Facet, Not, Phrase, Word, parse


def tree(text):
    return parse(text)[0]


def test_plain_words_must_all_match():
    assert tree("marchés réservés article 37") == All((
        Word("marchés", 0), Word("réservés", 8), Word("article", 17), Word("37", 25),
    ))


def test_phrase_and_french_exclusion():
    assert tree('"marchés réservés" SAUF insertion') == All((Phrase("marchés réservés", 0), Not(Word("insertion", 24))))


@pytest.mark.parametrize("text", ["co-construction OU concertation", "co-construction OR concertation"])
def test_or_in_french_and_english(text):
    assert tree(text) == Any((Word("co-construction", 0), Word("concertation", len(text) - 12)))


def test_or_binds_tighter_than_and():
    assert tree("ess emploi OU insertion") == All((Word("ess", 0), Any((Word("emploi", 4), Word("insertion", 14)))))


@pytest.mark.parametrize("text", ["ess ET emploi", "ess AND emploi", "ess emploi"])
def test_and_is_explicit_or_implicit(text):
    assert tree(text) == All((Word("ess", 0), Word("emploi", len(text) - 6)))


@pytest.mark.parametrize("text", ["ess -emploi", "ess SAUF emploi", "ess NOT emploi"])
def test_three_ways_to_exclude(text):
    assert tree(text) == All((Word("ess", 0), Not(Word("emploi", len(text) - 6))))


def test_lowercase_operators_are_words():
    assert tree("emploi et insertion") == All((Word("emploi", 0), Word("et", 7), Word("insertion", 10)))


def test_parentheses_group():
    assert tree("(SCIC OU coopérative) Clermont") == All((
        Any((Word("SCIC", 1), Word("coopérative", 9))), Word("Clermont", 22),
    ))


@pytest.mark.parametrize("prefix, field", [
    ("titre:", "title"), ("Titre:", "title"), ("title:", "title"), ("résumé:", "summary"), ("resume:", "summary"),
    ("texte:", "body"),
])
def test_text_field_prefixes(prefix, field):
    assert tree(prefix + "SCIC") == Word("SCIC", len(prefix), (field,))


def test_field_prefix_applies_to_a_group_and_a_phrase():
    assert tree('titre:(SCIC OU "marchés réservés")') == Any((
        Word("SCIC", 7, ("title",)), Phrase("marchés réservés", 15, ("title",)),
    ))


@pytest.mark.parametrize("text, field, value", [
    ("type:étude", "type", "étude"), ("année:2018", "year", "2018"), ("annee:2018", "year", "2018"),
    ("thème:SCIC", "theme", "SCIC"), ('territoire:"Grand Est"', "territory", "Grand Est"),
    ("year:2017", "year", "2017"),
])
def test_facet_prefixes(text, field, value):
    assert tree(text) == Facet(field, value, text.index(":") + 1)


def test_prefix_word():
    assert tree("constru*") == Word("constru", 0, prefix=True)


def test_french_quotes_make_a_phrase():
    assert tree("« économie sociale »") == Phrase(" économie sociale ", 0)


def test_empty_query_is_no_tree():
    assert parse("   ") == (None, ())


@pytest.mark.parametrize("text, position, message", [
    ("marchés (réservés", 8, "parenthèse ouvrante sans fermante"),
    ("marchés) réservés", 7, "parenthèse fermante sans ouvrante"),
    ('"marchés réservés', 0, "guillemet non fermé"),
    ("OU insertion", 0, "opérateur « OU » sans terme à gauche"),
    ("insertion OU", 10, "opérateur « OU » sans terme à droite"),
    ("auteur:Fraisse", 0, "champ inconnu « auteur »"),
    ("titre: ", 0, "champ « titre » sans valeur, ignoré"),
    ("type:", 0, "champ « type » sans valeur, ignoré"),
    ("-", 0, "signe ou opérateur sans terme à droite, ignoré"),
])
def test_what_is_not_understood_is_a_warning_or_a_strict_error(text, position, message):
    parsed, warnings = parse(text)
    if message is None:
        assert warnings == ()
        return
    assert warnings[0].position == position and message in str(warnings[0])
    with pytest.raises(QuerySyntaxError) as error:
        parse(text, strict=True)
    assert error.value.position == position
    assert f"(position {position + 1})" in str(error.value)


def test_lenient_parse_keeps_the_words():
    assert tree('"marchés réservés') == All((Word("marchés", 1), Word("réservés", 9)))
    assert tree("auteur:Fraisse") == All((Word("auteur", 0, literal=True), Word("Fraisse", 7)))


def test_long_and_deep_queries_are_cut_with_a_warning():
    parsed, warnings = parse(" ".join(["mot"] * 100))
    assert len(parsed.items) == 32 and "requête trop longue" in str(warnings[0])
    parsed, warnings = parse("(" * 100 + "ess")
    assert parsed == Word("ess", 100) and len(warnings) == 5
    parsed, warnings = parse("titre:" * 100 + "ess")
    assert parsed == Word("ess", 600, ("title",))
    assert "préfixes de champ trop imbriqués, ignorés (position 97)" == str(warnings[0])
