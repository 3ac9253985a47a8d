from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._gate import gate_verdict

SOURCE = "arn:aws:bedrock:us-east-1:123456789012:custom-model/m/abc"
MODEL = "arn:aws:bedrock:eu-west-1:123456789012:custom-model/m/xyz"
JOB = "arn:aws:bedrock:eu-west-1:123456789012:model-copy-job/j1"


def copy(status: str, **facts: Any) -> dict[str, Any]:
    state = dict(
        region="eu-west-1",
        source_model_arn=SOURCE,
        target_model_name="bot",
        status=status,
        job_arn=None if status == "Missing" else JOB,
        target_model_arn=MODEL if status == "Completed" else None,
        failure_message=None,
    )
    return dict(state, **facts)


# The role's wording before the verdict moved into Python, for today's statuses; and the two new ones.
@pytest.mark.parametrize(
    ("state", "line"),
    [
        (copy("Completed"), f"eu-west-1 bot: Completed - {MODEL}"),
        (copy("Failed", failure_message="kms"), f"eu-west-1 bot: Failed - kms (job {JOB})"),
        (copy("Failed"), f"eu-west-1 bot: Failed - failed without a message (job {JOB})"),
        (copy("InProgress"), f"eu-west-1 bot: InProgress - still copying when the 600s timeout passed (job {JOB})"),
        (copy("Deleted"), f"eu-west-1 bot: Deleted - its model was deleted after the copy completed (job {JOB})"),
        (
            copy("Missing"),
            f"eu-west-1 bot: Missing - no copy job of {SOURCE} with the target name 'bot' appeared within 600s",
        ),
        (
            copy("ModelCreating"),
            "eu-west-1 bot: ModelCreating - its model is still being created (not Active) when the 600s timeout"
            f" passed (job {JOB})",
        ),
        (
            copy("ModelFailed", failure_message="KMS key disabled"),
            f"eu-west-1 bot: ModelFailed - its model failed: KMS key disabled (job {JOB})",
        ),
        (
            copy("ModelFailed"),
            f"eu-west-1 bot: ModelFailed - its model failed, and Bedrock gave no failure message (job {JOB})",
        ),
    ],
)
def test_each_status_has_its_line(state, line):
    verdict = gate_verdict([state], 600)
    assert verdict["lines"] == [line]
    assert verdict["open"] is (state["status"] == "Completed")
    assert verdict["blocking"] == ([] if verdict["open"] else [line])


def test_open_only_when_every_copy_completed():
    verdict = gate_verdict([copy("Completed"), copy("Completed", region="us-west-2")], 600)
    assert verdict["open"] is True
    assert verdict["summary"] == "Model copy gate open: 2 of 2 copies completed"
    shut = gate_verdict([copy("Completed"), copy("ModelCreating"), copy("Missing")], 600)
    assert shut["open"] is False
    assert shut["summary"] == "Model copy gate shut: 2 of 3 copies not completed"
    assert len(shut["lines"]) == 3 and len(shut["blocking"]) == 2


@pytest.mark.parametrize("status", ["ModelCreating", "ModelFailed", "Deleted", "InProgress", "Missing", "Failed"])
def test_no_blocking_line_names_a_model_arn(status):
    """A model that is not Active is never handed out, not even in the verdict's words."""
    verdict = gate_verdict([copy(status, target_model_arn=None)], 600)
    assert MODEL not in str(verdict)


def test_no_copies_never_open_the_gate():
    assert gate_verdict([], 600) == dict(
        open=False, summary="Model copy gate shut: there are no copies to check", lines=[], blocking=[]
    )


def test_without_a_wait_the_lines_name_no_timeout():
    verdict = gate_verdict([copy("InProgress"), copy("Missing")])
    assert verdict["blocking"] == [
        f"eu-west-1 bot: InProgress - still copying (job {JOB})",
        f"eu-west-1 bot: Missing - no copy job of {SOURCE} with the target name 'bot' appeared",
    ]


def test_lines_name_the_account_only_where_the_copies_span_several():
    one = [copy("Completed", account_id="111111111111"), copy("Failed", account_id="111111111111")]
    assert gate_verdict(one)["lines"][0].startswith("eu-west-1 bot: Completed")
    two = [copy("Completed", account_id="111111111111"), copy("Failed", account_id="222222222222")]
    verdict = gate_verdict(two)
    assert verdict["lines"][0].startswith("111111111111 eu-west-1 bot: Completed")
    assert verdict["blocking"] == [f"222222222222 eu-west-1 bot: Failed - failed without a message (job {JOB})"]
