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
  client_request_token:
    description:
      - Idempotency token of the create request; at most 256 letters, digits and inner C(-).
      - When not set, a hash of O(name), O(model), O(model_units), O(commitment_duration) and O(tags), so a
        retried or repeated create makes one throughput.
      - Right after a create the new throughput is read back, again for up to 10 seconds while Bedrock does not
        know it yet. Only one still not found then is taken as deleted since and created again with a new token
        (a token you set is refused instead). When that create fails or its throughput cannot be read back either,
        the task fails naming the ARNs and creates nothing more.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.resource
  - amazon.bedrock.wait
notes:
  - Supports check mode (no change request is sent) and diff mode (model, units, commitment and tags).
  - A throughput is changed only when C(InService); one still C(Creating) or C(Updating) is first waited
    out with O(wait=true), and is otherwise reported as not changeable yet.
  - With O(wait=true) and O(state=present), the task has settled when the throughput is C(InService)
    (C(Creating) and C(Updating) are waited out); it fails with Bedrock's failure message when it ends C(Failed).
    With O(state=absent), when it is gone. A timeout names the status it was still in.
  - O(wait_timeout) is for the whole task, counted from its first poll; waiting out C(Updating) before a
    model swap and waiting for C(InService) after it share it. Each poll is a C(GetProvisionedModelThroughput)
    request, and a C(ListTagsForResource) request while the throughput exists.
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

from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.module_utils._task import client_for, exit_change, resource_module
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    COMMITMENT_DURATIONS,
    check_provisioned_throughput_options,
)


def main() -> None:
    module = resource_module(
        check_provisioned_throughput_options,
        model_units=dict(type="int"),
        commitment_duration=dict(type="str", choices=list(COMMITMENT_DURATIONS)),
    )
    p = module.params

    def change() -> dict[str, Any]:
        client = client_for(module)
        wait = deploy.Waiter(client, p["wait_timeout"], p["wait_sleep"])
        apply = deploy.absent if p["state"] == "absent" else deploy.present
        return dict(apply(client, p, module.check_mode, deploy.read(client, p["name"]), wait), **wait.figures)

    exit_change(module, change)


if __name__ == "__main__":
    main()
