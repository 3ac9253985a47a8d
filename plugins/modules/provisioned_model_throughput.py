#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: provisioned_model_throughput
short_description: Create, re-point or delete Amazon Bedrock Provisioned Throughput
version_added: 1.0.0
description:
  - Manages the Provisioned Throughput named O(name), which serves a custom (for example a copied) or foundation model.
  - None by that name is created (C(CreateProvisionedModelThroughput)). One serving another model is pointed at
    O(model) in place (C(UpdateProvisionedModelThroughput) with C(desiredModelId)); it keeps its name and ARN.
  - Bedrock cannot change the model units or the commitment of an existing one. When O(model_units) or
    O(commitment_duration) differ from it, the task fails and nothing is changed.
  - Every option is checked before the first request; a bad value fails the task naming the option.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  name:
    description: The name (C(provisionedModelName)); it identifies the throughput in the region.
    type: str
    required: true
  state:
    description: V(present) creates or updates it, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  model:
    description:
      - The model to serve (C(modelId)), a custom model ARN, a foundation model ARN or a foundation model ID.
      - Required with O(state=present).
    type: str
  model_units:
    description:
      - How many model units to buy (C(modelUnits)), at least 1. Required to create; compared with an existing one.
    type: int
  commitment_duration:
    description:
      - Commitment term (C(commitmentDuration)). Without it there is no commitment (hourly billing).
      - A commitment is billed for its whole term and Bedrock refuses to delete the throughput until it has ended.
    type: str
    choices: [OneMonth, SixMonths]
  tags:
    description: Tags as a dict. When not set, the tags are not changed.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags not in O(tags). Has no effect unless O(tags) is set.
    type: bool
    default: true
  client_request_token:
    description:
      - Idempotency token of the create request; at most 256 letters, digits and inner C(-).
      - When not set, a hash of O(name), O(model), O(model_units), O(commitment_duration) and O(tags), so a
        retried or repeated create makes one throughput.
    type: str
  wait:
    # Replaces the amazon.bedrock.wait fragment's description (copy jobs); its other wait options apply as they are.
    description:
      - With O(state=present), wait until it is C(InService) (C(Creating) and C(Updating) are waited out);
        the task fails with Bedrock's failure message when it ends C(Failed).
      - With O(state=absent), wait until it is gone.
      - A timeout fails the task naming the status it was still in. A throttled or failed poll is retried
        and never ends the wait early; an endpoint no connection can be made to ends it at once.
      - The wait is one task with one task banner. The action plugin runs the module one round at a time,
        each round waiting at most about O(wait_report_interval) seconds, and between rounds prints one
        progress line at default verbosity, such as C(Still waiting... [1m0s elapsed, timeout 30m0s] 1 of 1
        provisioned throughputs pending) followed by its name and status. With C(async) the module runs once
        and waits by itself.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.wait
notes:
  - Supports check mode (no change request is sent) and diff mode (model, units, commitment and tags).
  - A throughput is changed only when C(InService); one still C(Creating) or C(Updating) is first waited
    out with O(wait=true), and is otherwise reported as not changeable yet.
"""

EXAMPLES = r"""
- name: First release in eu-central-1 - serve the copied model
  amazon.bedrock.provisioned_model_throughput:
    region: eu-central-1
    name: support-bot
    model: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    model_units: 1
    tags:
      Team: search
    wait: true
    wait_timeout: 1800

- name: Next release - same endpoint ARN, new model
  amazon.bedrock.provisioned_model_throughput:
    region: eu-central-1
    name: support-bot
    model: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij34
    wait: true

- name: Remove it
  amazon.bedrock.provisioned_model_throughput:
    region: eu-central-1
    name: support-bot
    state: absent
"""

RETURN = r"""
provisioned_model_throughput:
  description:
    - The throughput with its tags, keys as in
      RV(amazon.bedrock.provisioned_model_throughput_info#module:provisioned_model_throughputs); C({}) when absent.
    - In check mode, one that would be created has null ARN, status and times.
  returned: always
  type: dict
  contains:
    provisioned_model_arn:
      description: Its ARN.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:provisioned-model/abcdefghij12
    provisioned_model_name: {description: Its name., type: str, sample: support-bot}
    model_arn:
      description: The model it serves now.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    desired_model_arn:
      description: The model it is being switched to; the same as C(model_arn) when settled.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    foundation_model_arn:
      description: The base model.
      type: str
      sample: arn:aws:bedrock:eu-central-1::foundation-model/amazon.titan-text-express-v1:0:8k
    model_units: {description: Model units., type: int, sample: 1}
    desired_model_units: {description: Model units being provisioned., type: int, sample: 1}
    status: {description: "C(Creating), C(InService), C(Updating) or C(Failed).", type: str, sample: InService}
    commitment_duration: {description: "C(OneMonth), C(SixMonths) or null.", type: str, sample: OneMonth}
    commitment_expiration_time:
      description: When the commitment ends (ISO-8601 UTC), or null.
      type: str
      sample: "2027-01-03T10:00:00+00:00"
    creation_time: {description: When it was created (ISO-8601 UTC)., type: str, sample: "2026-12-04T10:00:00+00:00"}
    last_modified_time: {description: Last change (ISO-8601 UTC)., type: str, sample: "2026-12-04T10:05:00+00:00"}
    failure_message: {description: "Why it failed, or null.", type: str, sample: null}
    tags: {description: Its tags as a dict., type: dict, sample: {"Team": "search"}}
client_request_token:
  description: The idempotency token of the create request that was (or in check mode would be) sent.
  returned: when a throughput was created or would be
  type: str
  sample: ansible-3f1d0c6e5b0a4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b
polls: {description: How many times it was read while waiting., returned: when it waited, type: int, sample: 12}
elapsed: {description: Seconds spent waiting., returned: when it waited, type: float, sample: 361.5}
timed_out:
  description: Whether O(wait_timeout) passed first (the task then fails too).
  returned: when it waited
  type: bool
  sample: false
"""

import datetime
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_throughput as pt
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import AnsibleBedrockError, error_code
from ansible_collections.amazon.bedrock.plugins.module_utils._clients import bedrock_client
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    provisioned_label,
    provisioned_wait_problem,
    to_provisioned_facts,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    COMMITMENT_DURATIONS,
    InvalidOption,
    check_provisioned_throughput_options,
    hide_access_key,
    wait_argument_spec,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import wait_until


class Refused(Exception):
    """The task fails with this one line; nothing was changed."""


class WaitFailed(Refused):
    """A wait ended without success (Failed, gone, timed out); the facts and the wait's figures go with it."""

    def __init__(self, message: str, waited: dict[str, Any]) -> None:
        super().__init__(message)
        self.waited = waited


def argument_spec() -> dict[str, Any]:
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        model=dict(type="str"),
        model_units=dict(type="int"),
        commitment_duration=dict(type="str", choices=list(COMMITMENT_DURATIONS)),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        client_request_token=dict(type="str", no_log=False),
        **wait_argument_spec(progress=True),
    )


def read(client: Any, identifier: str) -> dict[str, Any] | None:
    found = pt.get_provisioned_throughput(client, identifier)
    return to_provisioned_facts(found, pt.list_tags(client, found["provisionedModelArn"])) if found else None


def wait_settled(module: AnsibleAWSModule, client: Any, identifier: str, gone: bool = False) -> dict[str, Any] | None:
    """Wait until InService (or gone); the wait's figures are in ``module.waited`` for the result."""
    p = module.params

    def done(facts: dict[str, Any] | None) -> bool:
        return facts is None if gone else facts is None or facts["status"] not in pt.PENDING_STATUSES

    outcome = wait_until(lambda: read(client, identifier), done, p["wait_timeout"], p["wait_sleep"])
    # The action plugin waits in rounds and tells a round that ran out of time (timed_out) from a verdict.
    module.waited = dict(polls=outcome.polls, elapsed=round(outcome.elapsed, 1), timed_out=outcome.timed_out)
    problem = provisioned_wait_problem(outcome.value, outcome.timed_out, outcome.elapsed, gone)
    if problem:
        raise WaitFailed(problem, dict(module.waited, provisioned_model_throughput=outcome.value or {}))
    return outcome.value


def create(module: AnsibleAWSModule, client: Any) -> dict[str, Any]:
    p = module.params
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
    if module.check_mode:
        return dict(result, provisioned_model_throughput=planned)
    arn = pt.create_provisioned_throughput(client, dict(request, clientRequestToken=token))
    facts = read(client, arn) or read(client, p["name"])
    if facts is None:  # the token answered with a throughput deleted since: a new request needs a new token
        if p["client_request_token"]:
            raise Refused(f"client_request_token: {token!r} was used for {arn}, deleted since; give a new token")
        token = pt.derive_token(p, stale_arn=arn)
        arn = pt.create_provisioned_throughput(client, dict(request, clientRequestToken=token))
        facts = read(client, arn) or dict(planned, provisioned_model_arn=arn, status="Creating")
    return dict(result, client_request_token=token, provisioned_model_throughput=facts)


def update(module: AnsibleAWSModule, client: Any, facts: dict[str, Any]) -> dict[str, Any]:
    p = module.params
    problem = pt.immutable_problem(facts, p)
    if problem:
        raise Refused(problem)
    before, changed = facts, False
    if not pt.serves(facts, p["model"]):
        if facts["status"] in pt.PENDING_STATUSES and p["wait"] and not module.check_mode:
            facts = wait_settled(module, client, facts["provisioned_model_arn"]) or facts
        if facts["status"] != "InService" and not module.check_mode:
            why = f": {facts['failure_message']}" if facts["status"] == "Failed" else "; run again with wait=true"
            raise Refused(
                f"{provisioned_label(facts)} is {facts['status']}, Bedrock changes its model only when InService{why}"
            )
        changed = True
        if not module.check_mode:
            pt.update_provisioned_model(client, facts["provisioned_model_arn"], p["model"])
        planned = p["model"] if p["model"].startswith("arn:") else facts["desired_model_arn"]
        facts = dict(facts, desired_model_arn=planned, status="Updating")
    if p["tags"] is not None:
        wanted = {k: str(v) for k, v in p["tags"].items()}
        to_set, to_unset = compare_aws_tags(facts["tags"] or {}, wanted, p["purge_tags"])
        if to_set or to_unset:
            changed = True
            if not module.check_mode:
                if to_unset:
                    pt.untag_resource(client, facts["provisioned_model_arn"], to_unset)
                if to_set:
                    pt.tag_resource(client, facts["provisioned_model_arn"], to_set)
            tags = {k: v for k, v in (facts["tags"] or {}).items() if k not in to_unset}
            facts = dict(facts, tags=dict(tags, **to_set))
    if changed and not module.check_mode:
        facts = read(client, facts["provisioned_model_arn"]) or facts
    after = dict(pt.diff_view(facts), model=p["model"]) if changed else pt.diff_view(facts)
    return dict(
        changed=changed, provisioned_model_throughput=facts, diff=dict(before=pt.diff_view(before), after=after)
    )


def delete(module: AnsibleAWSModule, client: Any, facts: dict[str, Any]) -> dict[str, Any]:
    result = dict(changed=True, provisioned_model_throughput={}, diff=dict(before=pt.diff_view(facts), after={}))
    ends, label = facts["commitment_expiration_time"], provisioned_label(facts)
    committed = bool(ends) and datetime.datetime.fromisoformat(ends) > datetime.datetime.now(datetime.timezone.utc)
    blocked = f"{label} has a {facts['commitment_duration']} commitment until {ends}; Bedrock refuses to delete it"
    blocked += " before then. Nothing was changed."
    if module.check_mode:
        if committed:
            raise Refused(blocked)
        return result
    if facts["status"] in pt.PENDING_STATUSES and module.params["wait"]:
        facts = wait_settled(module, client, facts["provisioned_model_arn"]) or facts
    try:
        deleted = pt.delete_provisioned_throughput(client, facts["provisioned_model_arn"])
    except AnsibleBedrockError as e:
        if error_code(e) != "ConflictException":
            raise
        raise Refused(
            blocked if committed else f"{label} is {facts['status']}; Bedrock refused to delete it: {e.exception}"
        ) from e
    if module.params["wait"] and deleted:
        try:
            wait_settled(module, client, facts["provisioned_model_arn"], gone=True)
        except WaitFailed as e:  # the delete was sent: a failed wait still reports it
            raise WaitFailed(str(e), dict(e.waited, changed=True, diff=result["diff"])) from None
    return dict(result, changed=bool(deleted))


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=hide_access_key(argument_spec()),
        required_if=[("state", "present", ["model"])],
        supports_check_mode=True,
    )
    p = module.params
    try:
        check_provisioned_throughput_options(p)
    except InvalidOption as e:
        module.fail_json(msg=str(e))

    result: dict[str, Any] = {}
    try:
        client = bedrock_client(*get_aws_connection_info(module))
        facts = read(client, p["name"])
        if p["state"] == "absent":
            result = delete(module, client, facts) if facts else dict(changed=False, provisioned_model_throughput={})
        else:
            result = update(module, client, facts) if facts else create(module, client)
            if p["wait"] and not module.check_mode:
                result["provisioned_model_throughput"] = wait_settled(module, client, p["name"])
    except WaitFailed as e:
        # A wait that fails after a change still reports the change (diff, token), with the facts it ended on.
        result = {**result, "changed": bool(result.get("changed")), **e.waited}
        if not module._diff:
            result.pop("diff", None)
        module.fail_json(msg=str(e), **result)
    except Refused as e:
        module.fail_json(msg=str(e), changed=bool(result.get("changed")))
    except AnsibleBedrockError as e:
        module.fail_json_aws_error(e)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result, **getattr(module, "waited", {}))


if __name__ == "__main__":
    main()
