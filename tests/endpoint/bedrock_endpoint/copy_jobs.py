"""Model-copy-job state: validation, storage, paging and lifecycle for the Bedrock test endpoint.

Plain classes on purpose: moto's ``BaseModel`` metaclass refuses subclasses that live outside ``moto.``.
Constraints (patterns, lengths, enums) are read from botocore's own ``bedrock`` service model so that the
endpoint rejects exactly what the real API documents, without a hand-copied second source of truth.
"""

from __future__ import annotations

import bisect
import json
import secrets
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.utilities.utils import get_partition

from .common import (
    BedrockError,
    ControlError,
    Errors,
    PageTokens,
    check_keys,
    constraint,
    control_account,
    control_region,
    format_timestamp,
    new_id,
    not_found,
    now_us,
    partition_of,
    stable_id,
    tag_list,
    tags_to_list,
    validation_error,
)
from .copy_job_query import parse_list_query

IN_PROGRESS, COMPLETED, FAILED = "InProgress", "Completed", "Failed"
STATUSES = (IN_PROGRESS, COMPLETED, FAILED)
MAX_TAGS = 200
DEFAULT_BASE_MODEL = "amazon.titan-text-lite-v1:0:4k"
DEFAULT_FAILURE_MESSAGE = "The model copy job failed because of an internal error. Try again later."
DEFAULT_MODEL_FAILURE_MESSAGE = "The custom model couldn't be created from the copied model. Copy it again."
ACTIVE = "Active"  # the modelStatus of a custom model that can be used
_MAX_ID = "~"  # sorts after every job id (lowercase alphanumerics)


def warm_up() -> None:
    """Load the service model once at start-up, not inside the first timed request."""
    for shape in ("ModelArn", "CustomModelName", "KmsKeyId", "TagKey", "TagValue", "IdempotencyToken"):
        constraint(shape)
    for shape in ("ModelCopyJobArn", "ModelCopyJobStatus", "AccountId", "PaginationToken", "SortJobsBy", "SortOrder"):
        constraint(shape)


# --- records ----------------------------------------------------------------------------------------


@dataclass
class ModelRecord:
    """A custom model the endpoint knows: registered through the control API or produced by a copy job."""

    model_arn: str
    model_name: str
    account_id: str
    region: str
    base_model_id: str
    creation_us: int
    tags: dict[str, str] = field(default_factory=dict)
    kms_key_arn: str | None = None
    job_arn: str | None = None
    source_model_arn: str | None = None  # the copy job's source (model_fail rules match on it)
    # modelStatus once decided (pinned, or settled by custom_models.model_status); None: still follows the
    # lifecycle. Registered source models are Active; a copy job's model starts at None.
    status: str | None = ACTIVE
    failure_message: str | None = None
    registered: float = 0.0  # time.monotonic() when its copy job was seen Completed: the model lifecycle clock


@dataclass(slots=True, eq=False)
class CopyJob:
    job_id: str
    job_arn: str
    account_id: str
    region: str
    creation_us: int
    source_model_arn: str
    source_account_id: str
    source_model_name: str | None
    target_model_name: str
    target_model_arn: str
    kms_key_arn: str | None
    tags: list[dict[str, str]]
    status: str = IN_PROGRESS
    pinned: bool = False  # status given explicitly when seeded: the lifecycle leaves it alone
    failure_message: str | None = None
    started: float = 0.0  # time.monotonic() when stored; the lifecycle clock
    observations: int = 0  # Get/List responses that returned this job while it was InProgress
    cached_json: str | None = None  # to_api() as JSON; dropped whenever status changes

    def set_status(self, status: str, failure_message: str | None = None) -> None:
        self.status = status
        self.failure_message = failure_message
        self.cached_json = None

    def to_json(self) -> str:
        if self.cached_json is None:
            self.cached_json = json.dumps(self.to_api())
        return self.cached_json

    @property
    def key(self) -> tuple[int, str]:
        return (self.creation_us, self.job_id)

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "jobArn": self.job_arn,
            "status": self.status,
            "creationTime": format_timestamp(self.creation_us),
            "targetModelArn": self.target_model_arn,
            "targetModelName": self.target_model_name,
            "sourceAccountId": self.source_account_id,
            "sourceModelArn": self.source_model_arn,
            "targetModelTags": self.tags,
        }
        if self.kms_key_arn:
            out["targetModelKmsKeyArn"] = self.kms_key_arn
        if self.status == FAILED and self.failure_message:
            out["failureMessage"] = self.failure_message
        if self.source_model_name:
            out["sourceModelName"] = self.source_model_name
        return out


class RegionJobs:
    """The jobs of one account and region, kept sorted by (creationTime, job id) so paging can bisect."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, str]] = []
        self.jobs: list[CopyJob] = []
        self.by_arn: dict[str, CopyJob] = {}
        self.by_name: dict[str, list[CopyJob]] = {}

    def add(self, job: CopyJob) -> None:
        key = job.key
        if not self.keys or key > self.keys[-1]:
            self.keys.append(key)
            self.jobs.append(job)
        else:
            i = bisect.bisect_right(self.keys, key)
            self.keys.insert(i, key)
            self.jobs.insert(i, job)
        self._index(job)

    def add_many(self, jobs: list[CopyJob]) -> None:
        if len(jobs) < 64:
            for job in jobs:
                self.add(job)
            return
        pairs = list(zip(self.keys, self.jobs))
        pairs.extend((job.key, job) for job in jobs)
        pairs.sort(key=lambda p: p[0])
        self.keys = [p[0] for p in pairs]
        self.jobs = [p[1] for p in pairs]
        for job in jobs:
            self._index(job)

    def _index(self, job: CopyJob) -> None:
        self.by_arn[job.job_arn] = job
        self.by_name.setdefault(job.target_model_name, []).append(job)


@dataclass
class FailRule:
    region: str | None = None
    target_model_name_contains: str | None = None
    source_model_arn: str | None = None
    message: str = DEFAULT_FAILURE_MESSAGE

    def matches(self, region: str, target_model_name: str, source_model_arn: str | None) -> bool:
        """For a job (fail) or the model a job made (model_fail)."""
        return (
            (self.region is None or region == self.region)
            and (self.target_model_name_contains is None or self.target_model_name_contains in target_model_name)
            and (self.source_model_arn is None or source_model_arn == self.source_model_arn)
        )


@dataclass
class Lifecycle:
    """When InProgress jobs end: after duration_seconds or after `polls` observations, whichever comes first."""

    duration_seconds: float | None
    polls: int | None = None
    fail: list[FailRule] = field(default_factory=list)
    # GetCustomModel/ListCustomModels do not show a model a copy job made until this long after it completed, as
    # Bedrock's reads may lag the job's Completed.
    model_read_lag_seconds: float = 0.0
    # A copy job's model is Creating this long after the job completed, then Active, or Failed if a model_fail
    # rule matches it (custom_models.model_status).
    model_creating_seconds: float = 0.0
    model_fail: list[FailRule] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        return {
            "duration_seconds": self.duration_seconds,
            "polls": self.polls,
            "fail": [vars(rule).copy() for rule in self.fail],
            "model_read_lag_seconds": self.model_read_lag_seconds,
            "model_creating_seconds": self.model_creating_seconds,
            "model_fail": [vars(rule).copy() for rule in self.model_fail],
        }


def split_model_arn(arn: str) -> tuple[str, str, str]:
    """(account, region, base-model segment) of a custom-model ARN that passed the ModelArn pattern."""
    parts = arn.split(":", 5)
    resource = parts[5]
    segment = resource.split("/", 1)[1].rsplit("/", 1)[0] if resource.startswith("custom-model/") else resource
    return parts[4], parts[3], segment


def _kms_key_arn(key_id: str, region: str, account: str) -> str:
    if key_id.startswith("arn:") and ":key/" in key_id:
        return key_id
    if key_id.startswith("arn:") or key_id.startswith("alias/"):
        # An alias resolves to some key; derive a stable key id so repeated copies report the same ARN.
        key_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{region}/{account}/{key_id}"))
    return f"arn:{get_partition(region)}:kms:{region}:{account}:key/{key_id}"


def _fail_rules(p: dict[str, Any], key: str, default_message: str) -> list[FailRule]:
    """The lifecycle's ``fail`` or ``model_fail`` rules: each matches when all its given fields match."""
    rules_in = p.get(key) or []
    if not isinstance(rules_in, list):
        raise ControlError(f"lifecycle: {key} must be a list")
    rules = []
    for i, raw in enumerate(rules_in):
        r = check_keys(raw, {"region", "target_model_name_contains", "source_model_arn", "message"}, f"{key}[{i}]")
        if not all(v is None or isinstance(v, str) for v in r.values()):
            raise ControlError(f"lifecycle: {key}[{i}] values must be strings or null")
        fields = (r.get("region"), r.get("target_model_name_contains"), r.get("source_model_arn"))
        rules.append(FailRule(*fields, r.get("message") or default_message))
    return rules


# --- the store --------------------------------------------------------------------------------------


class Store:
    """All copy jobs and custom models the endpoint knows, behind one lock (the server is threaded)."""

    def __init__(self, copy_duration: float = 20.0) -> None:
        self.lock = threading.RLock()
        self.default_duration = copy_duration
        self._tokens = PageTokens(secrets.token_bytes(32))
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.regions: dict[tuple[str, str], RegionJobs] = {}
            self.models: dict[str, ModelRecord] = {}
            self.model_names: dict[tuple[str, str, str], str] = {}
            self.tokens: dict[tuple[str, str, str], tuple[str, str]] = {}
            # Models not yet handed to take_new_models(), per (account, region).
            self.new_models: dict[tuple[str, str], list[ModelRecord]] = {}
            self.lifecycle = Lifecycle(self.default_duration)
            self.generation += 1  # invalidates every nextToken issued so far
            self._last_model_us = 0

    def region_jobs(self, account: str, region: str) -> RegionJobs:
        rj = self.regions.get((account, region))
        if rj is None:
            rj = self.regions[(account, region)] = RegionJobs()
        return rj

    # models

    def register_model(self, payload: Any) -> str:
        """Control API: register a source custom model (idempotent per account, region and name)."""
        p = check_keys(payload, {"region", "model_name", "account_id", "tags", "base_model_id"}, "models")
        region = control_region(p.get("region"), "models")
        account = control_account(p.get("account_id"), "models")
        name: Any = p.get("model_name")
        base = p.get("base_model_id", DEFAULT_BASE_MODEL)
        errors = Errors()
        errors.string(name, "CustomModelName", "model_name", required=True)
        errors.raise_control("models: ")
        tags = tags_to_list(p.get("tags"), "models: tags")
        model_id = stable_id(account, region, name)
        arn = f"arn:{get_partition(region)}:bedrock:{region}:{account}:custom-model/{base}/{model_id}"
        errors.string(arn, "ModelArn", "base_model_id (as part of the model ARN)")
        errors.raise_control("models: ")
        with self.lock:
            existing = self.model_names.get((account, region, name))
            if existing:
                return existing
            created = self._model_creation_us()
            record = ModelRecord(arn, name, account, region, base, created, {t["key"]: t["value"] for t in tags})
            self._add_model(record)
        return arn

    def _add_model(self, record: ModelRecord) -> None:
        self.models[record.model_arn] = record
        self.model_names[(record.account_id, record.region, record.model_name)] = record.model_arn
        self.new_models.setdefault((record.account_id, record.region), []).append(record)

    def _model_creation_us(self) -> int:
        """Now, but after every model registered so far: models made in one millisecond still list in order."""
        self._last_model_us = max(now_us(), self._last_model_us + 1000)
        return self._last_model_us

    def forget_model(self, record: ModelRecord) -> None:
        """DeleteCustomModel: the model is gone and its name is free (unless another model of that name is left)."""
        self.models.pop(record.model_arn, None)
        key = (record.account_id, record.region, record.model_name)
        if self.model_names.get(key) == record.model_arn:
            del self.model_names[key]
            for other in self.models.values():
                if (other.account_id, other.region, other.model_name) == key:
                    self.model_names[key] = other.model_arn
        pending = self.new_models.get((record.account_id, record.region))
        if pending and record in pending:
            pending.remove(record)

    def take_new_models(self, account: str, region: str) -> list[ModelRecord]:
        """Models registered in (account, region) since the last call; patch.py mirrors them into moto lazily."""
        with self.lock:
            return self.new_models.pop((account, region), [])

    def register_target(self, job: CopyJob) -> None:
        segment = split_model_arn(job.target_model_arn)[2]
        tags = {t["key"]: t["value"] for t in job.tags}
        record = ModelRecord(
            job.target_model_arn,
            job.target_model_name,
            job.account_id,
            job.region,
            segment,
            self._model_creation_us(),
            tags,
            job.kms_key_arn,
            job.job_arn,
            job.source_model_arn,
            status=None,
            registered=time.monotonic(),
        )
        self._add_model(record)

    # lifecycle

    def set_lifecycle(self, payload: Any) -> dict[str, Any]:
        allowed = {"duration_seconds", "polls", "fail", "model_read_lag_seconds", "model_creating_seconds"}
        p = check_keys(payload, allowed | {"model_fail"}, "lifecycle")
        lag, creating = p.get("model_read_lag_seconds", 0), p.get("model_creating_seconds", 0)
        for name, value in (("model_read_lag_seconds", lag), ("model_creating_seconds", creating)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ControlError(f"lifecycle: {name} must be a number >= 0")
        duration = p.get("duration_seconds", self.default_duration)
        if duration is not None and (
            isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0
        ):
            raise ControlError("lifecycle: duration_seconds must be a number >= 0 or null (never by time)")
        polls = p.get("polls")
        if polls is not None and (isinstance(polls, bool) or not isinstance(polls, int) or polls < 0):
            raise ControlError("lifecycle: polls must be an integer >= 0 or null")
        rules = _fail_rules(p, "fail", DEFAULT_FAILURE_MESSAGE)
        model_rules = _fail_rules(p, "model_fail", DEFAULT_MODEL_FAILURE_MESSAGE)
        with self.lock:
            duration = None if duration is None else float(duration)
            self.lifecycle = Lifecycle(duration, polls, rules, float(lag), float(creating), model_rules)
            return self.lifecycle.view()

    def read_lags(self, record: ModelRecord) -> bool:
        """Whether reads do not show ``record`` yet: a copy job made it under model_read_lag_seconds ago."""
        lag = self.lifecycle.model_read_lag_seconds
        return bool(lag and record.job_arn) and now_us() - record.creation_us < lag * 1_000_000

    def _settle(self, job: CopyJob, now: float) -> str:
        """Lazily end an InProgress job whose time or poll budget is used up; returns the current status."""
        if job.status != IN_PROGRESS or job.pinned:
            return job.status
        lc = self.lifecycle
        if (lc.duration_seconds is not None and now - job.started >= lc.duration_seconds) or (
            lc.polls is not None and job.observations >= lc.polls
        ):
            for rule in lc.fail:
                if rule.matches(job.region, job.target_model_name, job.source_model_arn):
                    job.set_status(FAILED, rule.message)
                    return FAILED
            job.set_status(COMPLETED)
            self.register_target(job)
        return job.status

    # jobs

    def make_job(
        self,
        account: str,
        region: str,
        creation_us: int,
        source_arn: str,
        source_account: str,
        target_name: str,
        kms_key_arn: str | None,
        tags: list[dict[str, str]],
        segment: str,
        status: str = IN_PROGRESS,
        pinned: bool = False,
        failure_message: str | None = None,
    ) -> CopyJob:
        partition = partition_of(region)
        job_id = new_id()
        source = self.models.get(source_arn)
        return CopyJob(
            job_id=job_id,
            job_arn=f"arn:{partition}:bedrock:{region}:{account}:model-copy-job/{job_id}",
            account_id=account,
            region=region,
            creation_us=creation_us,
            source_model_arn=source_arn,
            source_account_id=source_account,
            source_model_name=source.model_name if source else None,
            target_model_name=target_name,
            target_model_arn=f"arn:{partition}:bedrock:{region}:{account}:custom-model/{segment}/{new_id()}",
            kms_key_arn=kms_key_arn,
            tags=tags,
            status=status,
            pinned=pinned,
            failure_message=failure_message,
        )

    def _name_taken(self, account: str, region: str, name: str, now: float) -> bool:
        if (account, region, name) in self.model_names:
            return True
        rj = self.regions.get((account, region))
        jobs = rj.by_name.get(name, ()) if rj else ()
        # A Completed job's model is in model_names while it exists: once deleted, its name is free again.
        return any(self._settle(job, now) == IN_PROGRESS for job in jobs)

    def create_job(self, account: str, region: str, body: Any) -> str:
        """CreateModelCopyJob in the caller's (target) region; returns the job ARN."""
        if not isinstance(body, dict):
            raise BedrockError("SerializationException", "The request body must be a JSON object.")
        errors = Errors()
        source_arn: Any = body.get("sourceModelArn")
        name: Any = body.get("targetModelName")
        kms = body.get("modelKmsKeyId")
        token = body.get("clientRequestToken")
        raw_tags = body.get("targetModelTags")
        errors.string(source_arn, "ModelArn", "sourceModelArn", required=True)
        errors.string(name, "CustomModelName", "targetModelName", required=True)
        errors.string(kms, "KmsKeyId", "modelKmsKeyId")
        errors.string(token, "IdempotencyToken", "clientRequestToken")
        tags = [{"key": k, "value": v} for k, v in tag_list(errors, raw_tags, "targetModelTags", limit=None).items()]
        errors.raise_validation()
        if len(tags) > MAX_TAGS:
            raise BedrockError(
                "TooManyTagsException", f"The request has {len(tags)} tags; at most {MAX_TAGS} are allowed."
            )
        fingerprint = json.dumps([source_arn, name, kms, tags])
        with self.lock:
            if token:
                previous = self.tokens.get((account, region, token))
                if previous is not None:
                    if previous[0] != fingerprint:
                        raise validation_error(
                            f"The clientRequestToken '{token}' was already used with different request parameters."
                        )
                    return previous[1]
            source = self.models.get(source_arn)
            if source is None:
                raise not_found(f"The source model {source_arn} couldn't be found.")
            now = time.monotonic()
            if self._name_taken(account, region, name, now):
                raise validation_error(
                    f"A custom model or model copy job named '{name}' already exists in {region}. "
                    "Choose a different targetModelName."
                )
            job = self.make_job(
                account,
                region,
                now_us(),
                source_arn,
                source.account_id,
                name,
                _kms_key_arn(kms, region, account) if kms else None,
                tags,
                source.base_model_id,
            )
            job.started = now
            self.region_jobs(account, region).add(job)
            if token:
                self.tokens[(account, region, token)] = (fingerprint, job.job_arn)
            return job.job_arn

    def get_job(self, account: str, region: str, job_arn: str) -> dict[str, Any]:
        errors = Errors()
        errors.string(job_arn, "ModelCopyJobArn", "jobArn", required=True)
        errors.raise_validation()
        with self.lock:
            rj = self.regions.get((account, region))
            job = rj.by_arn.get(job_arn) if rj else None
            if job is None:
                raise not_found(f"The model copy job {job_arn} couldn't be found.")
            if self._settle(job, time.monotonic()) == IN_PROGRESS:
                job.observations += 1
            return job.to_api()

    def list_jobs(self, account: str, region: str, query: Mapping[str, str]) -> str:
        """ListModelCopyJobs; returns the JSON response body (assembled from per-job cached JSON: pages are big)."""
        q = parse_list_query(query)
        fingerprint = q.fingerprint(account, region)
        with self.lock:
            cursor, page = self.open_token(q.token, fingerprint) if q.token else (None, 1)
            rj = self.regions.get((account, region))
            if rj is None:
                return '{"modelCopyJobSummaries": []}'
            keys, jobs = rj.keys, rj.jobs
            lo = 0 if q.after is None else bisect.bisect_right(keys, (q.after, _MAX_ID))
            hi = len(keys) if q.before is None else bisect.bisect_left(keys, (q.before, ""))
            if q.ascending:
                start = lo if cursor is None else max(lo, bisect.bisect_right(keys, cursor))
                indices = range(start, hi)
            else:
                end = hi if cursor is None else min(hi, bisect.bisect_left(keys, cursor))
                indices = range(end - 1, lo - 1, -1)
            now = time.monotonic()
            picked: list[CopyJob] = []
            more = False
            for i in indices:
                job = jobs[i]
                if (
                    (q.source_account is not None and job.source_account_id != q.source_account)
                    or (q.source_arn is not None and job.source_model_arn != q.source_arn)
                    or (q.name_contains is not None and q.name_contains not in job.target_model_name)
                ):
                    continue
                status = self._settle(job, now)
                if q.status is not None and status != q.status:
                    continue
                if len(picked) == q.max_results:
                    more = True
                    break
                picked.append(job)
            for job in picked:
                if job.status == IN_PROGRESS:
                    job.observations += 1
            body = '{"modelCopyJobSummaries": [' + ", ".join(job.to_json() for job in picked) + "]"
            if more:
                body += ', "nextToken": ' + json.dumps(self.issue_token(fingerprint, page + 1, picked[-1].key))
            return body + "}"

    # paging tokens (common.PageTokens), bound to this store's generation

    def issue_token(self, fingerprint: str, page: int, key: tuple[int, str]) -> str:
        return self._tokens.issue(self.generation, fingerprint, page, key)

    def open_token(self, token: str, fingerprint: str) -> tuple[tuple[int, str], int]:
        return self._tokens.open(token, self.generation, fingerprint)

    def token_page(self, token: str | None) -> int | None:
        """The 1-based page a ListModelCopyJobs request asks for (1 without a token; None if the token is bad)."""
        return self._tokens.page_of(token)
