# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What model_copy_info reads: each copy's state from its newest job and that job's model, in every region.

Functions here take boto3 ``bedrock`` clients (by region) and never an Ansible module.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils._accounts import (
    TASK,
    Accounts,
    CredentialSource,
    account_from_arn,
    source_of,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    AnsibleBedrockError,
    RetryPolicy,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import newest_copy_jobs
from ansible_collections.amazon.bedrock.plugins.module_utils._custom_models import model_states
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    DELETED,
    MISSING,
    MODEL_CREATING,
    MODEL_FAILED,
    copy_label,
    copy_state,
    settled,
    to_job_facts,
    wait_problem,
)


def read_copies(
    clients: dict[tuple[CredentialSource, str], Any],
    copies: list[dict[str, Any]],
    retry: RetryPolicy = DEFAULT_RETRY,
    accounts: Accounts | None = None,
) -> dict[str, Any]:
    """Every copy's newest job: one listing per (account, region), all at the same time (``clients`` by
    (credential source, region), see ``_accounts.account_clients``).

    A Completed job's model is read too (``model_states``: one more request in a region where some job completed),
    for whether it still exists and is Active. Each copy's facts gain ``account_id`` (see ``_accounts.Accounts``).
    """

    def read_region(
        key: tuple[CredentialSource, str],
    ) -> list[tuple[dict[str, Any] | None, tuple[str, str | None] | None]]:
        source, region = key
        wanted = [(copy["source_model_arn"], copy["target_model_name"]) for copy in copies if _where(copy) == key]
        try:
            jobs = newest_copy_jobs(clients[key], wanted, retry)
            # A job's Completed is history; only its model tells whether the copy exists and can be used.
            made = [(job["targetModelName"], job["targetModelArn"]) for job in jobs if job and _completed(job)]
            states = model_states(clients[key], made, retry)
        except AnsibleBedrockError as e:
            # Same class (an unreachable endpoint stays one), the region (and the account's source) in front.
            where = region if source == TASK else f"{source}, {region}"
            raise type(e)(message=f"{where}: {e.message}", exception=e.exception, **e.kwargs) from e
        # A Completed job without a model ARN (never seen from AWS) has no model to deploy: Deleted, not Completed.
        return [(job, states.get((job or {}).get("targetModelArn") or "")) for job in jobs]

    # A region (of an account) that is throttled retries with backoff; the others need not wait for it.
    keys = list(dict.fromkeys(_where(copy) for copy in copies))
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        found = {key: iter(jobs) for key, jobs in zip(keys, pool.map(read_region, keys))}
    # Each region's jobs come in the order of that region's copies.
    raw = [next(found[_where(copy)]) for copy in copies]
    newest = [(to_job_facts(job) if job else None, model) for job, model in raw]
    states = [copy_state(_public(copy), job, model) for copy, (job, model) in zip(copies, newest)]
    by_source: dict[CredentialSource, list[dict[str, Any]]] = {}
    for copy, state in zip(copies, states):
        by_source.setdefault(source_of(copy), []).append(state)
    for source, shared in by_source.items():
        arns = [state["job_arn"] for state in shared]
        for state in shared:
            state["account_id"] = (
                accounts.account_of(source, arns) if accounts is not None else account_from_arn(state["job_arn"])
            )
    unique: dict[str, dict[str, Any]] = {}
    for (job, _model), state in zip(newest, states):
        if job:
            # A job's model that is not there to deploy (deleted, not Active) has no ARN here either.
            usable = job["status"] != "Completed" or state["status"] == "Completed"
            unique[job["job_arn"]] = job if usable else dict(job, target_model_arn=None)
    return dict(copies=states, model_copy_jobs=list(unique.values()))


def _where(copy: dict[str, Any]) -> tuple[CredentialSource, str]:
    return source_of(copy), copy["region"]


def _public(copy: dict[str, Any]) -> dict[str, str]:
    """What a copy's facts repeat of it: never how its account was reached (role, external id, profile)."""
    return {key: copy[key] for key in ("region", "source_model_arn", "target_model_name")}


def _completed(job: dict[str, Any]) -> bool:
    return job.get("status") == "Completed" and bool(job.get("targetModelArn"))


def _labels(found: dict[str, Any], status: str) -> list[str]:
    return [copy_label(state) for state in found["copies"] if state["status"] == status]


def copies_settled(found: dict[str, Any]) -> bool:
    """What a wait on copies waits for: no job InProgress, and none without a job, deleted or Creating."""
    awaited = _labels(found, MISSING) + _labels(found, DELETED) + _labels(found, MODEL_CREATING)
    return settled(found["model_copy_jobs"], awaited)


def copies_problem(found: dict[str, Any], timed_out: bool, elapsed: float) -> str | None:
    """Why a wait on copies did not succeed (a job or a model failed, or time ran out), or None."""
    model_failed = tuple(
        f"{copy_label(state)} (job {state['job_arn']}): {state['failure_message'] or 'no failure message'}"
        for state in found["copies"]
        if state["status"] == MODEL_FAILED
    )
    return wait_problem(
        found["model_copy_jobs"],
        _labels(found, MISSING),
        timed_out,
        elapsed,
        deleted=tuple(_labels(found, DELETED)),
        creating=tuple(_labels(found, MODEL_CREATING)),
        model_failed=model_failed,
    )
