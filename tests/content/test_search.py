"""Search: folded spellings and scripts, stems per language, BM25F ranking, typos, synonyms, and only what applies
where the person is."""

from __future__ import annotations

import pytest

from bot.content.analyze import term, terms
from bot.content.fold import fold, words
from bot.content.pack import ContentPack
from bot.content.ranking import Document, Ranking
from bot.content.snippet import snippet


@pytest.mark.parametrize(("text", "expected"), [
    ("Šid", "sid"),
    ("TRAŽILAC", "trazilac"),
    ("Đorđe", "djordje"),
    ("Ђорђе", "djordje"),  # Serbian Cyrillic and Latin meet
    ("азил", "azil"),
    ("Україна", "ukraina"),
    ("убежище", "ubeziste"),
    ("لُجُوء", "لجوء"),  # harakat removed
    ("لجـــوء", "لجوء"),  # tatweel removed
    ("أسئلة", "اسیله"),  # hamza forms, Arabic yeh, ta marbuta
    ("إلى", "الی"),
    ("آخر", "اخر"),
    ("كيف", "کیف"),  # Arabic kaf and yeh read as their Persian forms
    ("می\u200cخواهم", "میخواهم"),  # zero-width non-joiner
    ("۱۲۳ ٤٥", "123 45"),  # Persian and Arabic-Indic digits
    ("Straße", "strasse"),
    ("Sığınma", "siginma"),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_words_drop_links_and_single_letters():
    assert words("See https://example.org/a-b or call 192, a I") == {"see", "or", "call", "192"}


@pytest.mark.parametrize(("language", "one", "other"), [
    ("en", "working", "works"),
    ("sr", "azila", "azilu"),
    ("sr", "азила", "azilu"),  # the Serbian stemmer reads both scripts
    ("ru", "убежища", "убежище"),
    ("ar", "اللجوء", "لجوء"),
    ("fr", "travailler", "travaille"),
    ("mk", "барањето", "барање"),  # no Snowball stemmer: the first letters
])
def test_inflections_meet_on_one_term(language, one, other):
    assert term(one, language) == term(other, language)


def test_arabic_vowel_marks_do_not_split_a_word():
    assert terms("لُجُوء الشُّرْطَة", "ar") == terms("لجوء الشرطة", "ar") == ["لجوء", "شرط"]


def test_terms_keep_repeats_and_drop_single_letters():
    assert terms("work, work: a job", "en") == ["work", "work", "job"]


def ranking(*documents: Document, synonyms=None) -> Ranking:
    return Ranking(documents, synonyms or {})


WORK = Document("a:work", "en", "When can I work?", ["job", "employment"], "After 6 months you may work.")
SCHOOL = Document("a:school", "en", "School for children", ["school"], "Children go to school for free.")
HEALTH = Document("a:health", "en", "Health care", ["doctor"], "You can see a doctor. Work on your health.")


def test_keywords_and_titles_outweigh_a_word_in_the_body():
    scores = ranking(WORK, SCHOOL, HEALTH).score("work", "en")
    assert max(scores, key=scores.get) == "a:work" and scores["a:work"] > 1.5 * scores["a:health"]


def test_a_misspelt_word_finds_the_known_one():
    assert set(ranking(WORK, SCHOOL, HEALTH).score("skool", "en")) == set()  # first letter kept, too far
    assert "a:school" in ranking(WORK, SCHOOL, HEALTH).score("schoool", "en")
    assert "a:school" in ranking(WORK, SCHOOL, HEALTH).score("chilren", "en")


def test_editors_synonyms_stand_for_each_other():
    plain = ranking(WORK, SCHOOL, HEALTH)
    assert plain.score("labour", "en") == {}
    with_synonyms = ranking(WORK, SCHOOL, HEALTH, synonyms={"en": [["work", "labour", "labor"]]})
    assert set(with_synonyms.score("labour", "en")) == {"a:work", "a:health"}


def test_each_language_has_its_own_index():
    arabic = Document("a:work", "ar", "متى يمكنني العمل؟", ["عمل"], "بعد 6 أشهر يمكنك العمل.")
    index = ranking(WORK, arabic)
    assert set(index.score("العمل", "ar")) == {"a:work"} and index.score("العمل", "en") == {}


def test_snippet_is_the_sentence_sharing_most_words_with_the_question():
    body = "## Rights\n\n1. **Housing** is given in a centre.\n2. You may **work** after 6 months. Ask [APC](https://x.org)."
    assert snippet(body, "when can I work", "en") == "You may work after 6 months."
    assert snippet("x " * 200, "x", "en").endswith("…") and len(snippet("x " * 200, "x", "en")) <= 110


def ids(found):
    return [(hit.kind, hit.id) for hit in found]


@pytest.mark.parametrize(("text", "languages", "country", "place", "expected"), [
    ("sid camp", ["en"], "rs", "rs-sid", ("article", "camp-sid")),  # "Šid" in the title, accent folded
    ("trazilac", ["sr_Latn", "sr", "en"], "rs", None, ("article", "asylum-steps-rs")),  # Serbian Latin keyword
    ("لجوء", ["ar", "en"], "rs", None, ("article", "asylum-steps-rs")),  # the keyword is written لُجُوء
    ("الشُّرْطَة", ["ar", "en"], "rs", None, ("article", "asylum-steps-rs")),  # the Arabic stemmer drops "ال"
    ("Where is the camp?", ["en"], "rs", "rs-sid", ("article", "camp-sid")),
    ("documents papers", ["en"], "mk", "mk-skopje", ("article", "documents")),
    ("legal aid", ["en"], "mk", "mk-skopje", ("service", "skopje-legal")),
])
def test_search_finds_first(pack, text, languages, country, place, expected):
    assert ids(pack.search(text, languages, country, place))[0] == expected


@pytest.mark.parametrize("text", ["helicopter", "", "   ", "?!"])
def test_search_finds_nothing_for_unrelated_text(pack, text):
    assert pack.search(text, ["en"], "rs", None) == ()


def test_only_the_persons_languages_are_looked_at(pack):
    assert pack.search("لجوء", ["en"], "rs", None) == ()


def test_another_countrys_pages_and_services_are_left_out(pack):
    assert ("article", "asylum-steps-mk") not in ids(pack.search("asylum", ["en"], "rs", "rs-sid", limit=10))
    assert ("article", "asylum-steps-rs") not in ids(pack.search("asylum", ["en"], "mk", "mk-skopje", limit=10))
    assert ("service", "skopje-legal") not in ids(pack.search("legal aid", ["en"], "rs", None, limit=10))


def test_reported_closed_services_are_not_answers(pack):
    assert ("service", "beta-closed") not in ids(pack.search("Beta legal aid", ["en"], "rs", None, limit=10))


def test_a_hit_is_titled_in_the_persons_language_with_a_snippet(pack):
    [hit, *_] = pack.search("لجوء", ["ar", "en"], "rs", None)
    assert (hit.language, hit.title) == ("ar", "كيف تطلب اللجوء في صربيا")
    assert hit.snippet and hit.score > 0


def test_the_persons_place_counts_a_little_more(pack):
    found = ids(pack.search("clinic", ["en"], "rs", "rs-sid", limit=10))
    assert found.index(("service", "sid-health")) < found.index(("service", "gamma-health"))


def test_empty_pack_finds_nothing():
    assert ContentPack().search("asylum", ["en"], None, None) == ()
