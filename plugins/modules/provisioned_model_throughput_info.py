#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: provisioned_model_throughput_info
short_description: List Amazon Bedrock Provisioned Throughput, or look one up by name or ARN
version_added: 1.0.0
description:
  - With O(name), calls C(GetProvisionedModelThroughput) and C(ListTagsForResource); one Bedrock does not
    know gives an empty list, not an error.
  - Otherwise calls C(ListProvisionedModelThroughputs) with the filters given, page by page (1000 per request),
    and returns every match exactly once. A throttled or failed page is retried from its own token; pages
    already read are not requested again.
  - Every option is checked before the first request; a bad value fails the task naming the option.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  name:
    description:
      - Name or ARN of one Provisioned Throughput. Mutually exclusive with the filters and paging options.
    type: str
  status:
    description: Return only those in this status (C(statusEquals)).
    type: str
    choices: [Creating, InService, Updating, Failed]
  model_arn:
    description: Return only those serving this model (C(modelArnEquals)).
    type: str
  name_contains:
    description: Return only those whose name contains this text (C(nameContains)).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.listing.named
notes:
  - Supports check mode; the module never changes anything.
  - A listing does not read tags (that would take one request per throughput), so their C(tags) is null;
    C(failure_message) is null too, as Bedrock's list summaries do not carry it. Look one up by O(name) for both.
"""

EXAMPLES = r"""
- name: One by name, with its tags
  amazon.bedrock.provisioned_model_throughput_info:
    region: eu-central-1
    name: support-bot
  register: found

- name: Every throughput in service for one model, newest first
  amazon.bedrock.provisioned_model_throughput_info:
    region: eu-central-1
    status: InService
    model_arn: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    sort_by: CreationTime
    sort_order: Descending

- name: The first 50, then the next 50
  amazon.bedrock.provisioned_model_throughput_info:
    region: eu-central-1
    max_results: 50
  register: first
- amazon.bedrock.provisioned_model_throughput_info:
    region: eu-central-1
    max_results: 50
    next_token: "{{ first.next_token }}"
  when: first.next_token is defined
"""

RETURN = r"""
provisioned_model_throughputs:
  description: The selected throughputs, in the order Bedrock returned them.
  returned: always
  type: list
  elements: dict
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
    failure_message:
      description: Why it failed, with O(name); null otherwise (a list summary has none).
      type: str
      sample: "Provisioning failed: insufficient capacity for the requested model units."
    tags:
      description: Its tags as a dict with O(name); null in a listing.
      type: dict
      sample: {"Team": "search"}
next_token:
  description: Pass to O(next_token) to continue; present only when O(max_results) cut the listing short.
  returned: when more match than O(max_results)
  type: str
  sample: eyJwYWdlIjogMn0
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.amazon.bedrock.plugins.module_utils._provisioned_throughput import PROVISIONED
from ansible_collections.amazon.bedrock.plugins.module_utils._task import exit_named_info, named_info_args
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    PROVISIONED_STATUSES,
    check_provisioned_list_options,
)


def main() -> None:
    module = AnsibleAWSModule(**named_info_args(PROVISIONED, PROVISIONED_STATUSES))
    exit_named_info(module, PROVISIONED, check_provisioned_list_options)


if __name__ == "__main__":
    main()
