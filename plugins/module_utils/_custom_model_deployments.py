# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Every Bedrock custom model deployment call (on-demand deployment of a custom model) and its declarations.

Retry, paging and tags come from ``_bedrock``. Functions here take a boto3 ``bedrock`` client and never an
Ansible module.
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
    request_token,
    send_delete,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_deployment_facts

STATUSES = ("Creating", "Active", "Failed")
UPDATE_STATUSES = ("Updating", "UpdateCompleted", "UpdateFailed")

# Module option -> ListCustomModelDeployments parameter.
LIST_FILTERS = named_list_filters("createdAfter", "createdBefore")

LIST_DEPLOYMENTS = ListOperation(
    "list_custom_model_deployments",
    "modelDeploymentSummaries",
    "customModelDeploymentArn",
    "list custom model deployments",
)


@BedrockErrorHandler.list_error_handler("get custom model deployment")
def get_deployment(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict | None:
    """The deployment by name or ARN, or None when Bedrock does not know it."""
    description = f"get custom model deployment {identifier}"
    found = call(retry, description, client.get_custom_model_deployment, customModelDeploymentIdentifier=identifier)
    found.pop("ResponseMetadata", None)
    return found


@BedrockErrorHandler.common_error_handler("create custom model deployment")
def create_deployment(client: Any, params: dict[str, Any], retry: RetryPolicy = DEFAULT_RETRY) -> str:
    """Create one; returns its ARN. Retrying is safe only because callers always send a clientRequestToken."""

    def send() -> dict:  # call() takes a ``description`` of its own: the request's goes in here
        return client.create_custom_model_deployment(**params)

    response = call(retry, "create custom model deployment", send)
    return response["customModelDeploymentArn"]


def _serves_or_updating_to(found: dict[str, Any], model_arn: str) -> bool:
    update = found.get("updateDetails") or {}
    if update.get("modelArn") == model_arn:
        return update.get("updateStatus") in ("Updating", "UpdateCompleted")
    return found.get("modelArn") == model_arn and found.get("status") == "Active"


# Point the deployment at another custom model; it keeps its name and ARN.
update_deployment = ModelSwitch(
    "custom model deployment",
    "update_custom_model_deployment",
    "customModelDeploymentIdentifier",
    "modelArn",
    get_deployment,
    _serves_or_updating_to,
)


def delete_deployment(client: Any, identifier: str, retry: RetryPolicy = DEFAULT_RETRY) -> bool:
    """Delete it; False when it was already gone."""
    operation = client.delete_custom_model_deployment
    return send_delete(
        "delete custom model deployment", identifier, operation, retry, customModelDeploymentIdentifier=identifier
    )


def derive_token(p: dict[str, Any], stale_arn: str | None = None) -> str:
    """Same request, same token; ``stale_arn``: the token answered with a deployment that is gone since."""
    tags = sorted((k, str(v)) for k, v in (p["tags"] or {}).items())
    return request_token([p["name"], p["model"], p["description"], tags, stale_arn or "none"])


def create_request(p: dict[str, Any], token: str) -> dict[str, Any]:
    """CreateCustomModelDeployment parameters from the (validated) options."""
    request: dict[str, Any] = dict(modelDeploymentName=p["name"], modelArn=p["model"], clientRequestToken=token)
    if p["description"] is not None:
        request["description"] = p["description"]
    if p["tags"]:
        request["tags"] = [{"key": k, "value": str(v)} for k, v in p["tags"].items()]
    return request


def _summary_facts(summary: dict[str, Any]) -> dict[str, Any]:
    return to_deployment_facts(summary, summary=True)


DEPLOYMENTS = NamedResource(
    key="custom_model_deployments",
    get=get_deployment,
    arn_key="customModelDeploymentArn",
    to_facts=to_deployment_facts,
    listing=LIST_DEPLOYMENTS,
    filters=LIST_FILTERS,
    summary_facts=_summary_facts,
)
