# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Every Bedrock custom-model call the collection makes; retry and paging come from ``_bedrock``.

A copy job's status says what happened once; whether the copy still exists is a fact about its custom
model, which can be deleted (DeleteCustomModel) after the job completed. Functions here take a boto3
``bedrock`` client and never an Ansible module.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    BedrockErrorHandler,
    ListOperation,
    PagedListing,
    RetryPolicy,
    call,
    shared_name_part,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import iso_utc, parse_time
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import wait_until

LIST_CUSTOM_MODELS = ListOperation("list_custom_models", "modelSummaries", "modelArn", "list custom models")


@BedrockErrorHandler.list_error_handler("get custom model")
def get_custom_model(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict | None:
    """The custom model (name or ARN), or None when it does not exist (never did, or was deleted)."""
    model = call(retry, f"get custom model {identifier}", client.get_custom_model, modelIdentifier=identifier)
    model.pop("ResponseMetadata", None)
    return model


# A custom model's modelStatus (GetCustomModel, ListCustomModels). A response without one counts as Active.
MODEL_ACTIVE = "Active"
MODEL_CREATING = "Creating"
MODEL_FAILED = "Failed"


def model_status(model: dict[str, Any]) -> tuple[str, str | None]:
    """A model's (modelStatus, failureMessage); Active when Bedrock gives no status."""
    return model.get("modelStatus") or MODEL_ACTIVE, model.get("failureMessage") or None


def model_states(
    client: Any, models: list[tuple[str, str]], retry: RetryPolicy = DEFAULT_RETRY
) -> dict[str, tuple[str, str | None]]:
    """The (modelStatus, failureMessage) of those of ``models`` ((name, ARN) pairs) that exist, by ARN.

    An ARN missing from the answer was not found. One request whatever their number: GetCustomModel for one model;
    otherwise one ListCustomModels listing, newest first and filtered by the longest text their names share, which
    stops at the page where the last model was found (it reads further only while one is missing and more than a
    page of models matches). Models are compared by ARN, never by name: a deleted model's name may belong to a
    newer model. A listing's summaries carry no failureMessage: a Failed model found there is read once more
    (GetCustomModel) for it, the only request beyond the one, and only for a model that will not change again.
    """
    if not models:
        return {}
    if len(models) == 1:
        arn = models[0][1]
        model = get_custom_model(client, arn, retry)
        return {arn: model_status(model)} if model and model.get("modelArn", arn) == arn else {}
    filters: dict[str, Any] = {"sortBy": "CreationTime", "sortOrder": "Descending"}
    shared = shared_name_part([name for name, _arn in models])
    if shared:
        filters["nameContains"] = shared
    wanted = {arn for _name, arn in models}
    found: dict[str, tuple[str, str | None]] = {}
    for summary in PagedListing(client, LIST_CUSTOM_MODELS, filters, retry=retry):
        if summary["modelArn"] in wanted:
            found[summary["modelArn"]] = model_status(summary)
            if len(found) == len(wanted):
                break
    for arn, (status, message) in found.items():
        if status == MODEL_FAILED and not message:
            model = get_custom_model(client, arn, retry)
            found[arn] = model_status(model) if model else (status, None)
    return found


# Just after a copy job completed, a read of its model can still say it does not exist. Before a missing model
# counts as deleted it is read again, 1, 2, 4 and then 3 s apart (five reads over 10 s).
LAG_REREAD_SECONDS = 10.0
LAG_FIRST_PAUSE = 1.0
# A job created this recently completed at most this long ago: its model is never called deleted, however
# often it is not found. (A copy job has no end time; its creation time is the only bound on it.)
RECENT_JOB_SECONDS = 300.0

EXISTS = "exists"  # and Active
CREATING = "creating"  # exists, not Active yet
FAILED = "failed"  # exists, and Failed
DELETED = "deleted"
NOT_READABLE_YET = "not readable yet"


def copied_model_state(
    client: Any,
    job: dict[str, Any],
    retry: RetryPolicy = DEFAULT_RETRY,
    now: datetime.datetime | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> tuple[str, str | None]:
    """Whether the model a Completed copy job made still exists, and its status, with its failure message.

    EXISTS (Active, or no modelStatus), CREATING (any other status but Failed), FAILED, DELETED or NOT_READABLE_YET.
    One GetCustomModel when it is found. When it is not, it is read again with a short backoff (LAG_REREAD_SECONDS
    in all), because Bedrock's custom-model reads lag just after a job completed; only a model missing from every
    read is DELETED, and never that of a job created within RECENT_JOB_SECONDS of ``now`` (NOT_READABLE_YET: the
    caller must not copy it again). A Completed job without a target model ARN has no model: DELETED.
    """
    arn = job.get("targetModelArn")
    if not arn:
        return DELETED, None

    def found(model: dict | None) -> bool:
        return model is not None and model.get("modelArn", arn) == arn

    outcome = wait_until(
        lambda: get_custom_model(client, arn, retry),
        found,
        timeout=LAG_REREAD_SECONDS,
        interval=LAG_FIRST_PAUSE,
        backoff=2.0,
        clock=clock,
        sleep=sleep,
    )
    if found(outcome.value):
        status, message = model_status(outcome.value)
        return {MODEL_ACTIVE: EXISTS, MODEL_FAILED: FAILED}.get(status, CREATING), message
    created = iso_utc(job.get("creationTime"))
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if created and (now - parse_time(created)).total_seconds() < RECENT_JOB_SECONDS:
        return NOT_READABLE_YET, None
    return DELETED, None
