# A scripted stand-in for boto3's bedrock client, Provisioned Throughput calls only, raising real botocore
# ClientErrors the way the service does.
from __future__ import annotations

import datetime
from typing import Any

from ansible_collections.amazon.bedrock.tests.unit.fakes import ACCOUNT, ScriptedCalls, client_error

REGION = "us-west-2"
BASE = "amazon.titan-text-express-v1:0:8k"
FOUNDATION_ARN = f"arn:aws:bedrock:{REGION}::foundation-model/{BASE}"


def model_arn(n: int) -> str:
    return f"arn:aws:bedrock:{REGION}:{ACCOUNT}:custom-model/{BASE}/{n:012d}"


def pt_arn(n: int) -> str:
    return f"arn:aws:bedrock:{REGION}:{ACCOUNT}:provisioned-model/{n:012d}"


T0 = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def throughput(n: int, name: str | None = None, model: str | None = None, status: str = "InService", **extra: Any):
    pt = {
        "provisionedModelArn": pt_arn(n),
        "provisionedModelName": name or f"pt-{n}",
        "modelArn": model or model_arn(1),
        "desiredModelArn": model or model_arn(1),
        "foundationModelArn": FOUNDATION_ARN,
        "modelUnits": 1,
        "desiredModelUnits": 1,
        "status": status,
        "creationTime": T0 + datetime.timedelta(minutes=n),
        "lastModifiedTime": T0 + datetime.timedelta(minutes=n),
    }
    pt.update(extra)
    return pt


class FakeProvisioned(ScriptedCalls):
    """Throughputs by ARN, tags per ARN; ``faults`` scripts one exception (or None) per call, in call order.

    ``statuses`` scripts what GetProvisionedModelThroughput reports for a throughput, one entry per get
    (then it stays): e.g. ["Creating", "Creating", "InService"].
    """

    def __init__(self, throughputs=(), faults=None, statuses=(), conflict=None):
        self.items: dict[str, dict[str, Any]] = {pt["provisionedModelArn"]: dict(pt) for pt in throughputs}
        super().__init__(faults)
        self.tags = {arn: {} for arn in self.items}
        self.statuses = list(statuses)
        self.conflict = conflict  # a message: DeleteProvisionedModelThroughput answers ConflictException
        self.tokens: dict[str, str] = {}
        self.next_n = 500

    def _find(self, ident: str, operation: str) -> dict[str, Any]:
        for pt in self.items.values():
            if ident in (pt["provisionedModelArn"], pt["provisionedModelName"]):
                return pt
        raise client_error("ResourceNotFoundException", operation, 404)

    def get_provisioned_model_throughput(self, provisionedModelId: str) -> dict[str, Any]:
        self._enter("get", {"provisionedModelId": provisionedModelId})
        pt = self._find(provisionedModelId, "GetProvisionedModelThroughput")
        if self.statuses:
            pt["status"] = self.statuses.pop(0)
            if pt["status"] == "InService":
                pt["modelArn"] = pt["desiredModelArn"]
            if pt["status"] == "Failed":
                pt["failureMessage"] = "insufficient capacity"
        return dict(pt, ResponseMetadata={"HTTPStatusCode": 200})

    def create_provisioned_model_throughput(self, **params: Any) -> dict[str, Any]:
        self._enter("create", params)
        token = params.get("clientRequestToken")
        if token in self.tokens:
            return {"provisionedModelArn": self.tokens[token]}
        if any(pt["provisionedModelName"] == params["provisionedModelName"] for pt in self.items.values()):
            raise client_error("ValidationException", "CreateProvisionedModelThroughput")
        self.next_n += 1
        model = params["modelId"] if params["modelId"].startswith("arn:") else FOUNDATION_ARN
        pt = throughput(self.next_n, params["provisionedModelName"], model, status="Creating")
        pt.update(modelUnits=params["modelUnits"], desiredModelUnits=params["modelUnits"])
        if params.get("commitmentDuration"):
            pt["commitmentDuration"] = params["commitmentDuration"]
            pt["commitmentExpirationTime"] = T0 + datetime.timedelta(days=30)
        self.items[pt["provisionedModelArn"]] = pt
        self.tags[pt["provisionedModelArn"]] = {t["key"]: t["value"] for t in params.get("tags", [])}
        if token:
            self.tokens[token] = pt["provisionedModelArn"]
        return {"provisionedModelArn": pt["provisionedModelArn"]}

    def update_provisioned_model_throughput(self, **params: Any) -> dict[str, Any]:
        self._enter("update", params)
        pt = self._find(params["provisionedModelId"], "UpdateProvisionedModelThroughput")
        if pt["status"] != "InService":
            raise client_error("ValidationException", "UpdateProvisionedModelThroughput")
        pt.update(desiredModelArn=params["desiredModelId"], status="Updating")
        return {}

    def delete_provisioned_model_throughput(self, provisionedModelId: str) -> dict[str, Any]:
        self._enter("delete", {"provisionedModelId": provisionedModelId})
        pt = self._find(provisionedModelId, "DeleteProvisionedModelThroughput")
        if self.conflict:
            error = client_error("ConflictException", "DeleteProvisionedModelThroughput", 409)
            error.response["Error"]["Message"] = self.conflict
            raise error
        del self.items[pt["provisionedModelArn"]]
        return {}

    def list_provisioned_model_throughputs(self, **params: Any) -> dict[str, Any]:
        self._enter("list", params)
        items = [pt for pt in self.items.values() if params.get("statusEquals", pt["status"]) == pt["status"]]
        start = int(params.get("nextToken", "tok-0").split("-")[1])
        end = start + params["maxResults"]
        page: dict[str, Any] = {"provisionedModelSummaries": [dict(pt) for pt in items[start:end]]}
        if end < len(items):
            page["nextToken"] = f"tok-{end}"
        return page
