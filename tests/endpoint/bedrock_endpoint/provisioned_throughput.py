"""Provisioned Throughput for the Bedrock test endpoint: the five operations, tagging, lifecycle and control calls.

The records live here; custom models come from the copy-job ``Store`` (registered through the control API or
produced by completed copies), whose lock this store shares so a model lookup and a create are one step.
Every input is checked against botocore's ``bedrock`` service model (``common.Errors``), and where AWS documents
a rule only in prose (names unique per region, a commitment blocks delete, what ``desiredModelId`` may be) the
endpoint enforces it, stricter rather than looser.

The lifecycle is evaluated lazily on read, against the current configuration and the wall clock:
``Creating`` becomes ``InService`` ``create_seconds`` after the create (or ``Failed`` if a fail rule matches),
``Updating`` becomes ``InService`` with the desired model ``update_seconds`` after the update.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from moto.bedrock.responses import BedrockResponse

from .common import (
    BedrockError,
    ControlError,
    Errors,
    PageTokens,
    QueryReader,
    check_keys,
    constraint,
    control_account,
    control_region,
    format_timestamp,
    new_id,
    not_found,
    now_us,
    parse_timestamp,
    partition_of,
    validation_error,
)
from .copy_jobs import ModelRecord, Store
from .custom_models import DELETE_GUARDS, model_status

CREATING, IN_SERVICE, UPDATING, FAILED = "Creating", "InService", "Updating", "Failed"
STATUSES = (CREATING, IN_SERVICE, UPDATING, FAILED)
MAX_RESULTS = 1000
MAX_TAGS_PER_RESOURCE = 50  # AWS's per-resource tag quota; a request's TagList may name up to 200
DAY = 86400.0
COMMITMENT_SECONDS = {"OneMonth": 30 * DAY, "SixMonths": 180 * DAY}
DEFAULT_PROVISION_SECONDS = 10.0
DEFAULT_FAILURE_MESSAGE = "Provisioning failed: insufficient capacity for the requested model units. Try again later."
_MAX_ID = "~"
_PT_ARN_RE = re.compile(r"arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{1,20}):([0-9]{12}):provisioned-model/([a-z0-9]{12})")
_JSON = {"Content-Type": "application/json"}


def warm_up() -> None:
    for shape in ("ProvisionedModelName", "ProvisionedModelId", "ModelIdentifier", "ModelArn", "FoundationModelArn"):
        constraint(shape)
    for shape in ("ProvisionedModelStatus", "CommitmentDuration", "SortByProvisionedModels", "TaggableResourcesArn"):
        constraint(shape)


# --- records ----------------------------------------------------------------------------------------


@dataclass(eq=False)
class Throughput:
    pt_id: str
    arn: str
    account: str
    region: str
    name: str
    model_arn: str
    desired_model_arn: str
    foundation_model_arn: str
    model_units: int
    creation_us: int
    last_modified_us: int
    status: str = CREATING
    since_us: int = 0  # when the current Creating/Updating began (wall clock)
    pinned: bool = False  # status given explicitly by a seed or forced Failed: the lifecycle leaves it alone
    commitment: str | None = None
    commitment_expiration_us: int | None = None
    failure_message: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str]:
        return (self.creation_us, self.pt_id)

    def to_api(self, summary: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "provisionedModelName": self.name,
            "provisionedModelArn": self.arn,
            "modelArn": self.model_arn,
            "desiredModelArn": self.desired_model_arn,
            "foundationModelArn": self.foundation_model_arn,
            "modelUnits": self.model_units,
            "desiredModelUnits": self.model_units,
            "status": self.status,
            "creationTime": format_timestamp(self.creation_us),
            "lastModifiedTime": format_timestamp(self.last_modified_us),
        }
        if self.commitment:
            out["commitmentDuration"] = self.commitment
            if self.commitment_expiration_us is not None:
                out["commitmentExpirationTime"] = format_timestamp(self.commitment_expiration_us)
        if not summary and self.status == FAILED and self.failure_message:
            out["failureMessage"] = self.failure_message
        return out


class RegionThroughputs:
    """One account and region, sorted by (creationTime, id) so that a page bisects to its cursor."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, str]] = []
        self.items: list[Throughput] = []
        self.by_id: dict[str, Throughput] = {}
        self.by_name: dict[str, Throughput] = {}

    def add(self, pt: Throughput) -> None:
        i = bisect.bisect_right(self.keys, pt.key)
        self.keys.insert(i, pt.key)
        self.items.insert(i, pt)
        self.by_id[pt.pt_id] = pt
        self.by_name[pt.name] = pt

    def add_many(self, pts: list[Throughput]) -> None:
        pairs = sorted([*zip(self.keys, self.items), *((pt.key, pt) for pt in pts)], key=lambda p: p[0])
        self.keys = [p[0] for p in pairs]
        self.items = [p[1] for p in pairs]
        for pt in pts:
            self.by_id[pt.pt_id] = pt
            self.by_name[pt.name] = pt

    def remove(self, pt: Throughput) -> None:
        i = bisect.bisect_left(self.keys, pt.key)
        del self.keys[i]
        del self.items[i]
        del self.by_id[pt.pt_id]
        del self.by_name[pt.name]


@dataclass
class FailRule:
    operation: str = "create"  # "create" or "update": which transition fails
    region: str | None = None
    name_contains: str | None = None
    model_arn: str | None = None  # the model being deployed (desiredModelArn)
    message: str = DEFAULT_FAILURE_MESSAGE

    def matches(self, pt: Throughput, operation: str) -> bool:
        return (
            self.operation == operation
            and (self.region is None or pt.region == self.region)
            and (self.name_contains is None or self.name_contains in pt.name)
            and (self.model_arn is None or pt.desired_model_arn == self.model_arn)
        )


@dataclass
class Lifecycle:
    create_seconds: float | None
    update_seconds: float | None
    commitment_seconds: dict[str, float]
    fail: list[FailRule] = field(default_factory=list)
    model_unit_quota: int | None = None  # model units per account and region, all throughputs together

    def view(self) -> dict[str, Any]:
        return {
            "create_seconds": self.create_seconds,
            "update_seconds": self.update_seconds,
            "commitment_seconds": dict(self.commitment_seconds),
            "fail": [vars(rule).copy() for rule in self.fail],
            "model_unit_quota": self.model_unit_quota,
        }


@dataclass
class ListQuery:
    after: int | None
    before: int | None
    status: str | None
    model_arn: str | None
    name_contains: str | None
    max_results: int
    token: str | None
    ascending: bool

    def fingerprint(self, account: str, region: str) -> str:
        basis = ["pt", account, region, self.after, self.before, self.status, self.model_arn, self.name_contains]
        basis.append(self.ascending)
        return hashlib.sha256(json.dumps(basis).encode()).hexdigest()[:16]


def parse_list_query(query: Mapping[str, str]) -> ListQuery:
    q = QueryReader(query)
    after, before = q.timestamp("creationTimeAfter"), q.timestamp("creationTimeBefore")
    status = q.text("statusEquals", "ProvisionedModelStatus")
    model_arn = q.text("modelArnEquals", "ModelArn")
    name_contains = q.text("nameContains", "ProvisionedModelName")
    token = q.text("nextToken", "PaginationToken")
    q.text("sortBy", "SortByProvisionedModels")
    order = q.text("sortOrder", "SortOrder")
    max_results = q.max_results(MAX_RESULTS)
    q.raise_validation()
    return ListQuery(after, before, status, model_arn, name_contains, max_results, token, order == "Ascending")


def _positive_int(errors: Errors, value: Any, where: str, required: bool = False) -> bool:
    if value is None:
        if required:
            errors.add(None, where, "Member must not be null")
        return False
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(value, where, "Member must be an integer")
        return False
    if value < 1:
        errors.add(value, where, "Member must have value greater than or equal to 1")
        return False
    return True


def _tag_list(errors: Errors, raw: Any, where: str, required: bool = False) -> dict[str, str]:
    """A request's TagList ([{key, value}], at most 200, unique keys) as a dict; problems go to `errors`."""
    out: dict[str, str] = {}
    if raw is None:
        if required:
            errors.add(None, where, "Member must not be null")
        return out
    if not isinstance(raw, list):
        errors.add(raw, where, "Member must be a list")
        return out
    if len(raw) > 200:
        errors.add(f"[{len(raw)} tags]", where, "Member must have length less than or equal to 200")
    for i, tag in enumerate(raw, 1):
        at = f"{where}.{i}.member"
        if not isinstance(tag, dict):
            errors.add(tag, at, "Member must be a structure with key and value")
            continue
        key: Any = tag.get("key")
        value: Any = tag.get("value")
        ok = errors.string(key, "TagKey", f"{at}.key", required=True)
        ok = errors.string(value, "TagValue", f"{at}.value", required=True) and ok
        if ok and key in out:
            errors.add(key, f"{at}.key", "Tag keys must be unique")
        elif ok:
            out[key] = value
    return out


def _control_number(value: Any, where: str) -> float | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
        raise ControlError(f"{where} must be a number >= 0 or null")
    return None if value is None else float(value)


# --- the store --------------------------------------------------------------------------------------


class Throughputs:
    """All provisioned throughputs, per account and region; shares the copy-job store's lock and models."""

    def __init__(self, models: Store, provision_duration: float = DEFAULT_PROVISION_SECONDS) -> None:
        self.models = models
        self.lock = models.lock
        self.default_duration = provision_duration
        self._tokens = PageTokens(secrets.token_bytes(32))
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.regions: dict[tuple[str, str], RegionThroughputs] = {}
            self.tokens: dict[tuple[str, str, str], tuple[str, str]] = {}
            self.lifecycle = Lifecycle(self.default_duration, self.default_duration, dict(COMMITMENT_SECONDS))
            self.generation += 1

    def _region(self, account: str, region: str) -> RegionThroughputs:
        rt = self.regions.get((account, region))
        if rt is None:
            rt = self.regions[(account, region)] = RegionThroughputs()
        return rt

    # lifecycle

    def set_lifecycle(self, payload: Any) -> dict[str, Any]:
        where = "provisioned-throughputs/lifecycle"
        allowed = {"create_seconds", "update_seconds", "commitment_seconds", "fail", "model_unit_quota"}
        p = check_keys(payload, allowed, where)
        quota = p.get("model_unit_quota")
        if quota is not None and (isinstance(quota, bool) or not isinstance(quota, int) or quota < 0):
            raise ControlError(f"{where}: model_unit_quota must be an integer >= 0 or null (no quota)")
        create = _control_number(p.get("create_seconds", self.default_duration), f"{where}: create_seconds")
        update = _control_number(p.get("update_seconds", self.default_duration), f"{where}: update_seconds")
        commitment = dict(COMMITMENT_SECONDS)
        raw_commitment = check_keys(p.get("commitment_seconds") or {}, COMMITMENT_SECONDS, f"{where}: commitment")
        for key, value in raw_commitment.items():
            seconds = _control_number(value, f"{where}: commitment_seconds.{key}")
            commitment[key] = COMMITMENT_SECONDS[key] if seconds is None else seconds
        rules_in = p.get("fail") or []
        if not isinstance(rules_in, list):
            raise ControlError(f"{where}: fail must be a list")
        rules = []
        for i, raw in enumerate(rules_in):
            r = check_keys(raw, {"operation", "region", "name_contains", "model_arn", "message"}, f"{where}: fail[{i}]")
            if not all(v is None or isinstance(v, str) for v in r.values()):
                raise ControlError(f"{where}: fail[{i}] values must be strings or null")
            operation = r.get("operation") or "create"
            if operation not in ("create", "update"):
                raise ControlError(f"{where}: fail[{i}].operation must be create or update")
            message = r.get("message") or DEFAULT_FAILURE_MESSAGE
            rules.append(FailRule(operation, r.get("region"), r.get("name_contains"), r.get("model_arn"), message))
        with self.lock:
            self.lifecycle = Lifecycle(create, update, commitment, rules, quota)
            return self.lifecycle.view()

    def lifecycle_view(self) -> dict[str, Any]:
        with self.lock:
            return self.lifecycle.view()

    def _settle(self, pt: Throughput, now: int) -> str:
        if pt.pinned or pt.status not in (CREATING, UPDATING):
            return pt.status
        lc = self.lifecycle
        seconds = lc.create_seconds if pt.status == CREATING else lc.update_seconds
        if seconds is None:
            return pt.status
        end = pt.since_us + round(seconds * 1_000_000)
        if now < end:
            return pt.status
        operation = "create" if pt.status == CREATING else "update"
        rule = next((r for r in lc.fail if r.matches(pt, operation)), None)
        if rule is not None:
            pt.status, pt.failure_message = FAILED, rule.message
        else:
            pt.status, pt.model_arn = IN_SERVICE, pt.desired_model_arn
        pt.last_modified_us = max(pt.last_modified_us, end)
        return pt.status

    # models

    def _custom_model(self, account: str, region: str, identifier: str) -> ModelRecord | None:
        """A custom model by ARN or name, settling copy jobs that would produce it first (they settle on read)."""
        store = self.models
        if identifier.startswith("arn:"):
            record = store.models.get(identifier)
        else:
            arn = store.model_names.get((account, region, identifier))
            record = store.models.get(arn) if arn else None
        if record is not None:
            return record
        rj = store.regions.get((account, region))
        if rj is None:
            return None
        if identifier.startswith("arn:"):
            jobs = [job for job in rj.jobs if job.target_model_arn == identifier]
        else:
            jobs = list(rj.by_name.get(identifier, ()))
        now = time.monotonic()
        for job in jobs:
            store._settle(job, now)  # the copy-job lifecycle is lazy: a due model registers on read
        if identifier.startswith("arn:"):
            return store.models.get(identifier)
        arn = store.model_names.get((account, region, identifier))
        return store.models.get(arn) if arn else None

    def _resolve_model(self, account: str, region: str, model_id: str, where: str) -> tuple[str, str]:
        """(model ARN, foundation-model ARN) for a modelId that passed the ModelIdentifier pattern."""
        partition = partition_of(region)
        if ":custom-model/" in model_id or not (model_id.startswith("arn:") or "." in model_id):
            record = self._custom_model(account, region, model_id)
            if record is None or record.account_id != account or record.region != region:
                raise not_found(f"The model {model_id} couldn't be found in {region}. Check {where} and try again.")
            if record.base_model_id == "imported":
                raise validation_error(f"The model {model_id} is an imported model; {where} must be a custom model.")
            status = model_status(self.models, record, time.monotonic())
            if status != "Active":
                raise validation_error(f"The custom model {model_id} is {status}; {where} must be an Active model.")
            foundation = f"arn:{partition}:bedrock:{region}::foundation-model/{record.base_model_id}"
            return record.model_arn, foundation
        if model_id.startswith("arn:"):
            arn_region = model_id.split(":")[3]
            if arn_region != region:
                raise validation_error(
                    f"The foundation model {model_id} is in {arn_region}, not in {region}; {where} must be in {region}."
                )
            foundation = model_id
        else:
            foundation = f"arn:{partition}:bedrock:{region}::foundation-model/{model_id}"
        errors = Errors()
        errors.string(foundation, "FoundationModelArn", where)
        errors.raise_validation()
        return foundation, foundation

    def model_in_use(self, record: ModelRecord) -> str | None:
        """DeleteCustomModel guard: a model a throughput serves (or is being updated to) can't be deleted."""
        with self.lock:
            rt = self.regions.get((record.account_id, record.region))
            now = now_us()
            for pt in rt.items if rt else ():
                self._settle(pt, now)
                if record.model_arn in (pt.model_arn, pt.desired_model_arn):
                    return (
                        f"The custom model {record.model_name} is associated with the provisioned model throughput "
                        f"{pt.name} ({pt.status}). Delete that Provisioned Throughput or update it to another model "
                        "first."
                    )
        return None

    # lookups

    def _find(self, account: str, region: str, identifier: Any) -> Throughput:
        errors = Errors()
        errors.string(identifier, "ProvisionedModelId", "provisionedModelId", required=True)
        errors.raise_validation()
        rt = self.regions.get((account, region))
        pt = None
        if rt is not None:
            match = _PT_ARN_RE.fullmatch(identifier)
            if match is None:
                pt = rt.by_name.get(identifier)
            else:
                candidate = rt.by_id.get(match.group(4))
                pt = candidate if candidate is not None and candidate.arn == identifier else None
        if pt is None:
            raise not_found(f"The provisioned model throughput {identifier} couldn't be found in {region}.")
        self._settle(pt, now_us())
        return pt

    # operations

    def create(self, account: str, region: str, body: Any) -> str:
        if not isinstance(body, dict):
            raise BedrockError("SerializationException", "The request body must be a JSON object.")
        errors = Errors()
        name: Any = body.get("provisionedModelName")
        model_id: Any = body.get("modelId")
        units: Any = body.get("modelUnits")
        commitment: Any = body.get("commitmentDuration")
        token: Any = body.get("clientRequestToken")
        unknown = sorted(
            set(body)
            - {"provisionedModelName", "modelId", "modelUnits", "commitmentDuration"}
            - {"clientRequestToken", "tags"}
        )
        _positive_int(errors, units, "modelUnits", required=True)
        errors.string(name, "ProvisionedModelName", "provisionedModelName", required=True)
        errors.string(model_id, "ModelIdentifier", "modelId", required=True)
        errors.string(commitment, "CommitmentDuration", "commitmentDuration")
        errors.string(token, "IdempotencyToken", "clientRequestToken")
        tags = _tag_list(errors, body.get("tags"), "tags")
        for key in unknown:
            errors.add(body[key], key, "Member is not a field of CreateProvisionedModelThroughputRequest")
        errors.raise_validation()
        if len(tags) > MAX_TAGS_PER_RESOURCE:
            raise BedrockError(
                "TooManyTagsException",
                f"The request has {len(tags)} tags; a resource can have at most {MAX_TAGS_PER_RESOURCE}.",
            )
        fingerprint = json.dumps([name, model_id, units, commitment, sorted(tags.items())])
        with self.lock:
            if token:
                previous = self.tokens.get((account, region, token))
                if previous is not None:
                    if previous[0] != fingerprint:
                        raise validation_error(
                            f"The clientRequestToken '{token}' was already used with different request parameters."
                        )
                    return previous[1]
            model_arn, foundation = self._resolve_model(account, region, model_id, "modelId")
            rt = self._region(account, region)
            if name in rt.by_name:
                raise validation_error(
                    f"A provisioned model throughput named '{name}' already exists in {region}. "
                    "Choose a different provisionedModelName."
                )
            quota = self.lifecycle.model_unit_quota
            used = sum(pt.model_units for pt in rt.items) if quota is not None else 0
            if quota is not None and used + units > quota:
                raise BedrockError(
                    "ServiceQuotaExceededException",
                    f"The request for {units} model units exceeds the quota of {quota} model units in {region} "
                    f"({used} in use). Request a quota increase or delete a Provisioned Throughput.",
                )
            pt = self._new(account, region, name, model_arn, foundation, units, now_us(), commitment, tags)
            while pt.pt_id in rt.by_id:
                pt.pt_id = new_id()
                pt.arn = pt.arn.rsplit("/", 1)[0] + "/" + pt.pt_id
            rt.add(pt)
            if token:
                self.tokens[(account, region, token)] = (fingerprint, pt.arn)
            return pt.arn

    def _new(
        self,
        account: str,
        region: str,
        name: str,
        model_arn: str,
        foundation: str,
        units: int,
        creation: int,
        commitment: str | None,
        tags: dict[str, str],
    ) -> Throughput:
        pt_id = new_id()
        pt = Throughput(
            pt_id=pt_id,
            arn=f"arn:{partition_of(region)}:bedrock:{region}:{account}:provisioned-model/{pt_id}",
            account=account,
            region=region,
            name=name,
            model_arn=model_arn,
            desired_model_arn=model_arn,
            foundation_model_arn=foundation,
            model_units=units,
            creation_us=creation,
            last_modified_us=creation,
            since_us=creation,
            commitment=commitment,
            tags=dict(tags),
        )
        if commitment:
            pt.commitment_expiration_us = creation + round(self.lifecycle.commitment_seconds[commitment] * 1_000_000)
        return pt

    def get(self, account: str, region: str, identifier: str) -> dict[str, Any]:
        with self.lock:
            return self._find(account, region, identifier).to_api()

    def update(self, account: str, region: str, identifier: str, body: Any) -> None:
        if not isinstance(body, dict):
            raise BedrockError("SerializationException", "The request body must be a JSON object.")
        errors = Errors()
        errors.string(identifier, "ProvisionedModelId", "provisionedModelId", required=True)
        new_name: Any = body.get("desiredProvisionedModelName")
        desired: Any = body.get("desiredModelId")
        errors.string(new_name, "ProvisionedModelName", "desiredProvisionedModelName")
        errors.string(desired, "ModelIdentifier", "desiredModelId")
        for key in sorted(set(body) - {"desiredProvisionedModelName", "desiredModelId"}):
            # modelUnits and commitmentDuration cannot change in place: AWS has no field for them here.
            errors.add(body[key], key, "Member is not a field of UpdateProvisionedModelThroughputRequest")
        errors.raise_validation()
        with self.lock:
            pt = self._find(account, region, identifier)
            if pt.status != IN_SERVICE:
                raise validation_error(
                    f"The provisioned model throughput {pt.name} is {pt.status}; it can only be updated when InService."
                )
            rt = self._region(account, region)
            model_arn = None
            if desired is not None:
                if pt.foundation_model_arn == pt.model_arn:
                    raise validation_error(
                        f"The provisioned model throughput {pt.name} serves the base model {pt.model_arn}; "
                        "desiredModelId can't be specified for a base-model Provisioned Throughput."
                    )
                model_arn, foundation = self._resolve_model(account, region, desired, "desiredModelId")
                if foundation != pt.foundation_model_arn:
                    raise validation_error(
                        f"desiredModelId {desired} was customized from {foundation}, but the provisioned model "
                        f"throughput {pt.name} serves models of {pt.foundation_model_arn}. Choose that base model "
                        "or a custom model customized from it."
                    )
            if new_name is not None and new_name != pt.name and new_name in rt.by_name:
                raise validation_error(
                    f"A provisioned model throughput named '{new_name}' already exists in {region}. "
                    "Choose a different desiredProvisionedModelName."
                )
            now = now_us()
            if new_name is not None and new_name != pt.name:
                del rt.by_name[pt.name]
                pt.name = new_name
                rt.by_name[new_name] = pt
                pt.last_modified_us = now
            if model_arn is not None and model_arn != pt.model_arn:
                pt.desired_model_arn = model_arn
                pt.status, pt.since_us, pt.last_modified_us = UPDATING, now, now
                pt.pinned, pt.failure_message = False, None
                self._settle(pt, now)

    def delete(self, account: str, region: str, identifier: str) -> None:
        with self.lock:
            pt = self._find(account, region, identifier)
            if pt.status in (CREATING, UPDATING):
                raise BedrockError(
                    "ConflictException",
                    f"The provisioned model throughput {pt.name} is {pt.status}; wait until it is InService or "
                    "Failed before deleting it.",
                )
            now = now_us()
            if pt.commitment_expiration_us is not None and now < pt.commitment_expiration_us:
                raise BedrockError(
                    "ConflictException",
                    f"The provisioned model throughput {pt.name} has a {pt.commitment} commitment that ends at "
                    f"{format_timestamp(pt.commitment_expiration_us)}; it can't be deleted before then.",
                )
            self._region(account, region).remove(pt)

    def list_summaries(self, account: str, region: str, query: Mapping[str, str]) -> str:
        q = parse_list_query(query)
        fingerprint = q.fingerprint(account, region)
        with self.lock:
            cursor, page = self._tokens.open(q.token, self.generation, fingerprint) if q.token else (None, 1)
            rt = self.regions.get((account, region))
            if rt is None:
                return '{"provisionedModelSummaries": []}'
            keys, items = rt.keys, rt.items
            lo = 0 if q.after is None else bisect.bisect_right(keys, (q.after, _MAX_ID))
            hi = len(keys) if q.before is None else bisect.bisect_left(keys, (q.before, ""))
            if q.ascending:
                start = lo if cursor is None else max(lo, bisect.bisect_right(keys, cursor))
                indices = range(start, hi)
            else:
                end = hi if cursor is None else min(hi, bisect.bisect_left(keys, cursor))
                indices = range(end - 1, lo - 1, -1)
            now = now_us()
            picked: list[Throughput] = []
            more = False
            for i in indices:
                pt = items[i]
                if q.name_contains is not None and q.name_contains not in pt.name:
                    continue
                status = self._settle(pt, now)
                if (q.status is not None and status != q.status) or (
                    q.model_arn is not None and pt.model_arn != q.model_arn
                ):
                    continue
                if len(picked) == q.max_results:
                    more = True
                    break
                picked.append(pt)
            out: dict[str, Any] = {"provisionedModelSummaries": [pt.to_api(summary=True) for pt in picked]}
            if more:
                out["nextToken"] = self._tokens.issue(self.generation, fingerprint, page + 1, picked[-1].key)
            return json.dumps(out)

    def token_page(self, token: str | None) -> int | None:
        return self._tokens.page_of(token)

    # tagging (TagResource, UntagResource, ListTagsForResource on provisioned-model ARNs)

    def _tagged(self, account: str, region: str, arn: Any) -> Throughput:
        errors = Errors()
        errors.string(arn, "TaggableResourcesArn", "resourceARN", required=True)
        errors.raise_validation()
        match = _PT_ARN_RE.fullmatch(arn)
        rt = self.regions.get((account, region))
        pt = rt.by_id.get(match.group(4)) if match and rt else None
        if pt is None or pt.arn != arn:
            raise not_found(f"The resource {arn} couldn't be found.")
        return pt

    def tag(self, account: str, region: str, body: dict[str, Any]) -> None:
        errors = Errors()
        tags = _tag_list(errors, body.get("tags"), "tags", required=True)
        errors.raise_validation()
        with self.lock:
            pt = self._tagged(account, region, body.get("resourceARN"))
            merged = {**pt.tags, **tags}
            if len(merged) > MAX_TAGS_PER_RESOURCE:
                raise BedrockError(
                    "TooManyTagsException",
                    f"The resource would have {len(merged)} tags; a resource can have at most {MAX_TAGS_PER_RESOURCE}.",
                )
            pt.tags = merged

    def untag(self, account: str, region: str, body: dict[str, Any]) -> None:
        errors = Errors()
        keys: Any = body.get("tagKeys")
        if keys is None:
            errors.add(None, "tagKeys", "Member must not be null")
        elif not isinstance(keys, list):
            errors.add(keys, "tagKeys", "Member must be a list")
        else:
            if len(keys) > 200:
                errors.add(f"[{len(keys)} keys]", "tagKeys", "Member must have length less than or equal to 200")
            for i, key in enumerate(keys, 1):
                errors.string(key, "TagKey", f"tagKeys.{i}.member", required=True)
        errors.raise_validation()
        with self.lock:
            pt = self._tagged(account, region, body.get("resourceARN"))
            for key in keys:
                pt.tags.pop(key, None)

    def list_tags(self, account: str, region: str, body: dict[str, Any]) -> list[dict[str, str]]:
        with self.lock:
            pt = self._tagged(account, region, body.get("resourceARN"))
            return [{"key": k, "value": v} for k, v in pt.tags.items()]

    # control API

    def _control_target(self, payload: Any, allowed: set[str], where: str) -> tuple[dict[str, Any], Throughput]:
        p = check_keys(payload, {"region", "account_id", "provisioned_model_id", *allowed}, where)
        region = control_region(p.get("region"), where)
        account = control_account(p.get("account_id"), where)
        ident = p.get("provisioned_model_id")
        if not isinstance(ident, str):
            raise ControlError(f"{where}: provisioned_model_id (a name or ARN) is required")
        try:
            return p, self._find(account, region, ident)
        except BedrockError as exc:
            raise ControlError(f"{where}: {exc.message}") from None

    def force_fail(self, payload: Any) -> dict[str, Any]:
        """Control: the throughput becomes Failed now (with `message`), and stays so until updated or deleted."""
        where = "provisioned-throughputs/fail"
        with self.lock:
            p, pt = self._control_target(payload, {"message"}, where)
            message = p.get("message") or DEFAULT_FAILURE_MESSAGE
            if not isinstance(message, str):
                raise ControlError(f"{where}: message must be a string")
            pt.status, pt.failure_message, pt.pinned = FAILED, message, True
            pt.desired_model_arn = pt.model_arn
            pt.last_modified_us = now_us()
            return pt.to_api()

    def expire_commitment(self, payload: Any) -> dict[str, Any]:
        """Control: the throughput's commitment term ends now, so it can be deleted."""
        where = "provisioned-throughputs/expire-commitment"
        with self.lock:
            _p, pt = self._control_target(payload, set(), where)
            if pt.commitment is None:
                raise ControlError(f"{where}: {pt.name} has no commitment")
            pt.commitment_expiration_us = now_us()
            return pt.to_api()

    def seed(self, payload: Any) -> dict[str, Any]:
        """Control: store many throughputs at once (names must be free; model ids must resolve)."""
        where = "provisioned-throughputs/seed"
        p = check_keys(payload, {"region", "account_id", "items", "generate"}, where)
        region = control_region(p.get("region"), where)
        account = control_account(p.get("account_id"), where)
        specs = p.get("items") or []
        if not isinstance(specs, list):
            raise ControlError(f"{where}: items must be a list")
        with self.lock:
            new = [self._seed_one(account, region, spec, f"{where}: items[{i}]") for i, spec in enumerate(specs)]
            if p.get("generate") is not None:
                new.extend(self._generate(account, region, p["generate"], f"{where}: generate"))
            rt = self._region(account, region)
            names: set[str] = set()
            for pt in new:
                if pt.name in rt.by_name or pt.name in names:
                    raise ControlError(f"{where}: the name {pt.name} is already taken in {region}")
                names.add(pt.name)
                while pt.pt_id in rt.by_id:
                    pt.pt_id = new_id()
                    pt.arn = pt.arn.rsplit("/", 1)[0] + "/" + pt.pt_id
            rt.add_many(new)
        result: dict[str, Any] = {"count": len(new)}
        if len(new) <= 1000:
            result["provisioned_model_arns"] = [pt.arn for pt in new]
        return result

    def _seed_model(self, account: str, region: str, model_id: Any, where: str) -> tuple[str, str]:
        errors = Errors()
        errors.string(model_id, "ModelIdentifier", "model_id", required=True)
        errors.raise_control(f"{where}: ")
        try:
            return self._resolve_model(account, region, model_id, "model_id")
        except BedrockError as exc:
            raise ControlError(f"{where}: {exc.message}") from None

    def _seed_status(self, pt: Throughput, status: Any, message: Any, where: str) -> None:
        errors = Errors()
        errors.string(status, "ProvisionedModelStatus", "status")
        errors.raise_control(f"{where}: ")
        if not isinstance(message, (str, type(None))):
            raise ControlError(f"{where}: failure_message must be a string")
        if status is not None:
            pt.status, pt.pinned = status, True
            if status == FAILED:
                pt.failure_message = message or DEFAULT_FAILURE_MESSAGE

    def _seed_time(self, raw: Any, where: str) -> int:
        if raw is None:
            return now_us()
        parsed = parse_timestamp(raw)
        if parsed is None:
            raise ControlError(f"{where} must be ISO-8601 or epoch seconds")
        return parsed

    def _seed_common(self, s: dict[str, Any], where: str) -> tuple[int, str | None, dict[str, str]]:
        errors = Errors()
        units = s.get("model_units", 1)
        _positive_int(errors, units, "model_units")
        errors.string(s.get("commitment_duration"), "CommitmentDuration", "commitment_duration")
        tags = _tag_list(errors, [{"key": k, "value": v} for k, v in (s.get("tags") or {}).items()], "tags")
        errors.raise_control(f"{where}: ")
        return units, s.get("commitment_duration"), tags

    def _seed_one(self, account: str, region: str, spec: Any, where: str) -> Throughput:
        allowed = {"name", "model_id", "model_units", "status", "commitment_duration", "creation_time", "tags"}
        s = check_keys(spec, allowed | {"failure_message"}, where)
        errors = Errors()
        errors.string(s.get("name"), "ProvisionedModelName", "name", required=True)
        errors.raise_control(f"{where}: ")
        model_arn, foundation = self._seed_model(account, region, s.get("model_id"), where)
        units, commitment, tags = self._seed_common(s, where)
        creation = self._seed_time(s.get("creation_time"), f"{where}: creation_time")
        pt = self._new(account, region, s["name"], model_arn, foundation, units, creation, commitment, tags)
        self._seed_status(pt, s.get("status"), s.get("failure_message"), where)
        return pt

    def _generate(self, account: str, region: str, gen: Any, where: str) -> list[Throughput]:
        allowed = {"count", "name_prefix", "model_id", "model_units", "statuses", "start_time", "step_seconds"}
        g = check_keys(gen, allowed | {"commitment_duration", "tags"}, where)
        count = g.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 100_000:
            raise ControlError(f"{where}.count must be an integer between 0 and 100000")
        prefix = g.get("name_prefix", "pt-")
        statuses = g.get("statuses") or [None]
        step = g.get("step_seconds", 60)
        if not isinstance(prefix, str) or not isinstance(statuses, list):
            raise ControlError(f"{where}: name_prefix is a string, statuses a list")
        if isinstance(step, bool) or not isinstance(step, (int, float)):
            raise ControlError(f"{where}.step_seconds must be a number")
        width = max(6, len(str(count - 1)))
        errors = Errors()
        if count:
            errors.string(f"{prefix}{count - 1:0{width}d}", "ProvisionedModelName", "name_prefix")
        errors.raise_control(f"{where}: ")
        model_arn, foundation = self._seed_model(account, region, g.get("model_id"), where)
        units, commitment, tags = self._seed_common(g, where)
        step_us = round(step * 1_000_000)
        start = now_us() - count * step_us if g.get("start_time") is None else self._seed_time(g["start_time"], where)
        out = []
        for i in range(count):
            pt = self._new(
                account,
                region,
                f"{prefix}{i:0{width}d}",
                model_arn,
                foundation,
                units,
                start + i * step_us,
                commitment,
                tags,
            )
            self._seed_status(pt, statuses[i % len(statuses)], None, where)
            out.append(pt)
        return out

    def control_routes(self) -> dict[tuple[str, str], Callable[[Any], Any]]:
        """The control-API routes (under /moto-api/bedrock/) this resource adds."""
        return {
            ("POST", "provisioned-throughputs/seed"): self.seed,
            ("POST", "provisioned-throughputs/lifecycle"): self.set_lifecycle,
            ("GET", "provisioned-throughputs/lifecycle"): lambda _: self.lifecycle_view(),
            ("POST", "provisioned-throughputs/fail"): self.force_fail,
            ("POST", "provisioned-throughputs/expire-commitment"): self.expire_commitment,
        }


# --- moto wiring --------------------------------------------------------------------------------------

_throughputs: Throughputs | None = None
_MOTO_TAGGING = {
    name: getattr(BedrockResponse, name) for name in ("tag_resource", "untag_resource", "list_tags_for_resource")
}


def install(throughputs: Throughputs) -> None:
    """Route the five operations to `throughputs`; tagging calls on provisioned-model ARNs go there too."""
    global _throughputs
    _throughputs = throughputs
    DELETE_GUARDS.append(throughputs.model_in_use)  # DeleteCustomModel refuses models a throughput uses
    for name, method in _HANDLERS.items():
        setattr(BedrockResponse, name, method)


def _the() -> Throughputs:
    if _throughputs is None:
        raise RuntimeError("bedrock_endpoint.provisioned_throughput.install() has not been called")
    return _throughputs


def _body(response: BedrockResponse) -> Any:
    try:
        return json.loads(response.body or "{}")
    except ValueError:
        raise BedrockError("SerializationException", "The request body is not valid JSON.") from None


def _path_id(response: BedrockResponse) -> str:
    # An ARN holds ':' and '/': take it from the still-encoded path, then decode it once.
    return unquote(response.path.split("/provisioned-model-throughput/", 1)[-1].split("?", 1)[0])


def _ok(payload: Any, status: int = 200) -> tuple[str, dict[str, Any]]:
    return json.dumps(payload), {"status": status, **_JSON}


def _create(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    arn = _the().create(self.current_account, self.region, _body(self))
    return _ok({"provisionedModelArn": arn}, 201)


def _get(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    return _ok(_the().get(self.current_account, self.region, _path_id(self)))


def _update(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    _the().update(self.current_account, self.region, _path_id(self), _body(self))
    return _ok({})


def _delete(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    _the().delete(self.current_account, self.region, _path_id(self))
    return _ok({})


def _list(self: BedrockResponse) -> tuple[bytes, dict[str, Any]]:
    query: dict[str, str] = {}
    for key, value in parse_qsl(self.parsed_url.query, keep_blank_values=True):
        query.setdefault(key, value)
    return _the().list_summaries(self.current_account, self.region, query).encode(), {"status": 200, **_JSON}


def _is_ours(body: Any) -> bool:
    arn = body.get("resourceARN") if isinstance(body, dict) else None
    return isinstance(arn, str) and ":provisioned-model/" in arn


def _tag(self: BedrockResponse) -> Any:
    body = _body(self)
    if not _is_ours(body):
        return _MOTO_TAGGING["tag_resource"](self)
    _the().tag(self.current_account, self.region, body)
    return _ok({})


def _untag(self: BedrockResponse) -> Any:
    body = _body(self)
    if not _is_ours(body):
        return _MOTO_TAGGING["untag_resource"](self)
    _the().untag(self.current_account, self.region, body)
    return _ok({})


def _list_tags(self: BedrockResponse) -> Any:
    body = _body(self)
    if not _is_ours(body):
        return _MOTO_TAGGING["list_tags_for_resource"](self)
    return _ok({"tags": _the().list_tags(self.current_account, self.region, body)})


_HANDLERS: dict[str, Callable[..., Any]] = {
    "create_provisioned_model_throughput": _create,
    "get_provisioned_model_throughput": _get,
    "update_provisioned_model_throughput": _update,
    "delete_provisioned_model_throughput": _delete,
    "list_provisioned_model_throughputs": _list,
    "tag_resource": _tag,
    "untag_resource": _untag,
    "list_tags_for_resource": _list_tags,
}
