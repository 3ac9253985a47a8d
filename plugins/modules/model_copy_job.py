#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: model_copy_job
short_description: Copy an Amazon Bedrock custom model to another region, once
version_added: 0.1.0
description:
  - Copies O(source_model_arn) into the region O(region) as O(target_model_name) with an Amazon
    Bedrock model copy job (C(CreateModelCopyJob)), unless such a copy already exists.
  - It looks for jobs copying O(source_model_arn) to exactly O(target_model_name) in O(region) with
    one filtered C(ListModelCopyJobs) listing, newest first. When the newest is C(InProgress), or
    C(Completed) and its target model still exists (one C(GetCustomModel) request), it is returned
    unchanged and no job is started. When there is none, or the newest C(Failed), or it completed but its
    model was deleted since (C(DeleteCustomModel)), a new job is started.
  - A model that is not found is read again for up to 10 seconds before it counts as deleted, since Bedrock
    may not show a just-copied model at once. The model of a job created in the last 5 minutes never counts
    as deleted; that job is returned unchanged with a warning.
  - The same C(GetCustomModel) tells the model's status. While Bedrock still creates the model (C(Creating)),
    the job is returned unchanged with a warning and no second copy is started. When the model C(Failed), the
    task fails, changed=false, with Bedrock's failure message of the model and the job; a new copy cannot take
    the name while the failed model exists. Delete that model (C(DeleteCustomModel)); the next run then copies
    it anew, with a new derived O(client_request_token), as for a deleted model.
  - Copy jobs cannot be changed. When the existing job was made with other O(tags) or another
    O(model_kms_key_id) than requested, it is still returned unchanged, with a warning naming the
    difference. Copy to a new O(target_model_name) to get a copy with the new settings.
  - Every option is checked before the first request; a bad value fails the task with a message
    that names the option.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  source_model_arn:
    description: ARN of the custom model to copy (C(sourceModelArn)), usually in another region.
    type: str
    required: true
  target_model_name:
    description:
      - Name of the copy in O(region) (C(targetModelName)).
      - Letters, digits, and single C(-) or C(_) between them, at most 63 characters.
    type: str
    required: true
  model_kms_key_id:
    description:
      - KMS key that encrypts the copy (C(modelKmsKeyId)); a key ID, key ARN, alias name or alias ARN.
      - Without it Bedrock uses a key it owns.
      - When comparing with an existing job, an alias is not resolved, so a job is never reported
        as differing by key when this is an alias.
    type: str
  tags:
    description:
      - Tags for the copied model (C(targetModelTags)), at most 200. Values are sent as strings.
      - When not set, the tags of an existing job are not compared.
    type: dict
    aliases: [resource_tags]
  retry_failed:
    description:
      - What to do when the newest job of this copy C(Failed).
      - V(true) starts a new copy job (with a new derived O(client_request_token)) on every run, so a copy
        that keeps failing reports a change each time.
      - V(false) returns the failed job unchanged, changed=false, with a warning naming its failure message,
        and does not wait for it. The copy stays C(Failed), so a deployment gate
        (M(amazon.bedrock.model_copy_info), the C(amazon.bedrock.model_copy_gate) role) stays shut on it until
        a new job completes; start one with V(true) once the cause is fixed.
    type: bool
    default: true
  client_request_token:
    description:
      - Idempotency token of the C(CreateModelCopyJob) request; at most 256 letters, digits and inner C(-).
      - When not set, a hash of O(source_model_arn), O(target_model_name), O(model_kms_key_id), O(tags)
        and the ARN of the newest job this copy replaces (failed, or completed with its model deleted since),
        so that a repeated run sends the same request again, and a copy that replaces one is a new request.
      - A token already used for the replaced job cannot start a new one; the task then fails.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.wait
  - amazon.bedrock.wait.copy_jobs
notes:
  - Supports check mode; a copy that would be started reports RV(ignore:changed=true) and no
    C(CreateModelCopyJob) request is sent. There is then no job to wait for.
  - Supports diff mode; the diff shows the job that would be started.
  - With O(wait=true) the returned or started job is polled with C(GetModelCopyJob) until it
    leaves C(InProgress); the task fails if it ends C(Failed). Its model may still be C(Creating) then; wait for the
    copy with M(amazon.bedrock.model_copy_info) (or the C(amazon.bedrock.model_copy_gate) role) before deploying it.
  - Copy jobs run in the target region, so O(region) is the region to copy to.
  - Needs C(bedrock:ListModelCopyJobs), C(bedrock:CreateModelCopyJob), C(bedrock:GetModelCopyJob) and, to tell
    whether a completed copy's model still exists, C(bedrock:GetCustomModel).
"""

EXAMPLES = r"""
- name: Copy a fine-tuned model from us-east-1 to eu-central-1 and wait for it
  amazon.bedrock.model_copy_job:
    region: eu-central-1
    source_model_arn: arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12
    target_model_name: support-bot-v3
    model_kms_key_id: alias/bedrock-models
    tags:
      Team: search
      cost-center: "42"
    wait: true
    wait_timeout: 3600
    wait_sleep: 60
  register: copy

- name: Use the copied model
  ansible.builtin.debug:
    msg: "{{ copy.model_copy_job.target_model_arn }}"
"""

RETURN = r"""
model_copy_job:
  description:
    - The copy job, shaped like the jobs of
      RV(amazon.bedrock.model_copy_job_info#module:model_copy_jobs).
    - In check mode, when a job would be started, the job that would be started; C(job_arn),
      C(status), C(creation_time), C(target_model_arn), C(source_account_id), C(source_model_name)
      and C(failure_message) are then null, and C(target_model_kms_key_arn) is O(model_kms_key_id) as given.
  returned: always
  type: dict
  contains:
    job_arn:
      description: ARN of the copy job.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:model-copy-job/abcdefghij12
    status:
      description: C(InProgress), C(Completed) or C(Failed).
      type: str
      sample: InProgress
    creation_time:
      description: When the job was created, ISO-8601 in UTC.
      type: str
      sample: "2026-11-28T18:46:42+00:00"
    target_model_arn:
      description: ARN of the copied model in the target region.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    target_model_name:
      description: Name of the copied model.
      type: str
      sample: support-bot-v3
    source_account_id:
      description: Account that owns the source model.
      type: str
      sample: "123456789012"
    source_model_arn:
      description: ARN of the model that is copied.
      type: str
      sample: arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12
    source_model_name:
      description: Name of the model that is copied.
      type: str
      sample: support-bot-v3
    target_model_kms_key_arn:
      description: KMS key that encrypts the copy, or null.
      type: str
      sample: arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    target_model_tags:
      description: Tags of the copied model as a dict; keys keep their case.
      type: dict
      sample: {"Team": "search", "cost-center": "42"}
    failure_message:
      description: Why the job failed, or null.
      type: str
      sample: null
client_request_token:
  description: The idempotency token of the C(CreateModelCopyJob) request that was (or in check mode would be) sent.
  returned: when a job was started or would be
  type: str
  sample: ansible-3f1d0c6e5b0a4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b
polls:
  description: How many times the job was read while waiting.
  returned: when O(wait=true) and there is a job
  type: int
  sample: 4
elapsed:
  description: Seconds spent waiting.
  returned: when O(wait=true) and there is a job
  type: float
  sample: 92.4
timed_out:
  description:
    - Whether O(wait_timeout) passed before what the task waits for settled. The task then fails too; the
      action plugin uses it to tell a round that ended from a verdict.
  returned: when O(wait=true) and there is a job
  type: bool
  sample: false
unreachable_polls:
  description: Polls of the wait that could not connect after one had succeeded (see O(wait)).
  returned: when O(wait=true) and there is a job
  type: int
  sample: 0
endpoint_unreachable:
  description: The URL no connection could be made to.
  returned: when the task failed for that
  type: str
  sample: https://bedrock.eu-central-1.amazonaws.com/model-copy-jobs
unreachable_since:
  description: When the polls began failing to connect, ISO-8601 in UTC.
  returned: when the wait ended unreachable
  type: str
  sample: "2026-11-28T18:46:42Z"
wait_round:
  description:
    - What the wait told the action plugin that runs the module in rounds (see O(wait)); the plugin reads it and
      removes it, so a task sees it only when the module waited by itself (with C(async)).
    - C(timed_out_rest) is the failure line after "Timed out after Ns", which the plugin words with the whole
      wait's time; null when the wait did not fail for lack of time.
  returned: when the module waited, and only with C(async)
  type: dict
  sample: {"polls": 2, "elapsed": 20.0, "timed_out": true, "unreachable_polls": 0, "timed_out_rest": ": none matched"}
"""

from typing import Any

from ansible.module_utils.common.warnings import warn
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.amazon.bedrock.plugins.module_utils._copy_plan import (
    build_request,
    decide_copy,
    derive_token,
    planned_facts,
    start_copy_job,
    wait_for_copy_job,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import wait_figures
from ansible_collections.amazon.bedrock.plugins.module_utils._task import (
    bedrock_errors,
    client_for,
    exit_changed,
    fail_unless_settled,
    invalid_options,
    waiting_module,
)


def argument_spec() -> dict[str, Any]:
    return dict(
        source_model_arn=dict(type="str", required=True),
        target_model_name=dict(type="str", required=True),
        model_kms_key_id=dict(type="str", no_log=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        client_request_token=dict(type="str", no_log=False),
        retry_failed=dict(type="bool", default=True),
    )


def ensure_copy(module: AnsibleAWSModule, client: Any, request: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The task's result, and whether its job has ended and is not to be waited for."""
    params = module.params
    decision = decide_copy(client, request, params)
    for text in decision.warnings:
        # Not module.warn: amazon.aws's passes warnings to exit_json, deprecated since ansible-core 2.19.
        warn(text)
    if decision.refused:
        module.fail_json(msg=decision.refused, changed=False, model_copy_job=decision.keep)
    if decision.keep is not None:
        return dict(changed=False, model_copy_job=decision.keep), decision.final
    replaced_arn = decision.replaced_arn
    token = params["client_request_token"] or derive_token(request, replaced_arn)
    planned = planned_facts(request)
    after = {k: v for k, v in planned.items() if v is not None}
    result = dict(changed=True, client_request_token=token, diff=dict(before={}, after=after))
    if module.check_mode:
        return dict(result, model_copy_job=planned), False
    facts = start_copy_job(client, request, token, replaced_arn)
    if facts is None:
        used = f"{token!r} was already used for the model copy job {replaced_arn}, and {decision.replaced}"
        msg = f"client_request_token: {used}; give a new token, or none to derive one"
        module.fail_json(msg=msg, changed=False, client_request_token=token)
    return dict(result, model_copy_job=facts), False


def wait_for(module: AnsibleAWSModule, client: Any, result: dict[str, Any]) -> dict[str, Any]:
    p = module.params
    job, outcome, problem = wait_for_copy_job(client, result["model_copy_job"], p["wait_timeout"], p["wait_sleep"])
    result.update(model_copy_job=job, **wait_figures(outcome))
    fail_unless_settled(module, outcome, problem, result)
    return result


def main() -> None:
    module = waiting_module(argument_spec())
    with invalid_options(module):
        request = build_request(module.params)

    with bedrock_errors(module):
        client = client_for(module)
        result, final = ensure_copy(module, client, request)
        # A failed job left alone (retry_failed=false) has ended: nothing to wait for.
        if module.params["wait"] and result["model_copy_job"]["job_arn"] and not final:
            result = wait_for(module, client, result)
    exit_changed(module, result)


if __name__ == "__main__":
    main()
