"""Part 2 of the reliability suite, short: the fault soak with a few repetitions and one real module run.

``make soak`` runs the long version (tests/reliability/soak.py --repetitions 100).
"""

from __future__ import annotations

import pytest
from harness import Endpoint
from soak import JOBS, report, soak

REPETITIONS = 15


@pytest.fixture(scope="module")
def figures(endpoint_session: Endpoint) -> dict:
    result = soak(endpoint_session, repetitions=REPETITIONS, module_runs=1, seed=1)
    print(report(result))
    return result


@pytest.mark.parametrize("how", ["in_process", "ansible_playbook"])
def test_every_listing_returns_exactly_the_seeded_jobs(figures: dict, how: str) -> None:
    f = figures[how]
    assert f["listings"] == (REPETITIONS if how == "in_process" else 1)
    assert (f["failures"], f["duplicates"], f["missing"], f["unexpected"]) == (0, 0, 0, 0), f["errors"]


def test_the_faults_really_happened(figures: dict) -> None:
    for how in ("in_process", "ansible_playbook"):
        faults, requests = figures[how]["faults"], figures[how]["requests"]
        pages = JOBS // 1000 * figures[how]["listings"]
        assert requests > 2 * pages  # most requests were refused or cut off and had to be repeated
        assert faults["throttle"] > 0
    # Enough in-process requests (about 20 a listing) for every kind to have happened.
    faults = figures["in_process"]["faults"]
    assert faults["throttle"] > faults["error500"] > 0
    assert faults["drop"] > 0 and faults["latency"] > 0
