# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What amazon.bedrock.provisioned_model_throughput decides and does: create, re-point, re-tag, delete and wait.

Functions here take a boto3 ``bedrock`` client, the module's (validated) options as a dict, check mode and a
``Waiter`` (the wait callable), never an Ansible module. The calls themselves are in ``_provisioned_throughput``.
"""

from __future__ import annotations

import datetime
import time
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_throughput as pt
from ansible_collections.amazon.bedrock.plugins.module_utils import _waiting
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    AnsibleBedrockError,
    RetriesCutShort,
    RetryPolicy,
    error_code,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    parse_time,
    provisioned_label,
    provisioned_wait_problem,
    to_provisioned_facts,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._resource import (
    Refused,
    WaitFailed,
    read_tagged,
    retag,
)


class Unconfirmed(WaitFailed):
    """A create was sent (so the task reports a change) but the throughput it answered with could not be read."""


# Right after a create, GetProvisionedModelThroughput may not know the new ARN yet (Bedrock is eventually
# consistent): it is read again after each of these pauses (10 s in all) before the create is taken to have
# answered with a throughput deleted since. Only then may a create with a new token follow.
READ_BACK_PAUSES = (0.5, 1.0, 1.5, 2.0, 2.0, 3.0)


def read(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict[str, Any] | None:
    """The throughput (name or ARN) with its tags as facts, or None when Bedrock does not know it."""
    found = pt.get_provisioned_throughput(client, identifier, retry)
    return read_tagged(found, client, "provisionedModelArn", to_provisioned_facts, retry)


def read_back(client: Any, arn: str, sleep: Callable[[float], None] | None = None) -> dict[str, Any] | None:
    """The throughput a create answered with, read again with backoff (READ_BACK_PAUSES) while Bedrock lags."""
    facts = read(client, arn)
    for seconds in READ_BACK_PAUSES:
        if facts is not None:
            break
        (sleep or time.sleep)(seconds)
        facts = read(client, arn)
    return facts


class Waiter:
    """The task's waits, each until InService (or gone), against one ``_waiting.Deadline``: ``timeout`` seconds from
    the first poll of the first wait, so a wait before a model swap and the wait after it last ``timeout`` in all.

    ``figures`` are the result's polls (summed), elapsed (from that first poll) and timed_out (of the last wait).
    ``clock`` and ``sleep`` default to the poll loop's own (``_waiting``), read when called.
    """

    def __init__(
        self,
        client: Any,
        timeout: float,
        interval: float,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.client = client
        self.deadline = _waiting.Deadline(timeout, interval, clock, sleep)

    @property
    def figures(self) -> dict[str, Any]:
        # The action plugin waits in rounds and tells a round that ran out of time (timed_out) from a verdict.
        return self.deadline.figures

    def __call__(self, identifier: str, gone: bool = False) -> dict[str, Any] | None:
        def done(facts: dict[str, Any] | None) -> bool:
            return facts is None if gone else facts is None or facts["status"] not in pt.PENDING_STATUSES

        retry = DEFAULT_RETRY.until(self.deadline.left())  # a request retries only for the time the wait has left
        try:
            outcome = self.deadline.wait(lambda: read(self.client, identifier, retry), done)
        except RetriesCutShort as e:  # no poll of this wait could read it before the deadline: a timeout
            raise WaitFailed(self.deadline.cut_short(identifier, e.message), dict(self.figures)) from None
        elapsed = float(self.figures["elapsed"])
        problem = provisioned_wait_problem(outcome.value, outcome.timed_out, elapsed, gone)
        if problem:
            raise WaitFailed(problem, dict(self.figures, provisioned_model_throughput=outcome.value or {}))
        return outcome.value


def create(
    client: Any, p: dict[str, Any], check_mode: bool, sleep: Callable[[float], None] | None = None
) -> dict[str, Any]:
    """Create it; with the token a hash of the request, a repeated or retried task creates one throughput."""
    if p["model_units"] is None:
        raise Refused(f"model_units: is required to create provisioned model throughput {p['name']}")
    request: dict[str, Any] = dict(provisionedModelName=p["name"], modelId=p["model"], modelUnits=p["model_units"])
    if p["commitment_duration"]:
        request["commitmentDuration"] = p["commitment_duration"]
    tags = {k: str(v) for k, v in (p["tags"] or {}).items()}
    if tags:
        request["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
    token = p["client_request_token"] or pt.derive_token(p)
    model_arn = p["model"] if p["model"].startswith("arn:") else None
    planned = to_provisioned_facts(
        dict(provisionedModelName=p["name"], modelArn=model_arn, desiredModelArn=model_arn),
        tags,
    )
    planned.update(model_units=p["model_units"], desired_model_units=p["model_units"])
    planned["commitment_duration"] = p["commitment_duration"]
    result = dict(
        changed=True,
        client_request_token=token,
        diff=dict(before={}, after=dict(pt.diff_view(planned), model=p["model"])),
    )
    if check_mode:
        return dict(result, provisioned_model_throughput=planned)
    arn = pt.create_provisioned_throughput(client, dict(request, clientRequestToken=token))
    facts = read_back(client, arn, sleep)
    if facts is None:  # the token answered with a throughput deleted since: a new request needs a new token
        if p["client_request_token"]:
            raise Refused(f"client_request_token: {token!r} was used for {arn}, deleted since; give a new token")
        unread = f"{arn} (the answer to creating provisioned model throughput {p['name']}) was not found"
        unread += f" for {sum(READ_BACK_PAUSES):.0f}s"
        token = pt.derive_token(p, stale_arn=arn)
        try:
            arn = pt.create_provisioned_throughput(client, dict(request, clientRequestToken=token))
        except AnsibleBedrockError as e:  # e.g. its name is taken: the first one exists, Bedrock just lags
            raise Unconfirmed(
                f"{unread}, and a create with a new token failed ({e}). Run the task again: it sends the same"
                " requests, so it makes no other throughput.",
                dict(result, provisioned_model_throughput=dict(planned, provisioned_model_arn=arn)),
            ) from e
        facts = read_back(client, arn, sleep)
        if facts is None:
            raise Unconfirmed(
                f"{unread}, and neither was {arn}, created with a new token. Run the task again: it sends the"
                " same requests, so it makes no other throughput.",
                dict(
                    result,
                    client_request_token=token,
                    provisioned_model_throughput=dict(planned, provisioned_model_arn=arn),
                ),
            )
    return dict(result, client_request_token=token, provisioned_model_throughput=facts)


def update(client: Any, p: dict[str, Any], check_mode: bool, facts: dict[str, Any], wait: Waiter) -> dict[str, Any]:
    problem = pt.immutable_problem(facts, p)
    if problem:
        raise Refused(problem)
    before, changed = facts, False
    if not pt.serves(facts, p["model"]):
        if facts["status"] in pt.PENDING_STATUSES and p["wait"] and not check_mode:
            facts = wait(facts["provisioned_model_arn"]) or facts
        if facts["status"] != "InService" and not check_mode:
            why = f": {facts['failure_message']}" if facts["status"] == "Failed" else "; run again with wait=true"
            raise Refused(
                f"{provisioned_label(facts)} is {facts['status']}, Bedrock changes its model only when InService{why}"
            )
        changed = True
        if not check_mode:
            pt.update_provisioned_model(client, facts["provisioned_model_arn"], p["model"])
        planned = p["model"] if p["model"].startswith("arn:") else facts["desired_model_arn"]
        facts = dict(facts, desired_model_arn=planned, status="Updating")
    if p["tags"] is not None:
        wanted = {k: str(v) for k, v in p["tags"].items()}
        to_set, to_unset = compare_aws_tags(facts["tags"] or {}, wanted, p["purge_tags"])
        if to_set or to_unset:
            changed = True
            facts = retag(client, facts["provisioned_model_arn"], facts, to_set, to_unset, check_mode)
    if changed and not check_mode:
        facts = read(client, facts["provisioned_model_arn"]) or facts
    after = dict(pt.diff_view(facts), model=p["model"]) if changed else pt.diff_view(facts)
    return dict(
        changed=changed, provisioned_model_throughput=facts, diff=dict(before=pt.diff_view(before), after=after)
    )


def present(
    client: Any, p: dict[str, Any], check_mode: bool, facts: dict[str, Any] | None, wait: Waiter
) -> dict[str, Any]:
    """Create it (``facts`` None) or bring it in line; with wait, then wait until InService."""
    result = update(client, p, check_mode, facts, wait) if facts else create(client, p, check_mode)
    if p["wait"] and not check_mode:
        try:
            result["provisioned_model_throughput"] = wait(p["name"])
        except WaitFailed as e:  # a wait that fails after a change still reports the change (diff, token)
            raise WaitFailed(e.message, {**result, **e.waited}) from None
    return result


def absent(
    client: Any, p: dict[str, Any], check_mode: bool, facts: dict[str, Any] | None, wait: Waiter
) -> dict[str, Any]:
    """Delete it when there is one; with wait, then wait until it is gone."""
    if not facts:
        return dict(changed=False, provisioned_model_throughput={})
    result = dict(changed=True, provisioned_model_throughput={}, diff=dict(before=pt.diff_view(facts), after={}))
    ends, label = facts["commitment_expiration_time"], provisioned_label(facts)
    committed = bool(ends) and parse_time(ends) > datetime.datetime.now(datetime.timezone.utc)
    blocked = f"{label} has a {facts['commitment_duration']} commitment until {ends}; Bedrock refuses to delete it"
    blocked += " before then. Nothing was changed."
    if check_mode:
        if committed:
            raise Refused(blocked)
        return result
    if facts["status"] in pt.PENDING_STATUSES and p["wait"]:
        facts = wait(facts["provisioned_model_arn"]) or facts
    try:
        deleted = pt.delete_provisioned_throughput(client, facts["provisioned_model_arn"])
    except AnsibleBedrockError as e:
        if error_code(e) != "ConflictException":
            raise
        raise Refused(
            blocked if committed else f"{label} is {facts['status']}; Bedrock refused to delete it: {e.exception}"
        ) from e
    if p["wait"] and deleted:
        try:
            wait(facts["provisioned_model_arn"], gone=True)
        except WaitFailed as e:  # the delete was sent: a failed wait still reports it
            raise WaitFailed(e.message, dict(e.waited, changed=True, diff=result["diff"])) from None
    return dict(result, changed=bool(deleted))
