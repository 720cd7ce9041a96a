"""GSM 03.38: what an SMS may carry in 7 bits, and how many messages a text costs."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gup.sms.gsm import (
    ALPHABET,
    BASIC,
    EXTENSION,
    GSM_7,
    UCS_2,
    SmsLength,
    is_gsm,
    segments,
    to_gsm,
)

# --- The alphabet -----------------------------------------------------------------------------


def test_the_default_alphabet_has_its_127_characters_and_the_extension_its_10():
    # 128 code points, one of which is the escape to the extension table.
    assert len(BASIC) == 127
    assert "\x1b" not in ALPHABET
    assert set("^{}\\[~]|€\f") == EXTENSION
    assert not BASIC & EXTENSION


@pytest.mark.parametrize("char", list("éèàùìòÉÇäöñüÄÖÑÜÅåØøÆæß£¥§¿¡ΔΩ@$_"))
def test_characters_of_the_alphabet_are_kept(char):
    assert to_gsm(char) == char


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ê â î ô û", "e a i o u"),
        ("ç", "c"),
        ("Ç", "Ç"),
        ("ë ï ÿ", "e i y"),
        ("À È Ê Ë Î Ï Ô Û Ù", "A E E E I I O U U"),
        ("á í ó ú Á Í Ó Ú ã õ", "a i o u A I O U a o"),
        ("Œuvre, cœur", "OEuvre, coeur"),
        ("n’uko, ‘a’", "n'uko, 'a'"),
        ("“Ndiho” «oui»", '"Ndiho" "oui"'),
        ("« Précisez »", '"Précisez"'),
        ("«\u00a0oui\u00a0» ou «\u202fnon\u202f»", '"oui" ou "non"'),
        ("8–10 — ‐", "8-10 - -"),
        ("Attendez…", "Attendez..."),
        ("235\u00a0000\u00a0BIF", "235 000 BIF"),
        ("Bonjour\u202f!", "Bonjour !"),
        ("mot\u00adcoupé", "motcoupé"),
        ("e\u0301", "é"),  # a decomposed é is the GSM é
        ("e\u0302", "e"),  # a decomposed ê loses its accent
        ("ﬁn", "fin"),
        ("Avenue n° 12, n\u00ba 4", "Avenue no 12, no 4"),
    ],
)
def test_to_gsm_writes_the_closest_gsm_equivalent(text, expected):
    assert to_gsm(text) == expected
    assert is_gsm(to_gsm(text))


@pytest.mark.parametrize("text", ["Привет", "αβγ", "مرحبا", "😀", "☎", "✓"])
def test_characters_without_an_equivalent_are_left_alone(text):
    assert to_gsm(text) == text
    assert segments(to_gsm(text)).encoding == UCS_2


def test_a_french_and_kirundi_text_stays_in_gsm_7():
    text = (
        "Votre demande a été rejetée. Présentez-vous à l’accueil où l’agent vous remettra "
        "la lettre. Dosiye yawe y’uruhusha rw’inzira ntiyemewe: raba ku biro."
    )
    assert segments(to_gsm(text)).encoding == GSM_7


# --- Counting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsLength(GSM_7, 0, 1)),
        ("a", SmsLength(GSM_7, 1, 1)),
        ("a" * 160, SmsLength(GSM_7, 160, 1)),
        ("a" * 161, SmsLength(GSM_7, 161, 2)),
        ("a" * 306, SmsLength(GSM_7, 306, 2)),
        ("a" * 307, SmsLength(GSM_7, 307, 3)),
        ("a" * 459, SmsLength(GSM_7, 459, 3)),
        ("a" * 460, SmsLength(GSM_7, 460, 4)),
        # An extension character counts two septets.
        ("a" * 158 + "€", SmsLength(GSM_7, 160, 1)),
        ("a" * 159 + "€", SmsLength(GSM_7, 161, 2)),
        ("[" * 80, SmsLength(GSM_7, 160, 1)),
        ("[" * 81, SmsLength(GSM_7, 162, 2)),
        # The escape and its character are never split: the first part then holds 152.
        ("a" * 152 + "€" + "a" * 151, SmsLength(GSM_7, 305, 2)),
        ("a" * 152 + "€" + "a" * 152, SmsLength(GSM_7, 306, 3)),
        ("a" * 151 + "€" + "a" * 153, SmsLength(GSM_7, 306, 2)),
        # UCS-2.
        ("ê" * 70, SmsLength(UCS_2, 70, 1)),
        ("ê" * 71, SmsLength(UCS_2, 71, 2)),
        ("ê" * 134, SmsLength(UCS_2, 134, 2)),
        ("ê" * 135, SmsLength(UCS_2, 135, 3)),
        # One character outside GSM and the whole text is UCS-2, even the GSM letters.
        ("a" * 69 + "ê", SmsLength(UCS_2, 70, 1)),
        ("a" * 70 + "ê", SmsLength(UCS_2, 71, 2)),
        # An emoji is a surrogate pair: two units, never split between two parts.
        ("😀" * 35, SmsLength(UCS_2, 70, 1)),
        ("a" * 69 + "😀", SmsLength(UCS_2, 71, 2)),
        ("a" * 66 + "😀" + "a" * 65, SmsLength(UCS_2, 133, 2)),
        ("a" * 66 + "😀" + "a" * 66, SmsLength(UCS_2, 134, 3)),
        ("a" * 65 + "😀" + "a" * 67, SmsLength(UCS_2, 134, 2)),
    ],
)
def test_segments(text, expected):
    assert segments(text) == expected


# --- Properties -------------------------------------------------------------------------------

#: Latin text as French and Kirundi write it: every character has a GSM form.
latin = st.text(
    alphabet=st.sampled_from(
        string.ascii_letters
        + string.digits
        + " .,;:!?'\"()-/%&+\n"
        + "éèêëàâäîïôöùûüçÇÉÈÊÀÂÎÔÛœŒæÆñÑ’‘“”«»–—…\u00a0\u202f"
    )
)
anything = st.text()


@given(latin)
def test_latin_text_becomes_gsm_7(text):
    assert segments(to_gsm(text)).encoding == GSM_7


@given(anything)
def test_to_gsm_keeps_gsm_text_unchanged_and_is_idempotent(text):
    once = to_gsm(text)
    assert to_gsm(once) == once
    if is_gsm(text):
        assert once == text


@given(anything, st.characters())
def test_the_count_never_falls_as_the_text_grows(text, char):
    assert segments(text + char).count >= segments(text).count
    assert segments(char + text).count >= segments(text).count


@given(anything)
def test_the_count_is_the_fewest_parts_the_units_allow(text):
    length = segments(text)
    single, part = (160, 153) if length.encoding == GSM_7 else (70, 67)
    if length.units <= single:
        assert length.count == 1
    else:
        # Never fewer parts than a plain division; at most one more per unsplittable pair.
        assert length.count >= -(-length.units // part)
        assert length.count <= -(-length.units // (part - 1))
