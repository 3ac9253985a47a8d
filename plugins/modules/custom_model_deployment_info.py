#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: custom_model_deployment_info
short_description: List Amazon Bedrock custom model deployments, or look one up by name or ARN
version_added: 1.1.0
description:
  - With O(name), calls C(GetCustomModelDeployment) and C(ListTagsForResource); one Bedrock does not
    know gives an empty list, not an error.
  - Otherwise calls C(ListCustomModelDeployments) with the filters given, page by page (1000 per request),
    and returns every match exactly once. A throttled or failed page is retried from its own token; pages
    already read are not requested again.
  - Every option is checked before the first request; a bad value fails the task naming the option.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  name:
    description:
      - Name or ARN of one deployment. Mutually exclusive with the filters and paging options.
    type: str
  status:
    description: Return only those in this status (C(statusEquals)).
    type: str
    choices: [Creating, Active, Failed]
  model_arn:
    description: Return only those serving this custom model (C(modelArnEquals)).
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
  - A listing's summaries carry no description and no update details, and a listing reads no tags (that would
    take one request per deployment), so those keys are null there. Look one up by O(name) for all of them.
"""

EXAMPLES = r"""
- name: One by name, with its tags and last update
  amazon.bedrock.custom_model_deployment_info:
    region: eu-central-1
    name: support-bot
  register: found

- name: Every active deployment of one model, newest first
  amazon.bedrock.custom_model_deployment_info:
    region: eu-central-1
    status: Active
    model_arn: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    sort_by: CreationTime
    sort_order: Descending

- name: The first 50, then the next 50
  amazon.bedrock.custom_model_deployment_info:
    region: eu-central-1
    max_results: 50
  register: first
- amazon.bedrock.custom_model_deployment_info:
    region: eu-central-1
    max_results: 50
    next_token: "{{ first.next_token }}"
  when: first.next_token is defined
"""

RETURN = r"""
custom_model_deployments:
  description: The selected deployments, in the order Bedrock returned them; every key is always present.
  returned: always
  type: list
  elements: dict
  contains:
    custom_model_deployment_arn:
      description: Its ARN.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model-deployment/abcdefghij12
    name: {description: Its name., type: str, sample: support-bot}
    model_arn:
      description: The model it serves now.
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    status: {description: "C(Creating), C(Active) or C(Failed).", type: str, sample: Active}
    description: {description: "Its description with O(name); null in a listing.", type: str, sample: Support bot}
    failure_message: {description: "Why it failed, or null.", type: str, sample: null}
    update_details:
      description:
        - With O(name), its last update (C(model_arn), C(update_status)), or C({}) when it was never updated.
        - Null in a listing.
      type: dict
      sample:
        model_arn: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij34
        update_status: UpdateCompleted
    creation_time: {description: When it was created (ISO-8601 UTC)., type: str, sample: "2026-12-04T10:00:00+00:00"}
    last_updated_time:
      description: Last change (ISO-8601 UTC), or null.
      type: str
      sample: "2026-12-04T10:05:00+00:00"
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

from ansible_collections.amazon.bedrock.plugins.module_utils._custom_model_deployments import DEPLOYMENTS
from ansible_collections.amazon.bedrock.plugins.module_utils._task import exit_named_info, named_info_args
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    DEPLOYMENT_STATUSES,
    check_deployment_list_options,
)


def main() -> None:
    module = AnsibleAWSModule(**named_info_args(DEPLOYMENTS, DEPLOYMENT_STATUSES))
    exit_named_info(module, DEPLOYMENTS, check_deployment_list_options)


if __name__ == "__main__":
    main()
