"""Part 1 and 4 of the reliability suite: bad input fails at once, in one line naming the option, quietly.

The cases are in bad_input.py. Each must fail with a message of the expected number of lines that names the
option, without a traceback, and without a single request reaching the endpoint (its request counter stays
at 0); none of the fake credentials given to every task may appear in the output or in the results, whatever
the case. The matrix runs once, at -vvv (started with the session, on an endpoint of its own): the outcomes
are the same at every verbosity, and -vvv output holds all that default output does and more, so one run
checks both what a user sees and what a log keeps.
"""

from __future__ import annotations

from typing import Any

import pytest
from bad_input import CASES, Case, check_case
from harness import FAKE, PlaybookRun, leaks

Matrix = tuple[PlaybookRun, dict[str, Any]]


@pytest.fixture(scope="module")
def matrix(background: dict[str, Any]) -> Matrix:
    endpoint, playbook = background["bad_input_vvv"]
    run = playbook.wait()
    return run, endpoint.stats()


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [])
        for c in CASES
    ],
)
def test_bad_input_fails_in_one_line_naming_the_option(case: Case, matrix: Matrix) -> None:
    check_case(case, matrix[0])


def test_the_matrix_covers_each_content(matrix: Matrix) -> None:
    assert len(CASES) >= 25
    assert {case.target for case in CASES} == {"info", "job", "copies", "gate", "pt", "pt_info", "cmd", "cmd_info"}
    assert matrix[0].rc == 0, matrix[0].output[-3000:]  # every failure was caught by its case, none escaped


def test_no_request_reached_the_endpoint(matrix: Matrix) -> None:
    stats = matrix[1]
    sent = [(entry["operation"], entry["region"], entry.get("query")) for entry in stats["log"]]
    assert stats["total"] == 0, f"requests reached the endpoint: {sent}"


def test_no_traceback_in_the_output(matrix: Matrix) -> None:
    output = matrix[0].output
    assert "ESTABLISH LOCAL CONNECTION" in output  # it really ran at -vvv, where a traceback would be printed
    assert "Traceback (most recent call last)" not in output
    assert "exception occurred" not in output.lower()


def test_no_credential_in_output_or_results_at_vvv(matrix: Matrix) -> None:
    run = matrix[0]
    assert leaks(run.output) == [], "a credential appears in the -vvv output"
    for case_id, outcome in run.outcomes.items():
        assert leaks(repr(outcome)) == [], f"{case_id}: a credential appears in the returned result"
        result = (outcome.get("failure") or outcome.get("result") or {}).get("invocation", {}).get("module_args")
        if result:
            for option in FAKE.secrets():
                assert result.get(option) == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", (case_id, option)
