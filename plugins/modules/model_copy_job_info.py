#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: model_copy_job_info
short_description: List Amazon Bedrock model copy jobs, or look them up by ARN
version_added: 0.1.0
description:
  - Returns Amazon Bedrock model copy jobs as facts that later tasks can test in C(when) or
    M(ansible.builtin.assert), for example to deploy only after a copy has C(Completed).
  - Without O(job_arns) it calls C(ListModelCopyJobs) with the filters given, page by page, and
    returns every matching job exactly once.
  - Each page that is throttled (C(ThrottlingException)), fails with C(InternalServerException)
    or loses its connection mid-response is retried with jittered exponential backoff, resuming from that
    page's own token; pages already read are not requested again. An endpoint no connection can be made
    to (refused, host name not resolved, 5 s connect timeout) fails the task at once, naming the URL.
  - With O(job_arns) it calls C(GetModelCopyJob) once per ARN. A job Bedrock does not know is
    left out of RV(model_copy_jobs) and listed in RV(missing_job_arns).
  - Every option is checked before the first request; a bad value fails the task with a message
    that names the option.
  - Copy jobs run in the target region, so set O(region) to the region the copy was made to.
  - A job is history. A C(Completed) job stays C(Completed) after the model it made is deleted, and its
    RV(model_copy_jobs[].target_model_arn) then names a model that no longer exists. To decide whether a copy
    can be deployed, use M(amazon.bedrock.model_copy_info), which reports such a copy as C(Deleted).
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  job_arns:
    description:
      - ARNs of model copy jobs to return.
      - Mutually exclusive with the listing filters and paging options.
      - An empty list fails the task; it never falls back to listing every job.
    type: list
    elements: str
    aliases: [job_arn]
  status:
    description: Return only jobs in this status (C(statusEquals)).
    type: str
    choices: [InProgress, Completed, Failed]
  source_account_id:
    description: Return only jobs whose source model belongs to this 12-digit account (C(sourceAccountEquals)).
    type: str
  source_model_arn:
    description: Return only copies of this source model (C(sourceModelArnEquals)).
    type: str
  target_model_name_contains:
    description:
      - Return only jobs whose target model name contains this text (C(targetModelNameContains)).
      - Letters, digits, and single C(-) or C(_) between them, at most 63 characters.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.listing
  - amazon.bedrock.wait
  - amazon.bedrock.wait.copy_jobs
notes:
  - Supports check mode; the module never changes anything.
  - Without O(sort_order) Bedrock lists the newest jobs first (C(Descending)).
"""

EXAMPLES = r"""
- name: All copy jobs in us-west-2
  amazon.bedrock.model_copy_job_info:
    region: us-west-2
  register: copies

- name: Completed copies of one model made this year, oldest first
  amazon.bedrock.model_copy_job_info:
    region: eu-central-1
    source_model_arn: arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12
    status: Completed
    creation_time_after: "2026-01-01"
    sort_by: CreationTime
    sort_order: Ascending
  register: done

- name: Deploy only when no copy failed
  ansible.builtin.assert:
    that:
      - done.model_copy_jobs | length > 0
      - done.status_counts.Failed == 0

- name: Wait until every copy of the model into this region has finished
  amazon.bedrock.model_copy_job_info:
    region: eu-central-1
    source_model_arn: arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12
    target_model_name_contains: support-bot-v3
    wait: true
    wait_timeout: 3600
    wait_sleep: 60
  register: copied

- name: Look two jobs up by ARN
  amazon.bedrock.model_copy_job_info:
    region: us-west-2
    job_arns:
      - arn:aws:bedrock:us-west-2:123456789012:model-copy-job/abcdefghij12
      - arn:aws:bedrock:us-west-2:123456789012:model-copy-job/klmnopqrst34
  register: by_arn

- name: The 50 newest jobs, then the next 50
  amazon.bedrock.model_copy_job_info:
    region: us-west-2
    max_results: 50
  register: first_page

- amazon.bedrock.model_copy_job_info:
    region: us-west-2
    max_results: 50
    next_token: "{{ first_page.next_token }}"
  when: first_page.next_token is defined
"""

RETURN = r"""
model_copy_jobs:
  description: The selected jobs, in the order Bedrock returned them.
  returned: always
  type: list
  elements: dict
  contains:
    job_arn:
      description: ARN of the copy job.
      type: str
      sample: arn:aws:bedrock:us-west-2:123456789012:model-copy-job/abcdefghij12
    status:
      description: C(InProgress), C(Completed) or C(Failed).
      type: str
      sample: Completed
    creation_time:
      description: When the job was created, ISO-8601 in UTC.
      type: str
      sample: "2026-11-28T18:46:42+00:00"
    target_model_arn:
      description: ARN of the copied model in the target region.
      type: str
      sample: arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    target_model_name:
      description: Name of the copied model.
      type: str
      sample: support-bot-v3
    source_account_id:
      description: Account that owns the source model.
      type: str
      sample: "123456789012"
    source_model_arn:
      description: ARN of the model that was copied.
      type: str
      sample: arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12
    source_model_name:
      description: Name of the model that was copied.
      type: str
      sample: support-bot-v3
    target_model_kms_key_arn:
      description: KMS key that encrypts the copy, or null.
      type: str
      sample: arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    target_model_tags:
      description: Tags of the copied model as a dict; keys keep their case.
      type: dict
      sample: {"Team": "search", "cost-center": "42"}
    failure_message:
      description: Why the job failed, or null.
      type: str
      sample: Source model is encrypted with a KMS key the target region cannot use.
status_counts:
  description: How many of the returned jobs are in each status; every status is present.
  returned: always
  type: dict
  sample: {"InProgress": 1, "Completed": 2, "Failed": 0}
next_token:
  description: Pass to O(next_token) to continue; present only when O(max_results) cut the listing short.
  returned: when more jobs match than O(max_results)
  type: str
  sample: eyJwYWdlIjogMn0
polls:
  description: How many times the jobs were read while waiting.
  returned: when O(wait=true)
  type: int
  sample: 4
elapsed:
  description: Seconds spent waiting.
  returned: when O(wait=true)
  type: float
  sample: 92.4
missing_job_arns:
  description: ARNs from O(job_arns) that Bedrock does not know.
  returned: when O(job_arns) is set
  type: list
  elements: str
  sample: ["arn:aws:bedrock:us-west-2:123456789012:model-copy-job/abcdefghij12"]
timed_out:
  description:
    - Whether O(wait_timeout) passed before what the task waits for settled. The task then fails too; the
      action plugin uses it to tell a round that ended from a verdict.
  returned: when O(wait=true)
  type: bool
  sample: false
unreachable_polls:
  description: Polls of the wait that could not connect after one had succeeded (see O(wait)).
  returned: when O(wait=true)
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

from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import LIST_FILTERS, select_copy_jobs
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import settled, status_counts, wait_problem
from ansible_collections.amazon.bedrock.plugins.module_utils._task import (
    client_for,
    exit_read,
    invalid_options,
    read_or_wait,
    waiting_module,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    check_list_options,
    check_wait_options,
    listing_argument_spec,
)

LISTING_OPTIONS = (*LIST_FILTERS, "max_results", "next_token")


def argument_spec() -> dict[str, Any]:
    return dict(
        job_arns=dict(type="list", elements="str", aliases=["job_arn"]),
        status=dict(type="str", choices=["InProgress", "Completed", "Failed"]),
        source_account_id=dict(type="str"),
        source_model_arn=dict(type="str"),
        target_model_name_contains=dict(type="str"),
        **listing_argument_spec(),
    )


def main() -> None:
    module = waiting_module(argument_spec(), mutually_exclusive=[("job_arns", option) for option in LISTING_OPTIONS])
    with invalid_options(module):
        options = check_list_options(module.params)
        check_wait_options(module.params)

    result, outcome = read_or_wait(
        module,
        "the jobs",
        lambda: client_for(module),
        lambda client, retry: select_copy_jobs(client, options, retry),
        lambda found: settled(found["model_copy_jobs"], found.get("missing_job_arns", [])),
    )
    jobs, missing = result["model_copy_jobs"], result.get("missing_job_arns", [])
    result["status_counts"] = status_counts(jobs)
    exit_read(module, result, outcome, lambda waited: wait_problem(jobs, missing, waited.timed_out, waited.elapsed))


if __name__ == "__main__":
    main()
