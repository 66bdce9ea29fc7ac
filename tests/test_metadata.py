"""Each extraction rule on real sentences: the RTES corpus, and law articles for what must not match."""

from __future__ import annotations

import pytest

from indexer.documents import Document
from indexer.metadata import explain_metadata, extract_metadata
from indexer.metadata.text import fold_same_length

LAW_CONFERENCE = (
    "Pour chaque point de l'ordre du jour, le quorum est atteint lorsque la moitié au moins des membres admis "
    "[…] en prenant part aux débats au moyen d'une conférence téléphonique ou audiovisuelle satisfaisant aux "
    "conditions fixées par l'ordonnance n° 2014-1329 du 6 novembre 2014 relative aux délibérations à distance"
)
LAW_VISIO = (
    "Le cas échéant et lorsque les statuts le prévoient, sont réputés présents pour le calcul du quorum et de la "
    "majorité les associés qui participent à l'assemblée par visioconférence ou par des moyens de télécommunication"
)


def meta(title: str = "", body: str = "", summary: str = "") -> Document:
    return extract_metadata(Document(id="t", title=title, body=body, summary=summary))


def test_fold_keeps_offsets():
    text = "Bénédicte Le Pennec, chargée d’accompagnement au FAR, agence musicale régionale de Normandie"
    folded = fold_same_length(text)
    assert len(folded) == len(text)
    assert folded.index("normandie") == text.index("Normandie")
    assert "chargee d'accompagnement" in folded


@pytest.mark.parametrize("title, summary, expected", [
    ("Fiche Déniché pour vous n°4 : Ville de Lille / Enercoop", "", "Déniché pour vous"),
    ("Point de RepèrESS : Co-construction des politiques publiques", "", "Points de RepèrESS"),
    ("Retour sur la visioconférence CNFPT/RTES Antilles Guyane : Les enjeux de l’ESS pour les collectivités "
     "territoriales - 9 janvier 2017", "", "Conférence en ligne"),
    ("Retour sur la conférence en ligne \"Marchés réservés\" du 5 juin 2018", "", "Conférence en ligne"),
    ("1ère rencontre Auvergne Rhône Alpes des collectivités autour de l’ESS : Clermont-Ferrand, le 25 juin 2018, "
     "SCIC et collectivités locales", "", "Retour de rencontre"),
    ("Retrouvez l’étude RTES/CITEGO \"L’ESS : une opportunité pour repenser la coopération et la transversalité ?\"",
     "", "Étude"),
    ("Les Services d’Intérêt Économique Général",
     "En complément des informations disponibles dans l’espace grand public, retrouvez ici des informations "
     "techniques et pratiques sur la mise en place de Services d’Intérêt Économique Général par les collectivités.",
     "Fiche technique"),
])
def test_type_from_title_then_summary(title, summary, expected):
    assert meta(title, summary=summary).type == expected


@pytest.mark.parametrize("body", [LAW_CONFERENCE, LAW_VISIO])
def test_law_articles_get_no_type(body):
    assert meta("Article R235-27", body).type == ""


@pytest.mark.parametrize("text, year, date", [
    ("Mots clés : transition énergétique, marchés publics. Juin 2016, actualisé en septembre 2017.", "2017", "2017-09"),
    ("Ce 6ème Points de RepèrESS, actualisé en avril 2019, s'intéresse à la co-construction des politiques "
     "publiques […] Elle a été présentée en novembre 2018.", "2019", "2019-04"),
    ("Téléchargez les Points de RepèrESS du RTES \"Marchés publics & ESS\" - Actualisation suite à la réforme de la "
     "commande publique du 1er avril 2019\" (actualisé en juillet 2022).", "2022", "2022-07"),
    ("Elle sera complétée par les interventions et échanges des participants au colloque « ESS & Territoires » du "
     "19 octobre 2017 à Niort dans le cadre du Forum national de l’ESS", "2017", "2017-10-19"),
])
def test_year_from_the_body(text, year, date):
    doc = meta("Retrouvez l’étude RTES/CITEGO", text)
    assert (doc.year, doc.date) == (year, date)


def test_year_from_a_full_date_in_the_title():
    doc = meta("\"La co-construction des politiques publiques\" - conférence en ligne 4 décembre 2018")
    assert (doc.year, doc.date) == ("2018", "2018-12-04")


@pytest.mark.parametrize("year, date, expected", [
    ("", "2021-03-15", ("2021", "2021-03-15")),
    ("2020", "", ("2020", "")),
    ("2020", "2021-03-15", ("2020", "2021-03-15")),
    ("", "mars 2021", ("", "mars 2021")),
])
def test_a_date_or_year_from_the_source_wins_over_the_text(year, date, expected):
    # The body names 2017: a column mapped to ``date`` or ``year`` is kept, a date alone gives its year.
    doc = extract_metadata(Document(id="t", title="Étude", body="actualisé en septembre 2017", year=year, date=date))
    assert (doc.year, doc.date) == expected


@pytest.mark.parametrize("body", [
    LAW_CONFERENCE,
    "La conférence de bassin laitier fonctionne dans les conditions prévues par les articles 4 à 15 du décret "
    "n° 2006-672 du 8 juin 2006 relatif à la création, à la composition",
    "6° La convention n° 29 de l'Organisation internationale du travail concernant le travail forcé, adoptée par la "
    "Conférence internationale du travail dans sa 14e session tenue à Genève le 28 juin 1930 ;",
    "La visioconférence du 9 janvier coorganisée par le CNFPT et le RTES a réuni plus d'une soixantaine de participants",
    "Retrouvez les Points de RepèrESS du RTES, 4 pages qui synthétisent pour les collectivités les principaux leviers "
    "pour le développement de l'ESS suite à la réforme de 2019.",
])
def test_no_year_rather_than_a_wrong_one(body):
    assert (meta("Article R235-27", body).year, meta("", body).date) == ("", "")


def test_themes_from_keywords_line():
    doc = meta("Fiche Déniché pour vous n°4", "Mots clés : transition énergétique, marchés publics. Septembre 2017.")
    assert doc.themes == ("commande publique", "transition écologique et énergétique")


def test_one_passing_mention_is_not_a_theme():
    body = ("Quels sont les avantages et les contraintes de la subvention ?\n"
            "À quelles conditions une subvention est-elle compatible avec la règlementation européenne ?")
    assert meta("Les modes de partenariat", body).themes == ("contractualisation et subventions",)


def test_themes_from_title_and_repeated_mentions():
    body = ("Les Services d’Intérêt Économique Général […] marchés réservés aux entreprises de l’ESS […] "
            "Les démarches, en la matière, de la Région Grand Est […] les marchés réservés SIAE doivent s'accompagner "
            "d'une augmentation des attributions des postes insertion par les Direccte.")
    doc = meta("Retour sur la conférence en ligne \"Marchés réservés\" du 5 juin 2018", body)
    assert doc.themes == ("commande publique", "emploi et insertion")


def test_explain_quotes_the_span_of_each_value():
    doc = meta("Fiche Déniché pour vous n°4 : Ville de Lille / Enercoop",
               "Mots clés : transition énergétique, marchés publics. Juin 2016, actualisé en septembre 2017.")
    explained = explain_metadata(doc)
    assert [e.excerpt for e in explained["type"]] == ["Déniché pour vous"]
    assert [(e.value, e.excerpt) for e in explained["year"]] == [("2017", "actualisé en septembre 2017")]
    assert explained["territory"][-1].to_dict() == {
        "value": "Lille (59)", "rule": "après « Ville de »", "field": "title", "span": [39, 44], "text": "Lille",
    }


def test_explain_says_when_the_source_gave_the_value():
    doc = Document(id="t", title="Article L1", body=LAW_VISIO, type="Code du travail", collection="Légifrance")
    explained = explain_metadata(extract_metadata(doc))
    assert [e.rule for e in explained["type"] + explained["collection"]] == ["valeur fournie par la source"] * 2
