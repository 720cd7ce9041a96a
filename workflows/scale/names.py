"""Applicant names spread as a province's are, for the generated dossiers.

In Burundi a surname is given to each child, not inherited, so a million people carry tens of
thousands of surnames: a few (Niyonzima, Ndayishimiye, Hakizimana...) are shared by many, most by
few. Drawing from a dozen names, as the demo does, makes every name match 80,000 dossiers and
hides what a clerk's name search costs. Here the common names take about a quarter of the draws
and the rest fall on some four thousand names built the way Kirundi names are (a subject, an
often-divine "who", a verb or noun: Ni-yo-nzima, Nda-yi-shimiye, Ha-kizi-mana), less often the
further down the list they are (each common name about 2.5% of dossiers).
"""

import itertools
import random

from workflows.sample_data import FIRST_NAMES as COMMON_FIRST_NAMES
from workflows.sample_data import LAST_NAMES as COMMON_LAST_NAMES

#: The share of surnames drawn from the common ones.
COMMON_SHARE = 0.25
HEADS = (
    "Ni",
    "Nda",
    "Ha",
    "Bi",
    "Ndi",
    "Ntaki",
    "Nshimi",
    "Manira",
    "Nku",
    "Ngenda",
    "Nzeyi",
    "Ntiru",
    "Buku",
    "Sindayi",
    "Kabura",
    "Nduwa",
    "Mpawe",
    "Nyandwi",
    "Ntaho",
    "Ira",
)
MIDDLES = ("yo", "yi", "ri", "ku", "ha", "ra", "ba", "ga", "mu", "ki", "zi", "nya", "ze", "nta")
TAILS = (
    "nzima",
    "shimiye",
    "mana",
    "ngabo",
    "zeye",
    "kiza",
    "tegeka",
    "rutima",
    "kunda",
    "bona",
    "gira",
    "yo",
    "baze",
    "vugwa",
    "kwirimana",
)
EXTRA_FIRST_NAMES = (
    "Eric",
    "Olivier",
    "Josiane",
    "Fabrice",
    "Nadine",
    "Prosper",
    "Gloria",
    "Déo",
    "Ange",
    "Sandrine",
    "Audace",
    "Ornella",
    "Thierry",
    "Chantal",
    "Cédric",
    "Evelyne",
    "Gédéon",
    "Clarisse",
    "Innocent",
    "Rosine",
    "Samuel",
    "Liliane",
    "Vianney",
    "Yvette",
)
FIRST_NAMES = COMMON_FIRST_NAMES + EXTRA_FIRST_NAMES


def composed_surnames() -> list[str]:
    """About four thousand distinct surnames, in a fixed order (the same for every seed), which
    is not alphabetical: the most drawn of them should not all begin alike."""
    names = {
        (head + middle + tail).capitalize()
        for head, middle, tail in itertools.product(HEADS, MIDDLES, TAILS)
    }
    ordered = sorted(names - set(COMMON_LAST_NAMES))
    random.Random(0).shuffle(ordered)
    return ordered


class NameDrawer:
    """Draws (first name, surname) pairs: the common surnames often, the rest by a long tail."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rare = composed_surnames()
        # The n-th rare name is drawn 1/sqrt(n) as often as the first: the first about 0.6% of
        # draws, the last about 0.01% (ten dossiers in an office of a hundred thousand).
        self.rare_weights = list(
            itertools.accumulate(n**-0.5 for n in range(1, len(self.rare) + 1))
        )

    def surname(self) -> str:
        if self.rng.random() < COMMON_SHARE:
            return self.rng.choice(COMMON_LAST_NAMES)
        return self.rng.choices(self.rare, cum_weights=self.rare_weights)[0]

    def first_name(self) -> str:
        return self.rng.choice(FIRST_NAMES)
