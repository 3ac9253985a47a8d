# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Every Bedrock model-copy-job call; their retry and pagination come from ``_bedrock``.

Functions here take a boto3 ``bedrock`` client and never an Ansible module, so the modules, the
role's tests and the benchmarks call exactly the same code.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    BedrockErrorHandler,
    ListOperation,
    RetryPolicy,
    call,
    listed,
    option_filters,
    paged_listing,
    shared_name_part,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts

# Module option -> ListModelCopyJobs parameter. Wire name of targetModelNameContains is
# outputModelNameContains; botocore maps it.
LIST_FILTERS = {
    "status": "statusEquals",
    "creation_time_after": "creationTimeAfter",
    "creation_time_before": "creationTimeBefore",
    "source_account_id": "sourceAccountEquals",
    "source_model_arn": "sourceModelArnEquals",
    "target_model_name_contains": "targetModelNameContains",
    "sort_by": "sortBy",
    "sort_order": "sortOrder",
}

LIST_COPY_JOBS = ListOperation("list_model_copy_jobs", "modelCopyJobSummaries", "jobArn", "list model copy jobs")


# ListModelCopyJobs, page by page (see PagedListing).
CopyJobListing = paged_listing(LIST_COPY_JOBS)


def build_list_filters(options: dict[str, Any]) -> dict[str, Any]:
    """ListModelCopyJobs parameters from already-validated module options (None = not set)."""
    return option_filters(options, LIST_FILTERS)


@BedrockErrorHandler.list_error_handler("get model copy job")
def get_model_copy_job(client: Any, job_arn: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict | None:
    """The job, or None when Bedrock does not know it (yet)."""
    job = call(retry, f"get model copy job {job_arn}", client.get_model_copy_job, jobArn=job_arn)
    job.pop("ResponseMetadata", None)
    return job


@BedrockErrorHandler.common_error_handler("create model copy job")
def create_model_copy_job(client: Any, params: dict[str, Any], retry: RetryPolicy = DEFAULT_RETRY) -> str:
    """Start a copy in the client's region; returns the job ARN.

    Retrying is safe only because callers always send a clientRequestToken.
    """
    return call(retry, "create model copy job", client.create_model_copy_job, **params)["jobArn"]


def select_copy_jobs(client: Any, options: dict[str, Any], retry: RetryPolicy = DEFAULT_RETRY) -> dict[str, Any]:
    """The jobs model_copy_job_info's options select, as facts: one get per ARN of ``job_arns`` (those Bedrock does
    not know in ``missing_job_arns``), or else one listing pass with the filters and paging the options give."""
    if options.get("job_arns"):
        arns = list(dict.fromkeys(options["job_arns"]))
        found = {arn: get_model_copy_job(client, arn, retry) for arn in arns}
        jobs = [to_job_facts(job) for job in found.values() if job]
        return dict(model_copy_jobs=jobs, missing_job_arns=[arn for arn, job in found.items() if not job])
    return listed(client, LIST_COPY_JOBS, build_list_filters(options), options, "model_copy_jobs", to_job_facts, retry)


def find_newest_copy_job(
    client: Any, source_model_arn: str, target_model_name: str, retry: RetryPolicy = DEFAULT_RETRY
) -> dict | None:
    """The newest job copying ``source_model_arn`` to exactly ``target_model_name``, or None.

    One filtered listing, newest first (targetModelNameContains also matches longer names, so the
    name is compared exactly); it stops at the first exact match and reads no further page.
    """
    return newest_copy_jobs(client, [(source_model_arn, target_model_name)], retry)[0]


def newest_copy_jobs(
    client: Any, copies: list[tuple[str, str]], retry: RetryPolicy = DEFAULT_RETRY
) -> list[dict | None]:
    """The newest job of each copy in the client's region, in the order of ``copies``; None where there is none.

    A copy is (source model ARN, target model name); a job belongs to it when it copies that source model
    and its target model name EQUALS that name (the server filter ``targetModelNameContains`` only narrows
    the listing; a longer name such as ``<name>-canary`` never decides another copy).
    All copies are read from one listing, newest first, filtered as narrowly
    as they allow (their source model when they share one, the longest text their names share), which stops
    at the page where the last copy found its job. Usually that is one request however many copies there
    are; only a copy with no job at all makes it read to the end of the filtered listing.
    """
    sources = {source for source, _name in copies}
    filters: dict[str, Any] = {"sortBy": "CreationTime", "sortOrder": "Descending"}
    if len(sources) == 1:
        filters["sourceModelArnEquals"] = next(iter(sources))
    shared = shared_name_part([name for _source, name in copies])
    if shared:
        filters["targetModelNameContains"] = shared
    wanted = set(copies)
    found: dict[tuple[str, str], dict] = {}
    for summary in CopyJobListing(client, filters, retry=retry):
        source, target = summary.get("sourceModelArn"), summary.get("targetModelName") or ""
        matching = [copy for copy in wanted if copy[0] == source and copy[1] == target]
        for copy in matching:
            found[copy] = summary
            wanted.discard(copy)
        if not wanted:
            break
    return [found.get(copy) for copy in copies]
