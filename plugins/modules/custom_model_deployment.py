#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: custom_model_deployment
short_description: Deploy an Amazon Bedrock custom model on demand, point the deployment at another model, or delete it
version_added: 1.1.0
description:
  - Manages the custom model deployment named O(name), which serves a custom model on demand (billed per
    request, no model units to buy).
  - None by that name is created (C(CreateCustomModelDeployment)). One serving another model is pointed at
    O(model) in place (C(UpdateCustomModelDeployment)); it keeps its name and ARN, so callers need no change.
  - The model must be C(Active) (C(GetCustomModel)) before a create or an update is sent; otherwise the task fails
    and nothing is changed. When Bedrock refuses the request (for example a model or region it cannot deploy on
    demand), the task fails with Bedrock's message in one line.
  - Every option is checked before the first request; a bad value fails the task naming the option.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  name:
    description: The name (C(modelDeploymentName)); it identifies the deployment in the region.
    type: str
    required: true
  model:
    description:
      - The ARN of the custom model to serve (C(modelArn)), for example one a model copy job made in this region.
      - Required with O(state=present).
    type: str
  description:
    description:
      - Its description, set when it is created (1-2048 characters).
      - Bedrock cannot change the description of an existing deployment. A different one is reported in a
        warning and nothing is changed for it.
    type: str
  client_request_token:
    description:
      - Idempotency token of the create request; at most 256 letters, digits and inner C(-).
      - When not set, a hash of O(name), O(model), O(description) and O(tags), so a retried or repeated create
        makes one deployment. When that token answers with a deployment deleted since, the create is sent
        once more with a new token.
    type: str
  retry_failed_update:
    description:
      - When the last update to O(model) ended C(UpdateFailed), send it again (V(true)), or only report that
        failure (V(false)) so that the task fails with its message.
      - The action plugin runs the later rounds of a wait with V(false), so an update that fails between two
        rounds fails the task and is never sent again within it.
    type: bool
    default: true
  wait:
    # Replaces the amazon.bedrock.wait fragment's description; its other wait options apply as they are.
    description:
      - With O(state=present), wait until it is C(Active) and serves O(model). The task fails with Bedrock's
        failure message when it ends C(Failed), or when an update ends C(UpdateFailed); the deployment then
        still serves the model it served before.
      - With O(state=absent), wait until it is gone.
      - An update asked for while it is C(Creating) or another update runs, or a delete while it is C(Creating),
        first waits that out with O(wait=true); without it the task fails naming the state and changes nothing.
      - O(wait_timeout) is for the whole task, counted from its first poll. A timeout fails the task naming
        the state it was still in. A throttled or failed poll is retried and never ends the wait early.
      - The wait is one task with one task banner. The action plugin runs the module one round at a time,
        each round waiting at most about O(wait_report_interval) seconds, and between rounds prints one
        progress line at default verbosity, such as C(Still waiting... [1m0s elapsed, timeout 30m0s] 1 of 1
        custom model deployments pending) followed by its name and state. With C(async) the module runs once
        and waits by itself.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.resource
  - amazon.bedrock.wait
notes:
  - Supports check mode (no change request is sent; reads are) and diff mode (model, description and tags).
  - To serve a model with reserved capacity, use M(amazon.bedrock.provisioned_model_throughput) instead.
"""

EXAMPLES = r"""
- name: First release - deploy the copied model on demand
  amazon.bedrock.custom_model_deployment:
    region: eu-central-1
    name: support-bot
    model: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    description: Support bot, on demand
    tags:
      Team: search
    wait: true
    wait_timeout: 1800
  register: deployment

- name: Next release - same deployment ARN, new model
  amazon.bedrock.custom_model_deployment:
    region: eu-central-1
    name: support-bot
    model: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij34
    wait: true

- name: Remove it
  amazon.bedrock.custom_model_deployment:
    region: eu-central-1
    name: support-bot
    state: absent
    wait: true
"""

RETURN = r"""
custom_model_deployment:
  description:
    - The deployment with its tags; C({}) when absent. Every key is always present.
    - In check mode, one that would be created has null ARN, status and times.
  returned: always
  type: dict
  contains:
    custom_model_deployment_arn:
      description: Its ARN; the same after an update.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model-deployment/abcdefghij12
    name: {description: Its name., type: str, sample: support-bot}
    model_arn:
      description: The model it serves now.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    status: {description: "C(Creating), C(Active) or C(Failed).", type: str, sample: Active}
    description: {description: "Its description, or null.", type: str, sample: "Support bot, on demand"}
    failure_message: {description: "Why it (or its last update) failed, or null.", type: str, sample: null}
    update_details:
      description: Its last update (C(model_arn) and C(update_status), one of C(Updating), C(UpdateCompleted) or
        C(UpdateFailed)); C({}) when it was never updated.
      type: dict
      sample:
        model_arn: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij34
        update_status: UpdateCompleted
    creation_time: {description: When it was created (ISO-8601 UTC)., type: str, sample: "2026-12-04T10:00:00+00:00"}
    last_updated_time: {description: Last change (ISO-8601 UTC)., type: str, sample: "2026-12-04T10:05:00+00:00"}
    tags: {description: Its tags as a dict., type: dict, sample: {"Team": "search"}}
client_request_token:
  description: The idempotency token of the create request that was (or in check mode would be) sent.
  returned: when a deployment was created or would be
  type: str
  sample: ansible-3f1d0c6e5b0a4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b
polls:
  description: How many times it was read while waiting, summed over the task's waits.
  returned: when it waited
  type: int
  sample: 12
elapsed:
  description: Seconds spent waiting, from the first poll of the task's first wait to its last poll.
  returned: when it waited
  type: float
  sample: 361.5
timed_out:
  description: Whether O(wait_timeout) passed first (the task then fails too).
  returned: when it waited
  type: bool
  sample: false
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

from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.module_utils._task import client_for, exit_change, resource_module
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import check_custom_model_deployment_options
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline


def main() -> None:
    module = resource_module(
        check_custom_model_deployment_options,
        description=dict(type="str"),
        retry_failed_update=dict(type="bool", default=True),
    )
    p = module.params
    deadline = Deadline(p["wait_timeout"], p["wait_sleep"])

    def change() -> dict[str, Any]:
        client = client_for(module)
        apply = deploy.absent if p["state"] == "absent" else deploy.present
        return dict(apply(client, p, module.check_mode, deadline), **deadline.figures)

    exit_change(module, change)


if __name__ == "__main__":
    main()
