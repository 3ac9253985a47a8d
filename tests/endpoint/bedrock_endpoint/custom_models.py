"""Custom models for the Bedrock test endpoint: GetCustomModel, DeleteCustomModel and ListCustomModels.

The models themselves live in the copy-job ``Store`` (registered through the control API, or produced by a copy
job that completed); this file answers the three custom-model operations from it, so a deleted model is gone
for every reader at once and its name is free for a new copy job. moto's own versions of these operations key
models by name and compare an ARN identifier as it arrives (URL-encoded), which is why they are replaced here.
It also keeps the ``modelStatus`` lifecycle of the models copy jobs make (Creating, then Active or Failed) and
the control call that pins a model's status.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .common import (
    BedrockError,
    ControlError,
    Errors,
    QueryReader,
    check_keys,
    control_account,
    control_region,
    format_timestamp,
    not_found,
    partition_of,
)
from .copy_jobs import ACTIVE, DEFAULT_MODEL_FAILURE_MESSAGE, ModelRecord, Store

CREATING, FAILED = "Creating", "Failed"

MAX_RESULTS = 1000
DELETE_GUARDS: list[Callable[[ModelRecord], str | None]] = []
"""Resources that use custom models register here: a guard returns why a model can't be deleted, or None."""
_TRUE_FALSE = {"true": True, "false": False}


def _base_model_arn(record: ModelRecord) -> str:
    return f"arn:{partition_of(record.region)}:bedrock:{record.region}::foundation-model/{record.base_model_id}"


def model_status(store: Store, record: ModelRecord, now: float) -> str:
    """The model's modelStatus now; settles a copy job's model once its Creating time is over.

    Lazily, against the current lifecycle, like a job's status: Creating for model_creating_seconds after its
    job completed, then Failed (with the first matching model_fail rule's message) or Active, for good.
    """
    if record.status is not None:
        return record.status
    lc = store.lifecycle
    if now - record.registered < lc.model_creating_seconds:
        return CREATING
    rule = next(
        (r for r in lc.model_fail if r.matches(record.region, record.model_name, record.source_model_arn)), None
    )
    record.status, record.failure_message = (FAILED, rule.message) if rule else (ACTIVE, None)
    return record.status


def _lookup(store: Store, account: str, region: str, identifier: Any, lagging: bool = False) -> ModelRecord:
    """The model a modelIdentifier (name or ARN, already URL-decoded) names in (account, region); else 404.

    A model that reads do not show yet (model_read_lag_seconds) is not found, unless ``lagging``.
    """
    errors = Errors()
    errors.string(identifier, "ModelIdentifier", "modelIdentifier", required=True)
    errors.raise_validation()
    if identifier.startswith("arn:"):
        record = store.models.get(identifier)
        if record is not None and (record.account_id, record.region) != (account, region):
            record = None
    else:
        arn = store.model_names.get((account, region, identifier))
        record = store.models.get(arn) if arn else None
    if record is None or (not lagging and store.read_lags(record)):
        raise not_found(f"The model {identifier} couldn't be found.")
    return record


def get_custom_model(store: Store, account: str, region: str, identifier: Any) -> dict[str, Any]:
    with store.lock:
        return _model_view(store, _lookup(store, account, region, identifier))


def _model_view(store: Store, record: ModelRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "modelArn": record.model_arn,
        "modelName": record.model_name,
        "baseModelArn": _base_model_arn(record),
        "creationTime": format_timestamp(record.creation_us),
        "modelStatus": model_status(store, record, time.monotonic()),
    }
    if record.job_arn:
        out["jobArn"] = record.job_arn
    if record.kms_key_arn:
        out["modelKmsKeyArn"] = record.kms_key_arn
    if out["modelStatus"] == FAILED:
        out["failureMessage"] = record.failure_message or DEFAULT_MODEL_FAILURE_MESSAGE
    return out


def pin_model_status(store: Store, payload: Any) -> dict[str, Any]:
    """Control: the model's modelStatus is ``status`` from now on (the lifecycle leaves it alone); its Get view."""
    where = "models/status"
    p = check_keys(payload, {"region", "account_id", "model_id", "status", "failure_message"}, where)
    region = control_region(p.get("region"), where)
    account = control_account(p.get("account_id"), where)
    errors = Errors()
    errors.string(p.get("model_id"), "ModelIdentifier", "model_id", required=True)
    errors.string(p.get("status"), "ModelStatus", "status", required=True)
    errors.raise_control(f"{where}: ")
    message = p.get("failure_message")
    if message is not None and (not isinstance(message, str) or not message or p["status"] != FAILED):
        raise ControlError(f"{where}: failure_message must be a non-empty string, and only for status Failed")
    with store.lock:
        try:
            record = _lookup(store, account, region, p["model_id"], lagging=True)
        except BedrockError as exc:
            raise ControlError(f"{where}: {exc.message}") from None
        record.status = p["status"]
        record.failure_message = (message or DEFAULT_MODEL_FAILURE_MESSAGE) if p["status"] == FAILED else None
        return _model_view(store, record)


def delete_custom_model(store: Store, account: str, region: str, identifier: Any) -> ModelRecord:
    """Forget the model everywhere (its name becomes free); returns it so moto's mirror can drop it too."""
    with store.lock:
        record = _lookup(store, account, region, identifier)
        if model_status(store, record, time.monotonic()) == CREATING:
            raise BedrockError(
                "ConflictException",
                f"The custom model {record.model_name} is still being created (modelStatus Creating); "
                "delete it once it is Active or Failed.",
            )
        for guard in DELETE_GUARDS:
            reason = guard(record)
            if reason:
                raise BedrockError("ConflictException", reason)
        store.forget_model(record)
        return record


@dataclass
class ModelQuery:
    after: int | None
    before: int | None
    name_contains: str | None
    base_model_arn: str | None
    foundation_model_arn: str | None
    is_owned: bool | None
    status: str | None
    max_results: int
    token: str | None
    ascending: bool

    def fingerprint(self, account: str, region: str) -> str:
        basis = [account, region, self.after, self.before, self.name_contains, self.base_model_arn]
        basis += [self.foundation_model_arn, self.is_owned, self.status, self.ascending]
        return "models-" + hashlib.sha256(json.dumps(basis).encode()).hexdigest()[:16]


def parse_model_query(query: Mapping[str, str]) -> ModelQuery:
    """Validate ListCustomModels query parameters (wire names) the way the service model constrains them."""
    q = QueryReader(query)
    after, before = q.timestamp("creationTimeAfter"), q.timestamp("creationTimeBefore")
    name_contains = q.text("nameContains", "CustomModelName")
    base = q.text("baseModelArnEquals", "ModelArn")
    foundation = q.text("foundationModelArnEquals", "FoundationModelArn")
    status = q.text("modelStatus", "ModelStatus")
    token = q.text("nextToken", "PaginationToken")
    q.text("sortBy", "SortModelsBy")
    order = q.text("sortOrder", "SortOrder")
    is_owned = None
    if query.get("isOwned") is not None:
        is_owned = _TRUE_FALSE.get(query["isOwned"].lower())
        if is_owned is None:
            q.errors.add(query["isOwned"], "isOwned", "Member must be a boolean (true or false)")
    max_results = q.max_results(MAX_RESULTS)
    q.raise_validation()
    return ModelQuery(
        after, before, name_contains, base, foundation, is_owned, status, max_results, token, order == "Ascending"
    )


def _matches(q: ModelQuery, record: ModelRecord, status: str) -> bool:
    base = _base_model_arn(record)
    return (
        (q.after is None or record.creation_us > q.after)
        and (q.before is None or record.creation_us < q.before)
        and (q.name_contains is None or q.name_contains in record.model_name)
        and (q.base_model_arn is None or q.base_model_arn == base)
        and (q.foundation_model_arn is None or q.foundation_model_arn == base)
        and q.is_owned is not False  # every model here belongs to the account that lists it
        and (q.status is None or q.status == status)
    )


def _summary(record: ModelRecord, status: str) -> dict[str, Any]:
    return {
        "modelArn": record.model_arn,
        "modelName": record.model_name,
        "creationTime": format_timestamp(record.creation_us),
        "baseModelArn": _base_model_arn(record),
        "baseModelName": record.base_model_id,
        "ownerAccountId": record.account_id,
        "modelStatus": status,
    }


def list_custom_models(store: Store, account: str, region: str, query: Mapping[str, str]) -> dict[str, Any]:
    """ListCustomModels in (account, region), newest first unless asked otherwise, with opaque page tokens."""
    q = parse_model_query(query)
    fingerprint = q.fingerprint(account, region)
    with store.lock:
        cursor, page = store.open_token(q.token, fingerprint) if q.token else (None, 1)
        now = time.monotonic()
        mine = [
            (r, model_status(store, r, now))
            for r in store.models.values()
            if (r.account_id, r.region) == (account, region) and not store.read_lags(r)
        ]
        keyed = sorted(
            (((r.creation_us, r.model_arn), (r, status)) for r, status in mine if _matches(q, r, status)),
            key=lambda item: item[0],
        )
        keys = [key for key, _record in keyed]
        if q.ascending:
            start = 0 if cursor is None else bisect.bisect_right(keys, cursor)
            chosen = keyed[start:]
        else:
            end = len(keyed) if cursor is None else bisect.bisect_left(keys, cursor)
            chosen = keyed[:end][::-1]
        picked = chosen[: q.max_results]
        out: dict[str, Any] = {"modelSummaries": [_summary(*item) for _key, item in picked]}
        if len(chosen) > q.max_results:
            out["nextToken"] = store.issue_token(fingerprint, page + 1, picked[-1][0])
        return out
