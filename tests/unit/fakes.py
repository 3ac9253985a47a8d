# Test doubles for the unit tests: a scripted stand-in for boto3's bedrock client and real
# botocore ClientErrors.
from __future__ import annotations

import datetime
from typing import Any

import botocore.exceptions

ACCOUNT = "123456789012"
SOURCE_ARN = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12"


def client_error(code: str, operation: str = "ListModelCopyJobs", status: int = 400) -> botocore.exceptions.ClientError:
    response = {"Error": {"Code": code, "Message": f"{code} happened"}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return botocore.exceptions.ClientError(response, operation)


def job_arn(n: int, region: str = "us-west-2") -> str:
    return f"arn:aws:bedrock:{region}:{ACCOUNT}:model-copy-job/{n:012d}"


def summary(n: int, status: str = "Completed", region: str = "us-west-2", **extra: Any) -> dict[str, Any]:
    job = {
        "jobArn": job_arn(n, region),
        "status": status,
        "creationTime": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(minutes=n),
        "targetModelArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/{n:012d}",
        "targetModelName": f"copy-{n}",
        "sourceAccountId": ACCOUNT,
        "sourceModelArn": SOURCE_ARN,
        "targetModelTags": [{"key": "Team", "value": "search"}],
    }
    job.update(extra)
    return job


class FakeBedrock:
    """Serves jobs in pages keyed by opaque tokens; ``faults`` scripts exceptions per call."""

    def __init__(self, jobs: list[dict[str, Any]], faults: list[BaseException | None] | None = None) -> None:
        self.jobs = jobs
        self.faults = list(faults or [])
        self.list_calls: list[dict[str, Any]] = []
        self.get_calls: list[str] = []
        self.create_calls: list[dict[str, Any]] = []
        self.model_calls: list[tuple[str, dict[str, Any]]] = []
        # Custom models: every Completed job's target model, except those deleted since.
        self.deleted_models: set[str] = set()
        # A model's modelStatus and failureMessage by ARN, as GetCustomModel gives them (none: no modelStatus).
        self.model_status: dict[str, dict[str, str]] = {}

    def _maybe_fail(self) -> None:
        if self.faults:
            fault = self.faults.pop(0)
            if fault is not None:
                raise fault

    def list_model_copy_jobs(self, **params: Any) -> dict[str, Any]:
        self.list_calls.append(params)
        self._maybe_fail()
        start = int(params.get("nextToken", "tok-0").split("-")[1])
        end = start + params["maxResults"]
        page: dict[str, Any] = {"modelCopyJobSummaries": self.jobs[start:end]}
        if end < len(self.jobs):
            page["nextToken"] = f"tok-{end}"
        return page

    def get_model_copy_job(self, jobArn: str) -> dict[str, Any]:
        self.get_calls.append(jobArn)
        self._maybe_fail()
        for job in self.jobs:
            if job["jobArn"] == jobArn:
                return dict(job, ResponseMetadata={"HTTPStatusCode": 200})
        raise client_error("ResourceNotFoundException", "GetModelCopyJob", 404)

    def create_model_copy_job(self, **params: Any) -> dict[str, Any]:
        self.create_calls.append(params)
        self._maybe_fail()
        return {"jobArn": job_arn(len(self.jobs) + 1)}

    def _models(self) -> list[dict[str, Any]]:
        return [
            {"modelArn": job["targetModelArn"], "modelName": job["targetModelName"]}
            | self.model_status.get(job["targetModelArn"], {})
            for job in self.jobs
            if job["status"] == "Completed" and job["targetModelArn"] not in self.deleted_models
        ]

    def list_custom_models(self, **params: Any) -> dict[str, Any]:
        self.model_calls.append(("list", params))
        self._maybe_fail()
        models = [m for m in self._models() if params.get("nameContains", "") in m["modelName"]]
        start = int(params.get("nextToken", "tok-0").split("-")[1])
        end = start + params["maxResults"]
        # A summary has a modelStatus but no failureMessage (botocore's CustomModelSummary).
        summaries = [{k: v for k, v in m.items() if k != "failureMessage"} for m in models[start:end]]
        page: dict[str, Any] = {"modelSummaries": summaries}
        if end < len(models):
            page["nextToken"] = f"tok-{end}"
        return page

    def get_custom_model(self, modelIdentifier: str) -> dict[str, Any]:
        self.model_calls.append(("get", {"modelIdentifier": modelIdentifier}))
        self._maybe_fail()
        for model in self._models():
            if modelIdentifier in (model["modelArn"], model["modelName"]):
                return dict(model, ResponseMetadata={"HTTPStatusCode": 200})
        raise client_error("ResourceNotFoundException", "GetCustomModel", 404)


class ScriptedCalls:
    """What the resource fakes share: every call recorded in order, ``faults`` scripting one exception (or None)
    per call, and the tag calls on resource ARNs (TagResource, UntagResource, ListTagsForResource)."""

    def __init__(self, faults: list[BaseException | None] | None = None) -> None:
        self.faults = list(faults or [])
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.tags: dict[str, dict[str, str]] = {}

    def _enter(self, operation: str, params: dict[str, Any]) -> None:
        self.calls.append((operation, params))
        if self.faults:
            fault = self.faults.pop(0)
            if fault is not None:
                raise fault

    def ops(self) -> list[str]:
        return [op for op, _params in self.calls]

    def list_tags_for_resource(self, resourceARN: str) -> dict[str, Any]:
        self._enter("list_tags", {"resourceARN": resourceARN})
        return {"tags": [{"key": k, "value": v} for k, v in self.tags.get(resourceARN, {}).items()]}

    def tag_resource(self, resourceARN: str, tags: list[dict[str, str]]) -> dict[str, Any]:
        self._enter("tag", {"resourceARN": resourceARN, "tags": tags})
        self.tags[resourceARN].update({t["key"]: t["value"] for t in tags})
        return {}

    def untag_resource(self, resourceARN: str, tagKeys: list[str]) -> dict[str, Any]:
        self._enter("untag", {"resourceARN": resourceARN, "tagKeys": tagKeys})
        for key in tagKeys:
            self.tags[resourceARN].pop(key, None)
        return {}
