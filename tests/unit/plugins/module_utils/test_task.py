from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    EndpointUnreachable,
    RetriesCutShort,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._resource import Refused, WaitFailed
from ansible_collections.amazon.bedrock.plugins.module_utils._task import bedrock_errors, exit_change, exit_read
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import WaitOutcome, timed_out_message


class Ended(Exception):
    pass


class Module:
    """What _task uses of an AnsibleAWSModule: it records how the task ended."""

    def __init__(self, diff: bool = False) -> None:
        self._diff = diff
        self.ended: tuple[str, dict[str, Any]] | None = None
        self.warnings: list[str] = []

    def fail_json(self, **result: Any) -> None:
        self.ended = ("fail", result)
        raise Ended

    def fail_json_aws_error(self, error: Exception) -> None:
        self.ended = ("aws_error", {"error": error})
        raise Ended

    def exit_json(self, **result: Any) -> None:
        self.ended = ("exit", result)
        raise Ended

    def warn(self, text: str) -> None:
        self.warnings.append(text)


def end(module: Module, what: str | None, error: Exception) -> tuple[str, dict[str, Any]]:
    with pytest.raises(Ended), bedrock_errors(module, what):
        raise error
    assert module.ended is not None
    return module.ended


def test_a_wait_s_deadline_before_any_read_is_a_timeout_with_its_round_only_where_the_task_waits_on_a_read():
    cut = RetriesCutShort(message="throttled", elapsed=12.3)
    kind, result = end(Module(), "the jobs", cut)
    assert kind == "fail" and result["msg"] == "Timed out after 12s before the jobs could be read: throttled"
    assert result["timed_out"] is True and result["changed"] is False
    assert result["wait_round"]["timed_out_rest"] == " before the jobs could be read: throttled"
    assert end(Module(), None, cut) == ("aws_error", {"error": cut})


def test_an_unreachable_endpoint_is_named_and_other_errors_are_amazon_aws_s():
    kind, result = end(
        Module(), "the jobs", EndpointUnreachable(message="Failed to x: cannot connect", url="https://b")
    )
    assert (kind, result) == ("fail", {"msg": "Failed to x: cannot connect", "endpoint_unreachable": "https://b"})
    other = AnsibleBedrockError(message="Failed to x: AccessDenied")
    assert end(Module(), "the jobs", other) == ("aws_error", {"error": other})


def test_a_change_whose_wait_failed_reports_the_change_with_its_round_and_a_refusal_changes_nothing():
    line = timed_out_message(30, " waiting for x")

    def waited() -> dict[str, Any]:
        raise WaitFailed(line, dict(changed=True, diff={"before": {}}, polls=3, elapsed=30.0, timed_out=True))

    module = Module(diff=False)
    with pytest.raises(Ended):
        exit_change(module, waited)
    kind, result = module.ended or ("", {})
    assert kind == "fail" and result["msg"] == "Timed out after 30s waiting for x" and result["changed"] is True
    assert "diff" not in result and result["wait_round"]["timed_out_rest"] == " waiting for x"

    def refused() -> dict[str, Any]:
        raise Refused("model: no")

    with pytest.raises(Ended):
        exit_change(module, refused)
    assert module.ended == ("fail", {"msg": "model: no", "changed": False})


def test_a_change_exits_with_its_warnings_shown_and_its_diff_only_in_diff_mode():
    module = Module(diff=True)
    with pytest.raises(Ended):
        exit_change(module, lambda: dict(changed=True, diff={"after": {}}, warnings=["note"]))
    assert module.ended == ("exit", {"changed": True, "diff": {"after": {}}}) and module.warnings == ["note"]


def read_end(outcome: WaitOutcome[Any] | None, problem: str | None) -> tuple[str, dict[str, Any]]:
    module = Module()
    with pytest.raises(Ended):
        exit_read(module, {"jobs": ["j"]}, outcome, lambda waited: problem, lambda: {"verdict": "shut"})
    assert module.ended is not None
    return module.ended


def test_a_read_exits_unchanged_with_its_verdict_and_a_wait_that_did_not_settle_fails_with_it():
    assert read_end(None, "never asked without a wait") == (
        "exit",
        {"jobs": ["j"], "verdict": "shut", "changed": False},
    )
    settled = WaitOutcome(value=None, polls=2, elapsed=20.0, timed_out=False)
    kind, result = read_end(settled, None)
    assert kind == "exit" and result["verdict"] == "shut" and result["changed"] is False
    kind, result = read_end(settled, "job j failed")
    assert kind == "fail" and result["msg"] == "job j failed" and result["verdict"] == "shut"


def test_a_wait_that_ended_unreachable_fails_with_its_last_facts_and_no_verdict():
    cut = EndpointUnreachable(message="cannot connect", url="https://b")
    outage = WaitOutcome(value=None, polls=1, elapsed=30.0, timed_out=True, failed_polls=3, error=cut, failing_for=9.0)
    kind, result = read_end(outage, "not asked either")
    assert kind == "fail" and result["endpoint_unreachable"] == "https://b" and result["jobs"] == ["j"]
    assert "verdict" not in result and "3" in result["msg"]
