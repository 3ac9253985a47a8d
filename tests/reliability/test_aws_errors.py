"""Part 3 and 4 of the reliability suite: AWS errors end the task with a message that says what to fix.

The cases are in aws_errors.py; conftest.py starts them (twice: at default verbosity and at -vvv) when the
session starts and runs these tests last. Each case must fail with a one-line message that contains what went wrong
and what to do about it (for copies in several regions: the region that failed, and not the one that did not);
a gate must fail in the role's own task for it and leave no verdict behind. None of the fake credentials may
appear in either output or in any result.
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
            outcome = run.outcomes[case.id]
            missing = [text for text in case.expect if text not in msg]
            if missing or "Traceback" in msg:
                problems.append(f"{case.id}: {missing} not in {msg!r}")
            if "\n" in msg.strip():
                problems.append(f"{case.id}: not one line: {msg!r}")
            wrongly = [text for text in case.absent if text in msg]
            if wrongly:
                problems.append(f"{case.id}: {wrongly} should not be in {msg!r}")
            if case.task and outcome["failed_task"] != case.task:
                problems.append(f"{case.id}: failed in {outcome['failed_task']!r}, not in {case.task!r}")
            if case.target == "gate" and (outcome["gate_open"] is not False or outcome["gate_results"]):
                # An error is never a verdict: the gate stays as it started (shut, no results) and the role fails.
                problems.append(f"{case.id}: gate_open {outcome['gate_open']}, results {outcome['gate_results']}")
    assert not problems, "\n".join(problems)


def test_no_credential_in_output_or_results(aws_errors_runs: Any) -> None:
    plain, verbose = aws_errors_runs[1:]
    assert "ESTABLISH LOCAL CONNECTION" in verbose.output
    for run in (plain, verbose):
        assert leaks(run.output) == []
        for case_id, outcome in run.outcomes.items():
            assert leaks(repr(outcome)) == [], case_id
