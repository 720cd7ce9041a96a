"""The traffic the load test sends: who comes, how often, what they do, and where it leads.

Plain data, without Locust (whose import patches the standard library for gevent), so that
``tests/test_load_mix.py`` can check in the test process that every path still resolves to the
view it is meant for, and that the locustfile uses exactly these tasks and weights.

The mix is that of an ordinary working day: citizens far outnumber staff but think longer
between pages (on a phone, often on a slow link); clerks work through the counter's queue;
officers through the review queue; a few supervisors look at their statistics (which read from
the replica, when there is one). Weights are relative within each kind of user.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One thing a user does, as one or more requests in a row."""

    weight: int
    #: (path, URL name it must resolve to); ``{placeholders}`` are filled in at run time.
    paths: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Kind:
    """A kind of user: how many of them per run, how long they think, what they do."""

    weight: int
    think_seconds: tuple[float, float]
    tasks: dict[str, Task]


CITIZEN = Kind(
    weight=12,
    think_seconds=(3, 10),
    tasks={
        "browse_the_catalogue": Task(
            4, (("/services/", "catalogue"), ("/services/{service}/", "service_detail"))
        ),
        "track_a_dossier": Task(3, (("/track/", "track"),)),
        "start_filing_online": Task(
            1,
            (
                ("/services/{service}/apply/", "citizen_start"),
                ("/apply/{public_id}/applicant/", "citizen_step"),
            ),
        ),
    },
)

CLERK = Kind(
    weight=5,
    think_seconds=(2, 6),
    tasks={
        "open_the_counter_queue": Task(
            4, (("/counter/", "counter_queue"), ("/counter/?show={tab}", "counter_queue"))
        ),
        "search_the_queue": Task(2, (("/counter/?q={name}", "counter_queue"),)),
        "open_a_dossier": Task(
            3,
            (
                ("/counter/?show=all", "counter_queue"),
                ("/counter/?show=all&after={cursor}", "counter_queue"),
                ("/dossiers/{number}/", "dossier_detail"),
            ),
        ),
        "start_checking_a_dossier": Task(
            1,
            (
                ("/counter/?show=to-check", "counter_queue"),
                ("/dossiers/{number}/steps/start_intake/", "dossier_step"),
            ),
        ),
    },
)

OFFICER = Kind(
    weight=3,
    think_seconds=(2, 6),
    tasks={
        "open_the_review_queue": Task(
            4, (("/review/", "review_queue"), ("/review/?show={tab}", "review_queue"))
        ),
        "open_a_dossier": Task(
            3,
            (
                ("/review/?show=all", "review_queue"),
                ("/review/?show=all&after={cursor}", "review_queue"),
                ("/dossiers/{number}/", "dossier_detail"),
            ),
        ),
        "claim_a_dossier": Task(
            1,
            (
                ("/review/?show=to-claim", "review_queue"),
                ("/dossiers/{number}/steps/receive/", "dossier_step"),
            ),
        ),
    },
)

SUPERVISOR = Kind(
    weight=1,
    think_seconds=(5, 15),
    tasks={
        "look_at_the_statistics": Task(1, (("/supervision/", "supervision"),)),
        "list_the_overdue": Task(1, (("/supervision/?show=overdue&page={page}", "supervision"),)),
    },
)

KINDS = {"citizen": CITIZEN, "clerk": CLERK, "officer": OFFICER, "supervisor": SUPERVISOR}

#: Tabs the staff click, and how many pages deep they go at most.
COUNTER_TABS = ("to-check", "payment", "citizen", "at-institution", "collection")
REVIEW_TABS = ("to-claim", "mine", "all")
DEEPEST_PAGE = 5
#: A queue's "Next" link: its keyset cursor (``&after=<expected date>,<id>``, URL-encoded).
NEXT_PAGE = re.compile(r'href="\?show=all&amp;after=([^"&]+)[^"]*">')
#: Names clerks type in the search box.
SEARCHED_NAMES = ("ndayishimiye", "niyonzima", "irakoze", "bizimana", "kwizera", "aline")
