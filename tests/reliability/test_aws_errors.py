"""Part 3 and 4 of the reliability suite: AWS errors end the task with a message that says what to fix.

The cases are in aws_errors.py; conftest.py starts them (twice: at default verbosity and at -vvv) when the
session starts and runs these tests last. Each case must fail with a message that contains what went wrong
and what to do about it; none of the fake credentials may appear in either output or in any result.
"""

from __future__ import annotations

from typing import Any

import pytest
from harness import PlaybookRun, failure_message, leaks


@pytest.fixture(scope="module")
def aws_errors_runs(background: dict[str, Any]) -> tuple[list[Any], PlaybookRun, PlaybookRun]:
    cases, plain, verbose = background["aws_errors"]
    return cases, plain.wait(), verbose.wait()


def test_each_aws_error_fails_with_a_message_that_says_what_to_fix(aws_errors_runs: Any) -> None:
    cases, plain, verbose = aws_errors_runs
    problems = []
    for run in (plain, verbose):
        for case in cases:
            msg = failure_message(run.outcomes.get(case.id))
            if msg is None:
                problems.append(f"{case.id}: did not fail: {run.outcomes.get(case.id)}")
                continue
            missing = [text for text in case.expect if text not in msg]
            if missing or "Traceback" in msg:
                problems.append(f"{case.id}: {missing} not in {msg!r}")
    assert not problems, "\n".join(problems)


def test_no_credential_in_output_or_results(aws_errors_runs: Any) -> None:
    plain, verbose = aws_errors_runs[1:]
    assert "ESTABLISH LOCAL CONNECTION" in verbose.output
    for run in (plain, verbose):
        assert leaks(run.output) == []
        for case_id, outcome in run.outcomes.items():
            assert leaks(repr(outcome)) == [], case_id
