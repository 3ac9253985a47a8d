# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What amazon.bedrock.custom_model_deployment decides (``decide``, a pure value) and then does (``apply``).

Functions here take a boto3 ``bedrock`` client, the module's (validated) options as a dict, check mode and a
``_waiting.Deadline``, never an Ansible module. The calls themselves are in ``_custom_model_deployments``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deployments as cmd
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    AnsibleBedrockError,
    RetriesCutShort,
    RetryPolicy,
    error_code,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._custom_models import get_custom_model
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import deployment_label, to_deployment_facts
from ansible_collections.amazon.bedrock.plugins.module_utils._resource import Refused, WaitFailed, read_tagged, retag
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline, WaitOutcome, timed_out_message

# Bedrock's answers to a request it will not carry out (an ineligible model or region, a state it refuses).
REFUSAL_CODES = ("ValidationException", "ConflictException", "AccessDeniedException", "ServiceQuotaExceededException")


def read(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict[str, Any] | None:
    """The deployment (name or ARN) with its tags as facts, or None when Bedrock does not know it."""
    found = cmd.get_deployment(client, identifier, retry)
    return read_tagged(found, client, "customModelDeploymentArn", to_deployment_facts, retry)


def updating(facts: dict[str, Any]) -> bool:
    return (facts["update_details"] or {}).get("update_status") == "Updating"


def failed_update_to(facts: dict[str, Any]) -> str | None:
    """The model of its last update when that update failed."""
    details = facts["update_details"] or {}
    return details.get("model_arn") if details.get("update_status") == "UpdateFailed" else None


def target_model(facts: dict[str, Any]) -> str:
    """The model it serves, or is being switched to while an update runs."""
    return facts["update_details"]["model_arn"] if updating(facts) else facts["model_arn"]


def state_of(facts: dict[str, Any]) -> str:
    return f"Updating to {target_model(facts)}" if updating(facts) else facts["status"]


def diff_view(facts: dict[str, Any]) -> dict[str, Any]:
    return dict(name=facts["name"], model=target_model(facts), description=facts["description"], tags=facts["tags"])


@dataclasses.dataclass(frozen=True)
class Plan:
    """What one task does to the deployment: at most one of create, update_to (a model ARN) and delete, and tags.

    ``blocked``: a state it must leave first (waited out with wait, else refused); ``refused``: why nothing can be
    done; ``notes``: what is asked for and left as it is (a description Bedrock cannot change).
    """

    create: bool = False
    update_to: str | None = None
    delete: bool = False
    tags_to_set: dict[str, str] = dataclasses.field(default_factory=dict)
    tags_to_unset: tuple[str, ...] = ()
    blocked: str | None = None
    refused: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.create or self.update_to or self.delete or self.tags_to_set or self.tags_to_unset)

    @property
    def needs_model(self) -> bool:
        return self.create or self.update_to is not None


def decide(p: dict[str, Any], facts: dict[str, Any] | None) -> Plan:
    """The plan for options ``p`` and the live deployment's facts (None: there is none)."""
    if p["state"] == "absent":
        if facts is None:
            return Plan()
        if pending(facts):
            why = "Bedrock deletes a deployment once it is Active or Failed and no update runs"
            return Plan(delete=True, blocked=f"{deployment_label(facts)} is {state_of(facts)}; {why}")
        return Plan(delete=True)
    if facts is None:
        return Plan(create=True)
    label, notes = deployment_label(facts), []
    if p["description"] is not None and p["description"] != facts["description"]:
        notes.append(
            f"description: {label} has {facts['description']!r} (requested {p['description']!r}); Bedrock cannot"
            " change it in place, so it was left as it is"
        )
    update_to = p["model"] if target_model(facts) != p["model"] else None
    if update_to and not p.get("retry_failed_update", True) and failed_update_to(facts) == p["model"]:
        update_to = None  # the wait reports that failure
    blocked: str | None = None
    refused: str | None = None
    if update_to and facts["status"] == "Failed":
        refused = (
            f"{label} is Failed ({facts['failure_message'] or 'no failure message'}); Bedrock cannot point it at"
            " another model: delete it (state=absent) and create it again. Nothing was changed."
        )
    elif update_to and (facts["status"] == "Creating" or updating(facts)):
        blocked = f"{label} is {state_of(facts)}; Bedrock takes an update only once it is Active and not updating"
    to_set: dict[str, str] = {}
    to_unset: list[str] = []
    if p["tags"] is not None:
        wanted = {k: str(v) for k, v in p["tags"].items()}
        to_set, to_unset = compare_aws_tags(facts["tags"] or {}, wanted, p["purge_tags"])
    return Plan(
        update_to=update_to,
        tags_to_set=to_set,
        tags_to_unset=tuple(to_unset),
        blocked=blocked,
        refused=refused,
        notes=tuple(notes),
    )


def model_problem(model_arn: str, model: dict[str, Any] | None) -> str | None:
    """One line when the custom model (GetCustomModel's answer) cannot be deployed; a missing modelStatus = Active."""
    if model is None:
        return f"model: {model_arn} was not found; a deployment serves an existing custom model. Nothing was changed."
    status = model.get("modelStatus") or "Active"
    if status != "Active":
        return f"model: {model_arn} is {status}; Bedrock deploys a custom model once it is Active. Nothing was changed."
    return None


def pending(facts: dict[str, Any] | None) -> bool:
    return facts is not None and (facts["status"] == "Creating" or updating(facts))


def serves(facts: dict[str, Any] | None, model: str) -> bool:
    """Whether the wait for ``model`` is over: it serves it, or ended Failed, or its update to it failed."""
    if facts is None or facts["status"] == "Failed":
        return True
    served = facts["model_arn"] == model or failed_update_to(facts) == model
    return facts["status"] == "Active" and not updating(facts) and served


def wait_problem(facts: dict[str, Any] | None, model: str | None, timed_out: bool, elapsed: float) -> str | None:
    """One line saying why a wait for ``model`` to be served (``model`` None: for deletion) did not succeed."""
    if model is None:
        if facts is None or not timed_out:
            return None
        return timed_out_message(elapsed, f" waiting for {deployment_label(facts)} to be deleted ({facts['status']})")
    if facts is None:
        return "The custom model deployment disappeared while waiting for it to be Active"
    label = deployment_label(facts)
    if facts["status"] == "Failed":
        return f"{label} Failed: {facts['failure_message'] or 'no failure message'}"
    if not timed_out and facts["model_arn"] != model:
        return (
            f"The update of {label} to {model} failed: {facts['failure_message'] or 'no failure message'};"
            f" it still serves {facts['model_arn']}"
        )
    if timed_out:
        return timed_out_message(elapsed, f" waiting for {label} to be Active serving {model}; it is {state_of(facts)}")
    return None


def _wait(client: Any, deadline: Deadline, identifier: str, done: Any) -> WaitOutcome[Any]:
    """Poll it against the task's deadline; a request retries only for the time the wait has left."""
    retry = DEFAULT_RETRY.until(deadline.left())
    try:
        return deadline.wait(lambda: read(client, identifier, retry), done)
    except RetriesCutShort as e:  # no poll of this wait could read it before the deadline: a timeout
        raise WaitFailed(deadline.cut_short(identifier, e.message), dict(deadline.figures)) from None


def wait_for(client: Any, deadline: Deadline, identifier: str, model: str | None) -> dict[str, Any] | None:
    """Wait until it serves ``model`` (None: until it is gone); raises WaitFailed with the facts it ended on."""
    done = (lambda facts: facts is None) if model is None else (lambda facts: serves(facts, model))
    outcome = _wait(client, deadline, identifier, done)
    problem = wait_problem(outcome.value, model, outcome.timed_out, float(deadline.figures["elapsed"]))
    if problem:
        raise WaitFailed(problem, dict(deadline.figures, custom_model_deployment=outcome.value or {}))
    return outcome.value


def wait_out(client: Any, deadline: Deadline, facts: dict[str, Any], blocked: str) -> dict[str, Any] | None:
    """Wait until it leaves the state that ``blocked`` the change; the facts then (None: it is gone since)."""
    outcome = _wait(client, deadline, facts["custom_model_deployment_arn"], lambda f: not pending(f))
    if outcome.timed_out:
        elapsed = deadline.figures["elapsed"]
        raise WaitFailed(
            timed_out_message(elapsed, f" waiting for it to change: {blocked}. Nothing was changed."),
            dict(deadline.figures, custom_model_deployment=outcome.value or {}),
        )
    return outcome.value


def refusal(what: str, e: AnsibleBedrockError) -> Refused:
    """Bedrock's refusal of a change request, in one line."""
    message = getattr(e.exception, "response", {}).get("Error", {}).get("Message") or str(e)
    return Refused(f"Bedrock refused to {what}: {' '.join(str(message).split())}")


def _send(what: str, request: Any, *args: Any) -> Any:
    try:
        return request(*args)
    except AnsibleBedrockError as e:
        if error_code(e) in REFUSAL_CODES:
            raise refusal(what, e) from e
        raise


def create(client: Any, p: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    """Create it; with the token a hash of the request, a repeated or retried task creates one deployment."""
    token = p["client_request_token"] or cmd.derive_token(p)
    tags = {k: str(v) for k, v in (p["tags"] or {}).items()}
    planned = to_deployment_facts(
        dict(modelDeploymentName=p["name"], modelArn=p["model"], description=p["description"]), tags
    )
    result = dict(changed=True, client_request_token=token, diff=dict(before={}, after=diff_view(planned)))
    if check_mode:
        return dict(result, custom_model_deployment=planned)
    what = f"create custom model deployment {p['name']}"
    arn = _send(what, cmd.create_deployment, client, cmd.create_request(p, token))
    facts = read(client, arn)
    if facts is None and not p["client_request_token"]:  # the token answered with a deployment deleted since
        token = cmd.derive_token(p, stale_arn=arn)
        arn = _send(what, cmd.create_deployment, client, cmd.create_request(p, token))
        facts = read(client, arn)
    facts = facts or dict(planned, custom_model_deployment_arn=arn, status="Creating")
    return dict(result, client_request_token=token, custom_model_deployment=facts)


def change(client: Any, p: dict[str, Any], check_mode: bool, facts: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """Point it at another model and re-tag it, as ``plan`` says."""
    arn, before = facts["custom_model_deployment_arn"], facts
    if plan.update_to:
        if not check_mode:
            what = f"update {deployment_label(facts)} to {plan.update_to}"
            _send(what, cmd.update_deployment, client, arn, plan.update_to)
        facts = dict(facts, update_details=dict(model_arn=plan.update_to, update_status="Updating"))
    if plan.tags_to_set or plan.tags_to_unset:
        facts = retag(client, arn, facts, plan.tags_to_set, plan.tags_to_unset, check_mode)
    if plan.changed and not check_mode:
        facts = read(client, arn) or facts
    return dict(
        changed=plan.changed, custom_model_deployment=facts, diff=dict(before=diff_view(before), after=diff_view(facts))
    )


def present(client: Any, p: dict[str, Any], check_mode: bool, deadline: Deadline) -> dict[str, Any]:
    """Create it or bring it in line; with wait, then wait until it is Active and serves the model."""
    facts = read(client, p["name"])
    plan = decide(p, facts)
    if plan.refused:
        raise Refused(plan.refused)
    if plan.needs_model:
        problem = model_problem(p["model"], get_custom_model(client, p["model"]))
        if problem:
            raise Refused(problem)
    if plan.blocked and facts:
        if not p["wait"]:
            raise Refused(f"{plan.blocked}; run again with wait=true to wait for it first. Nothing was changed.")
        if not check_mode:
            facts = wait_out(client, deadline, facts, plan.blocked)
            plan = decide(p, facts)
            if plan.refused:
                raise Refused(plan.refused)
    result = change(client, p, check_mode, facts, plan) if facts else create(client, p, check_mode)
    if plan.notes:
        result["warnings"] = list(plan.notes)
    if p["wait"] and not check_mode:
        try:
            arn = result["custom_model_deployment"]["custom_model_deployment_arn"]
            result["custom_model_deployment"] = wait_for(client, deadline, arn, p["model"])
        except WaitFailed as e:  # a wait that fails after a change still reports the change (diff, token)
            raise WaitFailed(e.message, {**result, **e.waited}) from None
    return result


def absent(client: Any, p: dict[str, Any], check_mode: bool, deadline: Deadline) -> dict[str, Any]:
    """Delete it when there is one; with wait, then wait until it is gone."""
    facts = read(client, p["name"])
    plan = decide(p, facts)
    if not facts:
        return dict(changed=False, custom_model_deployment={})
    result = dict(changed=True, custom_model_deployment={}, diff=dict(before=diff_view(facts), after={}))
    if plan.blocked and not p["wait"]:
        raise Refused(f"{plan.blocked}; run again with wait=true to wait for it first. Nothing was changed.")
    if check_mode:
        return result
    if plan.blocked:
        facts = wait_out(client, deadline, facts, plan.blocked)
        if facts is None:
            return dict(changed=False, custom_model_deployment={})
    arn = facts["custom_model_deployment_arn"]
    deleted = _send(f"delete {deployment_label(facts)} ({state_of(facts)})", cmd.delete_deployment, client, arn)
    if p["wait"] and deleted:
        try:
            wait_for(client, deadline, arn, None)
        except WaitFailed as e:  # the delete was sent: a failed wait still reports it
            raise WaitFailed(e.message, dict(e.waited, changed=True, diff=result["diff"])) from None
    return dict(result, changed=bool(deleted))
