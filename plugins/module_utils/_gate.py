# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""The deployment gate's verdict on a set of copies (model_copy_info's ``copies``): open only when every one is
Completed, with one line per copy saying why. The model_copy_gate role shows and fails with these lines.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    DELETED,
    MISSING,
    MODEL_CREATING,
    MODEL_FAILED,
)

# Copies whose line names their job: those a job decided, but whose model is not there to deploy.
_NAMES_JOB = ("Failed", "InProgress", DELETED, MODEL_CREATING, MODEL_FAILED)


def _seconds(timeout: float) -> str:
    return f"{timeout:g}s" if isinstance(timeout, float) else f"{timeout}s"


def why(copy: dict[str, Any], timeout: float | None) -> str:
    """Why a copy has its status: its model's ARN when Completed, otherwise what keeps the gate shut.

    ``timeout`` is the wait's (the user's, not a round's), None when there was no wait.
    """
    status = copy["status"]
    until = f" when the {_seconds(timeout)} timeout passed" if timeout is not None else ""
    if status == "Completed":
        return str(copy["target_model_arn"])
    if status == "Failed":
        return copy.get("failure_message") or "failed without a message"
    if status == "InProgress":
        return f"still copying{until}"
    if status == DELETED:
        return "its model was deleted after the copy completed"
    if status == MODEL_CREATING:
        return f"its model is still being created (not Active){until}"
    if status == MODEL_FAILED:
        message = copy.get("failure_message")
        return f"its model failed: {message}" if message else "its model failed, and Bedrock gave no failure message"
    if status == MISSING:
        within = f" within {_seconds(timeout)}" if timeout is not None else ""
        return (
            f"no copy job of {copy['source_model_arn']} with the target name '{copy['target_model_name']}' "
            f"appeared{within}"
        )
    return f"unknown status {status}"


def spans_accounts(copies: list[dict[str, Any]]) -> bool:
    """Whether the copies live in more than one account, so that their lines must say which."""
    return len({copy.get("account_id") for copy in copies}) > 1


def copy_place(copy: dict[str, Any], accounts: bool = False) -> str:
    """``REGION NAME``, or ``ACCOUNT REGION NAME`` where the copies span accounts."""
    place = f"{copy['region']} {copy['target_model_name']}"
    return f"{copy.get('account_id') or 'unknown-account'} {place}" if accounts else place


def verdict_line(copy: dict[str, Any], timeout: float | None, accounts: bool = False) -> str:
    """``[ACCOUNT ]REGION NAME: STATUS - why (job ARN)``; the job only where it is not Completed and not Missing."""
    line = f"{copy_place(copy, accounts)}: {copy['status']} - {why(copy, timeout)}"
    return line + (f" (job {copy['job_arn']})" if copy["status"] in _NAMES_JOB else "")


def gate_verdict(copies: list[dict[str, Any]], timeout: float | None = None) -> dict[str, Any]:
    """``open`` only when there are copies and every one is Completed; ``summary``; ``lines`` (one per copy);
    ``blocking`` (the lines of the copies that keep it shut)."""
    accounts = spans_accounts(copies)
    lines = [verdict_line(copy, timeout, accounts) for copy in copies]
    blocking = [line for copy, line in zip(copies, lines) if copy["status"] != "Completed"]
    if not copies:
        summary = "Model copy gate shut: there are no copies to check"
    elif blocking:
        summary = f"Model copy gate shut: {len(blocking)} of {len(copies)} copies not completed"
    else:
        summary = f"Model copy gate open: {len(copies)} of {len(copies)} copies completed"
    return dict(open=bool(copies) and not blocking, summary=summary, lines=lines, blocking=blocking)
