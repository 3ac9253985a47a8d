# A scripted stand-in for boto3's bedrock client, custom model deployment calls (and GetCustomModel) only,
# raising real botocore ClientErrors the way the service does.
from __future__ import annotations

import datetime
from typing import Any

from ansible_collections.amazon.bedrock.tests.unit.fakes import ACCOUNT, ScriptedCalls, client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import REGION, model_arn

T0 = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def deployment_arn(n: int) -> str:
    return f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model-deployment/{n:012d}"


def deployment(n: int, name: str | None = None, model: str | None = None, status: str = "Active", **extra: Any):
    item = {
        "customModelDeploymentArn": deployment_arn(n),
        "modelDeploymentName": name or f"dep-{n}",
        "modelArn": model or model_arn(1),
        "status": status,
        "createdAt": T0 + datetime.timedelta(minutes=n),
        "lastUpdatedAt": T0 + datetime.timedelta(minutes=n),
    }
    item.update(extra)
    return item


class FakeDeployments(ScriptedCalls):
    """Deployments by ARN, tags per ARN, custom models by ARN (their modelStatus, None = not given).

    ``faults`` scripts one exception (or None) per call, in call order. ``script`` scripts what each
    GetCustomModelDeployment finds: one dict of changes per get, applied before it answers (then it stays).
    """

    def __init__(self, deployments=(), models=None, faults=None, script=(), refuse=None):
        self.items: dict[str, dict[str, Any]] = {d["customModelDeploymentArn"]: dict(d) for d in deployments}
        super().__init__(faults)
        self.tags = {arn: {} for arn in self.items}
        self.models: dict[str, str | None] = dict(models or {model_arn(1): None, model_arn(2): "Active"})
        self.script = list(script)
        self.refuse = refuse  # a message: Create and Update answer ValidationException with it
        self.tokens: dict[str, str] = {}
        self.next_n = 500

    def _find(self, ident: str, operation: str) -> dict[str, Any]:
        for item in self.items.values():
            if ident in (item["customModelDeploymentArn"], item["modelDeploymentName"]):
                return item
        raise client_error("ResourceNotFoundException", operation, 404)

    def _refused(self, operation: str, message: str) -> Exception:
        error = client_error("ValidationException", operation)
        error.response["Error"]["Message"] = message
        return error

    def get_custom_model(self, modelIdentifier: str) -> dict[str, Any]:
        self._enter("get_model", {"modelIdentifier": modelIdentifier})
        if modelIdentifier not in self.models:
            raise client_error("ResourceNotFoundException", "GetCustomModel", 404)
        model = {"modelArn": modelIdentifier, "modelName": "m"}
        if self.models[modelIdentifier] is not None:
            model["modelStatus"] = self.models[modelIdentifier]
        return model

    def get_custom_model_deployment(self, customModelDeploymentIdentifier: str) -> dict[str, Any]:
        self._enter("get", {"id": customModelDeploymentIdentifier})
        item = self._find(customModelDeploymentIdentifier, "GetCustomModelDeployment")
        if self.script:
            item.update(self.script.pop(0))
        return dict(item, ResponseMetadata={"HTTPStatusCode": 200})

    def create_custom_model_deployment(self, **params: Any) -> dict[str, Any]:
        self._enter("create", params)
        token = params.get("clientRequestToken")
        if token in self.tokens:
            return {"customModelDeploymentArn": self.tokens[token]}
        if self.refuse:
            raise self._refused("CreateCustomModelDeployment", self.refuse)
        if any(d["modelDeploymentName"] == params["modelDeploymentName"] for d in self.items.values()):
            raise self._refused("CreateCustomModelDeployment", "name taken")
        self.next_n += 1
        item = deployment(self.next_n, params["modelDeploymentName"], params["modelArn"], status="Creating")
        if params.get("description"):
            item["description"] = params["description"]
        self.items[item["customModelDeploymentArn"]] = item
        self.tags[item["customModelDeploymentArn"]] = {t["key"]: t["value"] for t in params.get("tags", [])}
        if token:
            self.tokens[token] = item["customModelDeploymentArn"]
        return {"customModelDeploymentArn": item["customModelDeploymentArn"]}

    def update_custom_model_deployment(self, **params: Any) -> dict[str, Any]:
        self._enter("update", params)
        item = self._find(params["customModelDeploymentIdentifier"], "UpdateCustomModelDeployment")
        if self.refuse:
            raise self._refused("UpdateCustomModelDeployment", self.refuse)
        if item["status"] != "Active" or item.get("updateDetails", {}).get("updateStatus") == "Updating":
            raise self._refused("UpdateCustomModelDeployment", "not Active")
        item["updateDetails"] = {"modelArn": params["modelArn"], "updateStatus": "Updating"}
        return {"customModelDeploymentArn": item["customModelDeploymentArn"]}

    def delete_custom_model_deployment(self, customModelDeploymentIdentifier: str) -> dict[str, Any]:
        self._enter("delete", {"id": customModelDeploymentIdentifier})
        item = self._find(customModelDeploymentIdentifier, "DeleteCustomModelDeployment")
        if item["status"] == "Creating":
            raise client_error("ConflictException", "DeleteCustomModelDeployment", 409)
        del self.items[item["customModelDeploymentArn"]]
        return {}

    def list_custom_model_deployments(self, **params: Any) -> dict[str, Any]:
        self._enter("list", params)
        items = [d for d in self.items.values() if params.get("statusEquals", d["status"]) == d["status"]]
        start = int(params.get("nextToken", "tok-0").split("-")[1])
        end = start + params["maxResults"]
        summaries = []
        for item in items[start:end]:
            summary = {k: v for k, v in item.items() if k not in ("description", "updateDetails")}
            summary["customModelDeploymentName"] = summary.pop("modelDeploymentName")
            summaries.append(summary)
        page: dict[str, Any] = {"modelDeploymentSummaries": summaries}
        if end < len(items):
            page["nextToken"] = f"tok-{end}"
        return page
