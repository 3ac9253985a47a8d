# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Every Bedrock Provisioned Throughput call; retry, pagination and tags come from ``_bedrock``.

Functions here take a boto3 ``bedrock`` client and never an Ansible module. Each request goes through
``_bedrock.call`` (retry of that one request) and the listing is the generic ``PagedListing``.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    BedrockErrorHandler,
    ListOperation,
    ModelSwitch,
    NamedResource,
    RetryPolicy,
    call,
    named_list_filters,
    option_filters,
    paged_listing,
    request_token,
    send_delete,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import provisioned_label, to_provisioned_facts

# Module option -> ListProvisionedModelThroughputs parameter.
LIST_FILTERS = named_list_filters("creationTimeAfter", "creationTimeBefore")

LIST_PROVISIONED = ListOperation(
    "list_provisioned_model_throughputs",
    "provisionedModelSummaries",
    "provisionedModelArn",
    "list provisioned model throughputs",
)
# While Bedrock works on a throughput it is in one of these; a wait waits them out.
PENDING_STATUSES = ("Creating", "Updating")


# ListProvisionedModelThroughputs, page by page (see PagedListing).
ProvisionedThroughputListing = paged_listing(LIST_PROVISIONED)


def build_list_filters(options: dict[str, Any]) -> dict[str, Any]:
    """ListProvisionedModelThroughputs parameters from already-validated module options (None = not set)."""
    return option_filters(options, LIST_FILTERS)


@BedrockErrorHandler.list_error_handler("get provisioned model throughput")
def get_provisioned_throughput(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict | None:
    """The throughput by name or ARN, or None when Bedrock does not know it."""
    description = f"get provisioned model throughput {identifier}"
    found = call(retry, description, client.get_provisioned_model_throughput, provisionedModelId=identifier)
    found.pop("ResponseMetadata", None)
    return found


@BedrockErrorHandler.common_error_handler("create provisioned model throughput")
def create_provisioned_throughput(client: Any, params: dict[str, Any], retry: RetryPolicy = DEFAULT_RETRY) -> str:
    """Create one; returns its ARN. Retrying is safe only because callers always send a clientRequestToken."""
    response = call(retry, "create provisioned model throughput", client.create_provisioned_model_throughput, **params)
    return response["provisionedModelArn"]


def _switching_to(found: dict[str, Any], model_id: str) -> bool:
    return model_id in (found.get("desiredModelArn"), found.get("modelArn")) and found.get("status") != "Failed"


# Point the throughput at another model (``desiredModelId``); it keeps its name and ARN.
update_provisioned_model = ModelSwitch(
    "provisioned model throughput",
    "update_provisioned_model_throughput",
    "provisionedModelId",
    "desiredModelId",
    get_provisioned_throughput,
    _switching_to,
)


def delete_provisioned_throughput(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> bool:
    """Delete it; False when it was already gone."""
    operation = client.delete_provisioned_model_throughput
    return send_delete(
        "delete provisioned model throughput", identifier, operation, retry, provisionedModelId=identifier
    )


PROVISIONED = NamedResource(
    key="provisioned_model_throughputs",
    get=get_provisioned_throughput,
    arn_key="provisionedModelArn",
    to_facts=to_provisioned_facts,
    listing=LIST_PROVISIONED,
    filters=LIST_FILTERS,
    summary_facts=to_provisioned_facts,
)


# Planning: pure functions of the options and the facts of the live throughput.


def derive_token(p: dict[str, Any], stale_arn: str | None = None) -> str:
    """Same request, same token; ``stale_arn``: the token answered with a throughput that is gone since."""
    tags = sorted((k, str(v)) for k, v in (p["tags"] or {}).items())
    basis = [p["name"], p["model"], p["model_units"], p["commitment_duration"], tags, stale_arn or "none"]
    return request_token(basis)


def serves(facts: dict[str, Any], model: str) -> bool:
    """Whether the throughput serves (or is being switched to) ``model``, an ARN or a foundation model ID."""
    target = facts["desired_model_arn"] or facts["model_arn"] or ""
    return target == model or (not model.startswith("arn:") and target.endswith(f":foundation-model/{model}"))


def diff_view(facts: dict[str, Any]) -> dict[str, Any]:
    """What a diff shows of a throughput (its facts)."""
    keys = ("provisioned_model_name", "model_units", "commitment_duration", "tags")
    return dict({k: facts[k] for k in keys}, model=facts["desired_model_arn"] or facts["model_arn"])


def immutable_problem(facts: dict[str, Any], p: dict[str, Any]) -> str | None:
    """One line when the options ask for model units or a commitment the existing throughput does not have."""
    what = []
    if p["model_units"] is not None and p["model_units"] != facts["desired_model_units"]:
        what.append(
            f"model_units: {provisioned_label(facts)} has {facts['desired_model_units']} (requested {p['model_units']})"
        )
    if p["commitment_duration"] != facts["commitment_duration"]:
        what.append(
            f"commitment_duration: it has {facts['commitment_duration'] or 'no commitment'}"
            f" (requested {p['commitment_duration'] or 'none'})"
        )
    if not what:
        return None
    return (
        "; ".join(what)
        + ". Bedrock cannot change model units or the commitment in place: delete it (state=absent, once"
        " its commitment has ended) and create it again, or create one under another name. Nothing was changed."
    )
