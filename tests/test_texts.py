"""Reasons written for a citizen (a rejection, a return, a request) must say something."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.texts import reasons_problems

TOO_SHORT = "Write at least 20 characters, so the citizen knows what to do."
NO_WORDS = "Write the reasons in words, not only digits or punctuation."
ONE_WORD = "Write the reasons as a sentence of at least two words."


@pytest.mark.parametrize(
    "text",
    [
        "Le plan cadastral manque la signature du géomètre.",
        "The site plan is missing the surveyor's signature.",
        "Urupapuro rw’itongo ntirwashizweko umukono w’umuhinga.",
        "Urupapuro rw'itongo ntirwashizweko umukono w'umuhinga.",
        "  Il manque la photo d'identité.  \n",
        "Pièce 3 : le reçu n°12 est illisible.",
    ],
)
def test_a_real_sentence_is_accepted(text):
    assert reasons_problems(text) == []


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("ok", [TOO_SHORT, ONE_WORD]),
        ("non", [TOO_SHORT, ONE_WORD]),
        ("....", [TOO_SHORT, NO_WORDS]),
        ("12345", [TOO_SHORT, NO_WORDS]),
        ("", [TOO_SHORT, NO_WORDS]),
        ("   \n\t  ", [TOO_SHORT, NO_WORDS]),
        ("Incomplet.", [TOO_SHORT, ONE_WORD]),
        ("Incompletincompletincomplet", [ONE_WORD]),
        ("1234567890 ... 1234567890 !!!", [NO_WORDS]),
        ("Non, non.", [TOO_SHORT]),
    ],
)
def test_empty_or_meaningless_reasons_are_refused(text, problems):
    assert reasons_problems(text) == problems


def test_the_length_is_counted_without_surrounding_spaces():
    assert reasons_problems("   Pas signé.   ", minimum=11) == [
        "Write at least 11 characters, so the citizen knows what to do."
    ]
    assert reasons_problems("   Pas signé.   ", minimum=10) == []


def test_a_kirundi_word_joined_by_an_apostrophe_is_one_word():
    assert reasons_problems("n’amatazirano", minimum=1) == [ONE_WORD]
    assert reasons_problems("izina n’amatazirano", minimum=1) == []


def test_the_minimum_can_be_lowered_for_a_short_request():
    assert reasons_problems("Photo floue.", minimum=5) == []


def test_messages_follow_the_active_language():
    with translation.override("fr"):
        problems = reasons_problems("ok")

    assert problems == [
        "Écrivez au moins 20 caractères, pour que le citoyen sache quoi faire.",
        "Écrivez les motifs en une phrase d’au moins deux mots.",
    ]


@settings(deadline=None)
@given(st.text(alphabet=st.characters(categories=["Nd", "P", "Zs", "S"])))
def test_digits_and_punctuation_alone_are_always_refused(text):
    assert NO_WORDS in reasons_problems(text)


@settings(deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(categories=["Ll", "Lu"]), min_size=2, max_size=12),
        min_size=2,
        max_size=12,
    )
)
def test_enough_words_of_letters_are_accepted(words):
    text = " ".join(words)

    assert reasons_problems(text, minimum=len(text)) == []
