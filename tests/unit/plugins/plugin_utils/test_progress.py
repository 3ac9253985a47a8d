from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending, ProgressReporter, duration


@pytest.mark.parametrize(
    "seconds, text",
    [(0, "0s"), (9.9, "9s"), (59, "59s"), (60, "1m0s"), (61.5, "1m1s"), (3600, "1h0m0s"), (3723, "1h2m3s"), (-1, "0s")],
)
def test_duration_is_terraform_style(seconds, text):
    assert duration(seconds) == text


def reporter(counts_only=False, interval=10):
    shown: list[str] = []
    verbose: list[str] = []
    r = ProgressReporter("[h] model_copy_info", 1800, interval, shown.append, verbose.append, counts_only)
    return r, shown, verbose


PENDING = Pending(
    ("us-east-1 prod (InProgress)",), 2, "copies", ("us-east-1 prod: InProgress (job arn1)", "x: Completed")
)


def test_a_line_names_what_is_pending_with_elapsed_and_timeout():
    r, shown, verbose = reporter()
    assert r.report(PENDING, 70)
    assert shown == [
        "[h] model_copy_info: Still waiting... [1m10s elapsed, timeout 30m0s] 1 of 2 copies pending:"
        " us-east-1 prod (InProgress)"
    ]
    assert verbose == [
        "[h] model_copy_info:   us-east-1 prod: InProgress (job arn1)",
        "[h] model_copy_info:   x: Completed",
    ]


def test_an_unchanged_state_is_repeated_only_after_the_interval():
    r, shown, _verbose = reporter(interval=10)
    assert r.report(PENDING, 10)
    assert not r.report(PENDING, 19.9)
    assert r.report(PENDING, 20)
    assert len(shown) == r.lines == 2


def test_a_change_is_reported_at_once():
    r, shown, _verbose = reporter(interval=60)
    r.report(PENDING, 10)
    changed = Pending(("us-east-1 prod (InProgress)", "eu-west-1 prod (Missing)"), 2, "copies")
    assert r.report(changed, 11)
    assert "2 of 2 copies pending" in shown[-1]


def test_counts_only_names_nothing():
    r, shown, verbose = reporter(counts_only=True)
    r.report(PENDING, 5)
    assert shown == ["[h] model_copy_info: Still waiting... [5s elapsed, timeout 30m0s] 1 of 2 copies pending"]
    assert verbose == []


def test_nothing_selected_yet():
    assert Pending((), 0, "jobs").line(False) == "no jobs found yet"
