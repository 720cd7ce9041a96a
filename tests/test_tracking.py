"""Tracking numbers: readable, and a mistyped one is "unknown", never someone else's dossier.

What Luhn mod N (here N = 36, the alphabet 0-9A-Z) guarantees, for any payload:

* every single-character substitution changes the check, so it is detected;
* a swap of two adjacent, different characters is detected unless the two characters are the
  values 0 and N - 1, that is "0" and "Z" (the mod-36 analogue of Luhn's 09 <-> 90 blind spot).

In a tracking number the letters (office code) and the digits (year, sequence) sit in separate
dash-delimited groups, so "0" and "Z" are never neighbours and a swap across a dash breaks the
format: every adjacent swap of different characters in a tracking number is rejected.
"""

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from workflows.tracking import (
    ALPHABET,
    check_character,
    format_tracking_number,
    is_valid,
    normalize,
)

office_codes = st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3)
years = st.integers(min_value=2017, max_value=2100)
sequences = st.integers(min_value=1, max_value=9_999_999)
tracking_numbers = st.builds(format_tracking_number, office_codes, years, sequences)
payloads = st.text(alphabet=ALPHABET, min_size=2, max_size=20)


def test_the_format_is_office_year_sequence_and_check_character():
    number = format_tracking_number("GIT", 2026, 42)

    assert re.fullmatch(r"GIT-2026-000042-[0-9A-Z]", number)
    assert number == "GIT-2026-000042-B"


def test_a_sequence_beyond_six_digits_still_makes_a_valid_number():
    number = format_tracking_number("NGO", 2027, 1_234_567)

    assert number.startswith("NGO-2027-1234567-")
    assert is_valid(number)


@given(tracking_numbers)
def test_every_generated_number_is_valid(number):
    assert is_valid(number)


@given(tracking_numbers, st.data())
def test_any_single_character_substitution_is_rejected(number, data):
    position = data.draw(st.integers(min_value=0, max_value=len(number) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET + "-").filter(lambda c: c != number[position]))
    mistyped = number[:position] + replacement + number[position + 1 :]

    assert not is_valid(mistyped)


@given(tracking_numbers, st.data())
def test_any_swap_of_two_adjacent_different_characters_is_rejected(number, data):
    position = data.draw(
        st.integers(min_value=0, max_value=len(number) - 2).filter(
            lambda i: number[i] != number[i + 1]
        )
    )
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]

    assert not is_valid(swapped)


@given(payloads, st.data())
def test_luhn_mod_36_detects_adjacent_swaps_except_zero_and_z(payload, data):
    """The general guarantee, on any payload followed by its check character."""
    word = payload + check_character(payload)
    position = data.draw(
        st.integers(min_value=0, max_value=len(word) - 2).filter(lambda i: word[i] != word[i + 1])
    )
    swapped = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    still_checks = check_character(swapped[:-1]) == swapped[-1]

    assert still_checks == ({word[position], word[position + 1]} == {"0", "Z"})


def test_the_zero_z_swap_is_the_blind_spot_luhn_mod_36_admits():
    assert check_character("A0Z") == check_character("AZ0")


@given(tracking_numbers, st.data())
def test_normalize_accepts_what_people_type(number, data):
    compact = number.replace("-", "")
    separators = data.draw(
        st.lists(
            st.sampled_from(["", " ", "-", "  "]), min_size=len(compact), max_size=len(compact)
        )
    )
    typed = "".join(sep + char for sep, char in zip(separators, compact, strict=True)).lower()

    assert normalize(typed) == number
    assert is_valid(normalize(typed))


def test_normalize_examples():
    assert normalize("git-2026-000042-b") == "GIT-2026-000042-B"
    assert normalize(" GIT 2026 000042 B ") == "GIT-2026-000042-B"
    assert normalize("GIT2026000042B") == "GIT-2026-000042-B"
    assert normalize("git--2026--000042--b") == "GIT-2026-000042-B"


def test_garbage_is_not_valid():
    assert not is_valid("")
    assert not is_valid(normalize(""))
    assert not is_valid("hello")
    assert not is_valid("git-2026-000042-b")  # is_valid wants the normalized form
