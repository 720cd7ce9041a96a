"""The load test cannot rot: its paths lead to the views they are meant for, and the locustfile
acts out exactly the mix it declares (``tests/load/mix.py``).

The locustfile itself is imported in a separate Python: Locust patches the standard library for
gevent on import, which this test process must not undergo.
"""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from tests.load import mix

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "service": "passport",
    "public_id": uuid.uuid4(),
    "number": "GIT-2026-000123-7",
    "tab": "to-check",
    "name": "ndayishimiye",
    "page": 2,
    "cursor": "2026-11-30%2C1234",
}
EVERY_PATH = [
    (kind_name, task_name, path, url_name)
    for kind_name, kind in mix.KINDS.items()
    for task_name, task in kind.tasks.items()
    for path, url_name in task.paths
]


@pytest.mark.parametrize(("kind", "task", "path", "url_name"), EVERY_PATH)
def test_every_path_of_the_mix_resolves_to_its_view(kind, task, path, url_name):
    concrete = path.format(**SAMPLES).split("?")[0]
    try:
        match = resolve(concrete)
    except Resolver404:
        pytest.fail(f"{kind}.{task}: {concrete} leads nowhere")
    assert match.url_name == url_name, f"{kind}.{task}: {concrete} is {match.url_name}"


def test_the_mix_has_every_kind_of_user_with_sensible_weights_and_think_times():
    assert set(mix.KINDS) == {"citizen", "clerk", "officer", "supervisor"}
    # Citizens outnumber clerks, who outnumber officers, who outnumber supervisors.
    weights = [mix.KINDS[k].weight for k in ("citizen", "clerk", "officer", "supervisor")]
    assert weights == sorted(weights, reverse=True) and weights[-1] >= 1
    for kind in mix.KINDS.values():
        low, high = kind.think_seconds
        assert 1 <= low < high
        assert all(task.weight >= 1 and task.paths for task in kind.tasks.values())


PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from tests.load import locustfile, mix
users = {{}}
for name, user in locustfile.USERS.items():
    users[name] = {{
        "kind": [key for key, kind in mix.KINDS.items() if kind is user.kind],
        "weight": user.weight,
        "tasks": {{function.__name__: weight for function, weight in user.tasks.items()}},
        "wait": [user.wait_time(None) for _ in range(50)],
    }}
print(json.dumps(users))
"""


def test_the_locustfile_acts_out_the_mix_with_its_weights_and_think_times():
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    users = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(users) == set(mix.KINDS)
    for name, kind in mix.KINDS.items():
        user = users[name]
        assert user["kind"] == [name]
        assert user["weight"] == kind.weight
        assert user["tasks"] == {task: t.weight for task, t in kind.tasks.items()}
        low, high = kind.think_seconds
        assert all(low <= wait <= high for wait in user["wait"])
