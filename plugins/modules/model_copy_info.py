#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: model_copy_info
short_description: The state of Amazon Bedrock model copies, each decided by its newest copy job
version_added: 0.1.0
description:
  - A I(copy) is a source model copied to a target model name in a region. Its state is the state of
    its newest copy job (by creation time), C(InProgress), C(Completed) or C(Failed), or C(Missing)
    when it has no job (yet).
  - A copy is C(Completed) only while its model exists and is C(Active) (a model read without a C(modelStatus)
    counts as C(Active)). When its newest job completed but the custom model it made has been deleted since
    (C(DeleteCustomModel)), the copy is C(Deleted); while that model is still C(Creating), C(ModelCreating); when
    it C(Failed), C(ModelFailed), with the model's failure message. In none of these is its model's ARN returned.
    To tell, each read of a region where some copy's job completed adds one request, C(GetCustomModel) for one
    such copy, or one C(ListCustomModels) listing (newest first, filtered by the longest text their names share)
    for several. A listing gives no failure message, so a C(Failed) model found there is read once more
    (C(GetCustomModel)) for its message; a failed model does not change again, so only that final case costs
    a request more.
  - Copies may be in several regions. Each poll reads every region once, with one C(ListModelCopyJobs)
    listing, newest first, filtered by the copies' source model when they share one and by the longest
    text their names share. The listing stops at the page where the last copy of the region found its
    job, which is usually the first; a copy with no job at all makes it read to the end of the filtered
    listing.
  - Each page that is throttled, fails with a server error or loses its connection mid-response is retried
    with jittered exponential backoff, resuming from that page's own token. An endpoint no connection can be
    made to (refused, host name not resolved, 5 s connect timeout) fails the task at once, naming the URL.
  - Every option is checked before the first request; a bad value fails the task with a message that
    names the option.
  - Use M(amazon.bedrock.model_copy_job_info) to list or look up jobs themselves.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  copies:
    description: The copies, one entry each. At least one.
    type: list
    elements: dict
    required: true
    suboptions:
      source_model_arn:
        description: ARN of the model that is copied.
        type: str
        required: true
      target_model_name:
        description:
          - Name of the copied model, matched B(exactly), so the newest job of O(copies[].source_model_arn)
            whose target model name equals it is the one that decides (a Failed job frees a name, so several jobs may
            share one). V(support-bot) never matches C(support-bot-v2).
        type: str
        required: true
      region:
        description:
          - The region the model is copied to (copy jobs live in their target region).
          - Defaults to the task's O(region).
        type: str
      assume_role_arn:
        description:
          - The IAM role to read this copy with, in the account the copy lives in (C(ListModelCopyJobs) lists only
            the calling account's jobs). Assumed with the task's own credentials, once per run however many copies
            and regions use it; botocore assumes it again before its credentials expire, so a long O(wait) goes on.
          - A role that cannot be assumed fails the task with one line naming the role and the copy.
          - Copies without O(copies[].assume_role_arn) and O(copies[].profile) are read with the task's credentials.
        type: str
      role_session_name:
        description:
          - The session name of O(copies[].assume_role_arn) (in the account's CloudTrail events).
          - Defaults to C(amazon.bedrock-model_copy_info).
        type: str
      external_id:
        description: The external id the trust policy of O(copies[].assume_role_arn) requires (C(sts:ExternalId)).
        type: str
      profile:
        description:
          - A named profile to read this copy with, instead of O(copies[].assume_role_arn).
        type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - amazon.bedrock.wait
  - amazon.bedrock.wait.copy_jobs
notes:
  - Supports check mode; the module never changes anything.
  - With O(wait=true) the task waits until every copy has a job and none is C(InProgress); a copy that is
    C(Missing) or C(Deleted) is waited for, since the pipeline may be (re)starting it, and so is one that is
    C(ModelCreating), until Bedrock makes its model C(Active). C(Failed) and C(ModelFailed) are final; the wait
    does not wait for them, and the task fails naming them once the other copies settled. Copies in different
    regions are waited for at the same time.
  - O(endpoint_url), when set, is used for every region, in every account. It is Bedrock's only; STS (for
    O(copies[].assume_role_arn), and C(GetCallerIdentity)) is reached the standard botocore way, its regional
    endpoint in the task's region, or what E(AWS_ENDPOINT_URL_STS) or the profile's C(services) section says.
  - Each (account, region) is read once per poll, however many copies it holds, all at the same time.
  - C(account_id) costs no request when an ARN says it (the role's, or a job's listed with the task's credentials
    or a profile); only for a source none of whose copies has a job yet is it asked once per run
    (C(sts:GetCallerIdentity)), and null when STS cannot be reached.
  - Needs C(bedrock:ListModelCopyJobs), and C(bedrock:GetCustomModel) and C(bedrock:ListCustomModels) to tell
    whether completed copies' models still exist.
  - The task's credentials need C(sts:AssumeRole) on every O(copies[].assume_role_arn); each role needs the three
    Bedrock permissions above in its account.
"""

EXAMPLES = r"""
- name: Where are the copies of release 42?
  amazon.bedrock.model_copy_info:
    copies:
      - source_model_arn: "{{ model_arn }}"
        target_model_name: support-bot-r42
        region: eu-central-1
      - source_model_arn: "{{ model_arn }}"
        target_model_name: support-bot-r42
        region: ap-northeast-1
  register: r42

- name: Deploy where the copy has completed
  ansible.builtin.debug:
    msg: "deploy {{ item.target_model_arn }} in {{ item.region }}"
  loop: "{{ r42.copies | selectattr('status', 'eq', 'Completed') }}"

- name: Copies in another account, read with a role there
  amazon.bedrock.model_copy_info:
    copies:
      - source_model_arn: "{{ model_arn }}"
        target_model_name: support-bot-r42
        region: eu-central-1
        assume_role_arn: arn:aws:iam::111111111111:role/bedrock-copy-gate
        external_id: release-pipeline

- name: Wait for both copies, polling each region once a minute
  amazon.bedrock.model_copy_info:
    region: eu-central-1
    copies:
      - {source_model_arn: "{{ model_arn }}", target_model_name: support-bot-r42}
      - {source_model_arn: "{{ model_arn }}", target_model_name: support-bot-r42, region: ap-northeast-1}
    wait: true
    wait_timeout: 3600
    wait_sleep: 60
"""

RETURN = r"""
copies:
  description: One entry per copy in O(copies), in that order.
  returned: always
  type: list
  elements: dict
  contains:
    account_id:
      description:
        - The account the copy was read in. Null only when it could not be told without STS and STS could not be
          reached.
      type: str
      sample: "123456789012"
    region:
      description: The copy's region.
      type: str
      sample: eu-central-1
    source_model_arn:
      description: As given.
      type: str
      sample: arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12
    target_model_name:
      description: As given.
      type: str
      sample: support-bot-r42
    status:
      description:
        - C(InProgress), C(Completed) or C(Failed) (the newest job's status), or C(Missing) (no job).
        - When the newest job completed but its model no longer exists, C(Deleted); when its model is still
          C(Creating), C(ModelCreating) (pending, a wait goes on polling it); when its model C(Failed),
          C(ModelFailed) (final). C(Completed) means the job completed and its model exists and is C(Active).
      type: str
      sample: Completed
    job_arn:
      description: ARN of the newest job, or null when C(Missing).
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:model-copy-job/abcdefghij12
    target_model_arn:
      description:
        - ARN of the copied model when the status is C(Completed), otherwise null (C(Deleted), C(ModelCreating)
          and C(ModelFailed) included), so that a deploy step cannot pick up a model that does not exist or is
          not C(Active).
      type: str
      sample: arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
    failure_message:
      description:
        - Why the newest job failed (C(Failed)), or why its model failed (C(ModelFailed), Bedrock's
          C(failureMessage) of the model; null when Bedrock gave none), otherwise null.
      type: str
      sample: Source model is encrypted with a KMS key the target region cannot use.
model_copy_jobs:
  description:
    - The newest job of each copy that has one, each job once, with the facts
      M(amazon.bedrock.model_copy_job_info) returns, except that C(target_model_arn) is null for a completed job
      whose model was deleted or is not C(Active) (its copy is C(Deleted), C(ModelCreating) or C(ModelFailed)).
  returned: always
  type: list
  elements: dict
  sample: [{"job_arn": "arn:aws:bedrock:eu-central-1:123456789012:model-copy-job/abcdefghij12", "status": "Completed"}]
status_counts:
  description:
    - How many copies are in each status; every status, C(ModelCreating), C(ModelFailed), C(Deleted) and
      C(Missing) included, is present.
  returned: always
  type: dict
  sample:
    {"InProgress": 0, "Completed": 2, "Failed": 0, "ModelCreating": 0, "ModelFailed": 0, "Deleted": 0, "Missing": 0}
gate:
  description:
    - The deployment gate's verdict on the copies, as the C(amazon.bedrock.model_copy_gate) role shows it.
  returned: when the copies were read (not when the endpoint could not be reached)
  type: dict
  contains:
    open:
      description: Whether every copy is C(Completed) (its model exists and is C(Active)).
      type: bool
      sample: false
    summary:
      description: One line, C(Model copy gate open|shut) and how many copies completed, or did not.
      type: str
      sample: "Model copy gate shut: 1 of 2 copies not completed"
    lines:
      description:
        - >-
          One line per copy, in the order of O(copies), C(REGION NAME: STATUS - why), with the job's ARN for a
          copy that is not C(Completed) and has one. A C(Completed) copy's line gives its model's ARN, no other's.
        - Where the copies span more than one account, each line starts with the copy's C(account_id).
        - With O(wait=true) the lines of copies still pending name O(wait_timeout) (the whole wait's).
      type: list
      elements: str
      sample:
        - >-
          eu-central-1 support-bot-r42: Completed -
          arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/mnopqrstuv56
        - >-
          ap-northeast-1 support-bot-r42: ModelFailed - its model failed: Internal error
          (job arn:aws:bedrock:ap-northeast-1:123456789012:model-copy-job/abcdefghij12)
    blocking:
      description: The lines of the copies that keep the gate shut; empty when it is open.
      type: list
      elements: str
      sample:
        - >-
          ap-northeast-1 support-bot-r42: ModelCreating - its model is still being created (not Active) when the
          600s timeout passed (job arn:aws:bedrock:ap-northeast-1:123456789012:model-copy-job/abcdefghij12)
polls:
  description: How many times the copies were read while waiting.
  returned: when O(wait=true)
  type: int
  sample: 4
elapsed:
  description: Seconds spent waiting.
  returned: when O(wait=true)
  type: float
  sample: 92.4
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

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info

from ansible_collections.amazon.bedrock.plugins.module_utils._accounts import account_clients
from ansible_collections.amazon.bedrock.plugins.module_utils._copies import copies_problem, copies_settled, read_copies
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import COPY_STATUSES, status_counts
from ansible_collections.amazon.bedrock.plugins.module_utils._gate import gate_verdict
from ansible_collections.amazon.bedrock.plugins.module_utils._task import (
    exit_read,
    invalid_options,
    read_or_wait,
    waiting_module,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import check_copies, check_wait_options


def main() -> None:
    # No suboptions here: check_copies checks the keys (see there why).
    module = waiting_module(dict(copies=dict(type="list", elements="dict", required=True)))
    with invalid_options(module):
        copies = check_copies(module.params["copies"], module.region)
        check_wait_options(module.params)

    result, outcome = read_or_wait(
        module,
        "the copies",
        # One botocore session per account (one loaded service model for all), each role assumed once per run.
        lambda: account_clients(copies, *get_aws_connection_info(module)),
        lambda made, retry: read_copies(made[0], copies, retry, made[1]),
        copies_settled,
    )
    result["status_counts"] = status_counts(result["copies"], COPY_STATUSES)
    # The action plugin words it again with the whole wait's timeout (a round's is its part of it).
    timeout = module.params["wait_timeout"] if outcome else None
    exit_read(
        module,
        result,
        outcome,
        lambda waited: copies_problem(result, waited.timed_out, waited.elapsed),
        lambda: {"gate": gate_verdict(result["copies"], timeout)},
    )


if __name__ == "__main__":
    main()
