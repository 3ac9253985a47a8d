"""One generic resource table for the Bedrock test endpoint: what every long-lived Bedrock resource shares.

A resource (provisioned_throughput.py, custom_model_deployments.py) is a ``ResourceTable`` subclass that declares
its label, API noun, ARN type, statuses and control-API names and writes only what is its own: its views, its
model rules, what a finished or failed transition does. Paths, wire names, shapes and request validation come
from botocore's service model. The table keeps the records per account and region (sorted, so a page bisects to
its cursor), runs the lifecycle lazily on read (a record in a ``phase`` -- create, update, delete -- ends it
after that phase's seconds, or fails if a fail rule matches), pages with signed tokens, remembers
clientRequestTokens and guards DeleteCustomModel; resource_control.py adds the control routes, resource_http.py
the moto wiring and tagging.
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
from typing import Any, ClassVar

from moto.bedrock.responses import BedrockResponse

from . import custom_models
from .common import (
    BedrockError,
    ControlError,
    Errors,
    PageTokens,
    QueryReader,
    constraint,
    new_id,
    not_found,
    now_us,
    parse_timestamp,
    partition_of,
    service_model,
    tag_list,
    validation_error,
)
from .copy_jobs import ModelRecord, Store

MAX_RESULTS = 1000
MAX_TAGS_PER_RESOURCE = 50  # AWS's per-resource tag quota; a request's TagList may name up to 200
MAX_SEED = 100_000
_MAX_ID = "~"  # sorts after every id (lowercase alphanumerics)
JSON_HEADERS = {"Content-Type": "application/json"}


# --- records ----------------------------------------------------------------------------------------


@dataclass(eq=False, kw_only=True)
class Record:
    """What the table needs of every resource; subclasses add their own fields."""

    rid: str
    arn: str
    account: str
    region: str
    name: str
    creation_us: int
    last_modified_us: int
    status: str
    phase: str | None = None  # the transition under way (create, update, delete); None: the lifecycle leaves it
    since_us: int = 0  # when the phase began (wall clock)
    failure_message: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str]:
        return (self.creation_us, self.rid)


class RegionTable:
    """The records of one account and region, sorted by (creationTime, id) so that a page bisects to its cursor."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, str]] = []
        self.items: list[Any] = []
        self.by_id: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        self.deleting: list[Any] = []  # records in the delete phase, removed once it is over

    def add_many(self, records: list[Any]) -> None:
        if len(records) == 1:
            i = bisect.bisect_right(self.keys, records[0].key)
            self.keys.insert(i, records[0].key)
            self.items.insert(i, records[0])
        else:
            pairs = sorted([*zip(self.keys, self.items), *((r.key, r) for r in records)], key=lambda p: p[0])
            self.keys = [p[0] for p in pairs]
            self.items = [p[1] for p in pairs]
        for record in records:
            self.by_id[record.rid] = record
            self.by_name[record.name] = record

    def remove(self, record: Any) -> None:
        i = bisect.bisect_left(self.keys, record.key)
        del self.keys[i]
        del self.items[i]
        del self.by_id[record.rid]
        del self.by_name[record.name]
        if record in self.deleting:
            self.deleting.remove(record)

    def rename(self, record: Any, name: str) -> None:
        del self.by_name[record.name]
        record.name = name
        self.by_name[name] = record


@dataclass
class FailRule:
    operation: str = "create"  # the phase that fails
    region: str | None = None
    name_contains: str | None = None
    model_arn: str | None = None  # the model being deployed
    message: str = ""

    def matches(self, record: Record, operation: str, model_arn: str) -> bool:
        return (
            self.operation == operation
            and (self.region is None or record.region == self.region)
            and (self.name_contains is None or self.name_contains in record.name)
            and (self.model_arn is None or model_arn == self.model_arn)
        )


@dataclass
class Lifecycle:
    seconds: dict[str, float | None]  # per phase; None: never by time
    fail: list[FailRule] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # the resource's own settings

    def view(self) -> dict[str, Any]:
        out: dict[str, Any] = {f"{phase}_seconds": s for phase, s in self.seconds.items()}
        return {**out, "fail": [vars(rule).copy() for rule in self.fail], **self.extra}


@dataclass(frozen=True)
class ListFilter:
    """A List query parameter (wire name; its shape comes from the service model) and whether a record passes."""

    param: str
    test: Callable[[Any, str], bool]


STANDARD_FILTERS = (
    ListFilter("statusEquals", lambda record, value: record.status == value),
    ListFilter("modelArnEquals", lambda record, value: record.model_arn == value),  # the model served now
    ListFilter("nameContains", lambda record, value: value in record.name),
)


# --- validation helpers ---------------------------------------------------------------------------


def positive_int(errors: Errors, value: Any, where: str, required: bool = False) -> bool:
    if not errors.typed(value, "integer", where, required):
        return False
    if value < 1:
        errors.add(value, where, "Member must have value greater than or equal to 1")
        return False
    return True


def control_number(value: Any, where: str) -> float | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
        raise ControlError(f"{where} must be a number >= 0 or null")
    return None if value is None else float(value)


def control_time(raw: Any, where: str) -> int:
    if raw is None:
        return now_us()
    parsed = parse_timestamp(raw)
    if parsed is None:
        raise ControlError(f"{where} must be ISO-8601 or epoch seconds")
    return parsed


def json_body(response: BedrockResponse) -> Any:
    try:
        body = json.loads(response.body or "{}")
    except ValueError:
        raise BedrockError("SerializationException", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BedrockError("SerializationException", "The request body must be a JSON object.")
    return body


# --- custom models the resources serve --------------------------------------------------------------


def model_status(store: Store, record: ModelRecord) -> str:
    """A custom model's modelStatus now (custom_models.py settles its lifecycle on read)."""
    return custom_models.model_status(store, record, time.monotonic())


def find_custom_model(store: Store, account: str, region: str, identifier: str) -> ModelRecord | None:
    """A custom model by ARN or name, settling copy jobs that would produce it first (they settle on read)."""
    record = _known_model(store, account, region, identifier)
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
    return _known_model(store, account, region, identifier)


def _known_model(store: Store, account: str, region: str, identifier: str) -> ModelRecord | None:
    if identifier.startswith("arn:"):
        return store.models.get(identifier)
    arn = store.model_names.get((account, region, identifier))
    return store.models.get(arn) if arn else None


# --- the table --------------------------------------------------------------------------------------


class ResourceTable:
    """All records of one resource, per account and region; shares the copy-job store's lock and models."""

    # declarations (see the subclasses); paths, parameter names and shapes come from the service model
    label: ClassVar[str]  # "provisioned model throughput": in messages
    api_noun: ClassVar[str]  # "ProvisionedModelThroughput": Create/Get/Update/Delete<noun>, List<noun>s
    arn_type: ClassVar[str]  # "provisioned-model": arn:PARTITION:bedrock:REGION:ACCOUNT:<arn_type>/<id>
    record_type: ClassVar[type[Record]]
    name_field: ClassVar[str]  # the create field that names it
    initial_status: ClassVar[dict[str, str]]  # phase -> the status while in it
    phases: ClassVar[tuple[str, ...]] = ("create", "update")
    fail_operations: ClassVar[tuple[str, ...]] = ("create", "update")
    default_failure: ClassVar[str]
    list_filters: ClassVar[tuple[ListFilter, ...]] = STANDARD_FILTERS
    in_use_hint: ClassVar[str]  # DeleteCustomModel's advice when this resource serves the model
    # control API
    control_prefix: ClassVar[str]  # routes under /moto-api/bedrock/<control_prefix>/
    control_id: ClassVar[str]  # the control payload's name-or-ARN field
    seed_keys: ClassVar[frozenset[str]]  # the resource's own seed fields (items and generate)
    seed_prefix: ClassVar[str]
    seed_result: ClassVar[str]  # the seed answer's list of ARNs
    pages_stat: ClassVar[str]  # the stats field counting list requests per page

    def __init__(self, models: Store, duration: float) -> None:
        noun = self.api_noun
        self.operations = {verb.lower(): f"{verb}{noun}" for verb in ("Create", "Get", "Update", "Delete")}
        self.operations["list"] = f"List{noun}s"
        self._read_service_model()
        self.models = models
        self.lock = models.lock
        self.default_duration = duration
        self.page_tokens = PageTokens(secrets.token_bytes(32))
        self.generation = 0
        self.arn_re = re.compile(
            rf"arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{{1,20}}):([0-9]{{12}}):{self.arn_type}/([a-z0-9]{{12}})"
        )
        self.reset()

    def _read_service_model(self) -> None:
        """Paths, wire names and shapes as botocore's service model defines the five operations."""
        ops = {kind: service_model().operation_model(name) for kind, name in self.operations.items()}
        self.item_path, _dummy, param = ops["get"].http["requestUri"].partition("{")
        self.id_param = param.rstrip("}")  # the name-or-ARN identifier in paths
        self.id_shape = ops["get"].input_shape.members[self.id_param].name
        self.status_shape = ops["get"].output_shape.members["status"].name
        self.create_path, self.create_status = ops["create"].http["requestUri"], ops["create"].http["responseCode"]
        self.arn_key = ops["create"].output_shape.required_members[0]
        self.name_shape = ops["create"].input_shape.members[self.name_field].name
        self.list_path = ops["list"].http["requestUri"]
        query = ops["list"].input_shape.members
        after = next(name for name in query if name.endswith("After"))
        self.time_params = (after, after[: -len("After")] + "Before")
        self.sort_shape = query["sortBy"].name
        self.filter_shapes = {f.param: query[f.param].name for f in self.list_filters}
        listed = ops["list"].output_shape.members.items()
        self.summaries_key = next(name for name, shape in listed if shape.type_name == "list")

    def reset(self) -> None:
        with self.lock:
            self.regions: dict[tuple[str, str], RegionTable] = {}
            self.tokens: dict[tuple[str, str, str], tuple[str, str]] = {}
            self.lifecycle = Lifecycle(self.default_seconds(), [], self.default_extra())
            self.generation += 1

    def warm_up(self) -> None:
        for shape in (self.name_shape, self.id_shape, self.status_shape, self.sort_shape, "TaggableResourcesArn"):
            constraint(shape)
        for f in self.list_filters:
            constraint(self.filter_shapes[f.param])

    # what subclasses write

    def default_seconds(self) -> dict[str, float | None]:
        return dict.fromkeys(self.phases, self.default_duration)

    def default_extra(self) -> dict[str, Any]:
        return {}

    def parse_extra(self, p: dict[str, Any], where: str) -> dict[str, Any]:
        return {}

    def view(self, record: Any, summary: bool = False) -> dict[str, Any]:
        raise NotImplementedError

    def deployed_model(self, record: Any) -> str:
        """The model a fail rule's model_arn is compared with: the one being deployed."""
        raise NotImplementedError

    def finish(self, record: Any, phase: str) -> None:
        raise NotImplementedError

    def fail_phase(self, record: Any, phase: str, message: str) -> None:
        raise NotImplementedError

    def on_forced_fail(self, record: Any) -> None:
        """What else a control-forced Failed changes (the phase under way is abandoned)."""

    def serves(self, record: Any, model_arn: str) -> bool:
        """Whether `record` serves the model or is being moved to it."""
        raise NotImplementedError

    def model_in_use(self, model: ModelRecord) -> str | None:
        """DeleteCustomModel guard: why `model` can't be deleted while this resource serves it, or None."""
        with self.lock:
            rt = self.regions.get((model.account_id, model.region))
            now = now_us()
            for record in rt.items if rt else ():
                self.settle(record, now)
                if self.serves(record, model.model_arn):
                    return (
                        f"The custom model {model.model_name} is associated with the {self.label} {record.name} "
                        f"({record.status}). {self.in_use_hint}"
                    )
        return None

    def extra_routes(self) -> dict[tuple[str, str], Callable[[Any], Any]]:
        """Control routes of the resource's own, beside lifecycle, fail and seed."""
        return {}

    def seed_fields(self, account: str, region: str, spec: dict[str, Any], where: str) -> dict[str, Any]:
        raise NotImplementedError

    def build(self, account: str, region: str, name: str, creation: int, fields: dict[str, Any]) -> Any:
        raise NotImplementedError

    # records

    def region_table(self, account: str, region: str) -> RegionTable:
        rt = self.regions.get((account, region))
        if rt is None:
            rt = self.regions[(account, region)] = RegionTable()
        return rt

    def new_ids(self, account: str, region: str) -> tuple[str, str]:
        rid = new_id()
        return rid, f"arn:{partition_of(region)}:bedrock:{region}:{account}:{self.arn_type}/{rid}"

    def new_record(self, account: str, region: str, name: str, creation: int, **fields: Any) -> Any:
        """A record in its create phase from `creation` on (a seed may pin another status afterwards)."""
        rid, arn = self.new_ids(account, region)
        common: dict[str, Any] = {"rid": rid, "arn": arn, "account": account, "region": region, "name": name}
        times: dict[str, Any] = {"creation_us": creation, "last_modified_us": creation, "since_us": creation}
        return self.record_type(**common, **times, status=self.initial_status["create"], phase="create", **fields)

    def read_request(self, kind: str, body: dict[str, Any], path: dict[str, str] | None = None) -> dict[str, Any]:
        """A request's fields, each checked against its shape in the service model (fields the shape lacks are
        refused too); every problem goes into one ValidationException, as AWS reports them."""
        shape = service_model().operation_model(self.operations[kind]).input_shape
        given = {**body, **(path or {})}
        errors = Errors()
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            value, required = given.get(name), name in shape.required_members
            if member.name == "TagList":
                value = tag_list(errors, value, name, required)
            elif member.type_name == "integer":
                positive_int(errors, value, name, required)
            else:
                errors.string(value, member.name, name, required)
            out[name] = value
        for key in sorted(set(body) - set(shape.members)):
            errors.add(body[key], key, f"Member is not a field of {shape.name}")
        errors.raise_validation()
        return out

    def create_once(
        self, account: str, region: str, token: str | None, fingerprint: str, make: Callable[[], Any]
    ) -> str:
        """Create through `make()` unless this clientRequestToken already created it (then that ARN)."""
        with self.lock:
            previous = self.idempotent(account, region, token, fingerprint)
            if previous is not None:
                return previous
            record = make()
            self.add(account, region, [record])
            self.settle(record, record.creation_us)  # create_seconds 0: done at once
            self.remember(account, region, token, fingerprint, record.arn)
            return str(record.arn)

    def add(self, account: str, region: str, records: list[Any]) -> None:
        rt = self.region_table(account, region)
        for record in records:
            while record.rid in rt.by_id:  # astronomically rare id collision
                record.rid, record.arn = self.new_ids(account, region)
        rt.add_many(records)

    def begin(self, record: Any, phase: str, now: int) -> None:
        record.phase, record.since_us, record.last_modified_us = phase, now, now
        record.status = self.initial_status.get(phase, record.status)
        record.failure_message = None
        self.settle(record, now)

    def settle(self, record: Any, now: int) -> str:
        """End a phase whose time is up (lazily, on read, against the current lifecycle); the status."""
        phase = record.phase
        if phase is None or phase == "delete":
            return str(record.status)
        seconds = self.lifecycle.seconds.get(phase)
        if seconds is None:
            return str(record.status)
        end = record.since_us + round(seconds * 1_000_000)
        if now < end:
            return str(record.status)
        model = self.deployed_model(record)
        rule = next((r for r in self.lifecycle.fail if r.matches(record, phase, model)), None)
        record.phase = None
        record.last_modified_us = max(record.last_modified_us, end)
        if rule is not None:
            self.fail_phase(record, phase, rule.message or self.default_failure)
        else:
            self.finish(record, phase)
        return str(record.status)

    def purge(self, account: str, region: str, now: int) -> None:
        """Remove the records whose delete phase is over."""
        rt = self.regions.get((account, region))
        seconds = self.lifecycle.seconds.get("delete")
        for record in list(rt.deleting if rt else ()):
            if seconds is not None and now >= record.since_us + round(seconds * 1_000_000):
                rt.remove(record)  # type: ignore[union-attr]

    def delete_now_or_later(self, record: Any, now: int) -> None:
        """Remove at once, or after ``delete_seconds`` when the lifecycle has them (the record stays visible)."""
        rt = self.region_table(record.account, record.region)
        if self.lifecycle.seconds.get("delete") is None:
            rt.remove(record)
        else:
            record.phase, record.since_us = "delete", now
            rt.deleting.append(record)

    def find(self, account: str, region: str, identifier: Any) -> Any:
        """The record a name or ARN names in (account, region), settled; else a 404."""
        errors = Errors()
        errors.string(identifier, self.id_shape, self.id_param, required=True)
        errors.raise_validation()
        now = now_us()
        self.purge(account, region, now)
        rt = self.regions.get((account, region))
        record = None
        if rt is not None:
            match = self.arn_re.fullmatch(identifier)
            if match is None:
                record = rt.by_name.get(identifier)
            else:
                candidate = rt.by_id.get(match.group(4))
                record = candidate if candidate is not None and candidate.arn == identifier else None
        if record is None:
            raise not_found(f"The {self.label} {identifier} couldn't be found in {region}.")
        self.settle(record, now)
        return record

    def name_free(self, account: str, region: str, name: str, field_name: str) -> None:
        rt = self.regions.get((account, region))
        if rt is not None and name in rt.by_name:
            raise validation_error(
                f"A {self.label} named '{name}' already exists in {region}. Choose a different {field_name}."
            )

    def check_tag_count(self, count: int, what: str) -> None:
        if count > MAX_TAGS_PER_RESOURCE:
            raise BedrockError(
                "TooManyTagsException",
                f"{what} {count} tags; a resource can have at most {MAX_TAGS_PER_RESOURCE}.",
            )

    def idempotent(self, account: str, region: str, token: str | None, fingerprint: str) -> str | None:
        """The ARN an earlier create with this clientRequestToken made (same input), else None."""
        previous = self.tokens.get((account, region, token)) if token else None
        if previous is None:
            return None
        if previous[0] != fingerprint:
            raise validation_error(
                f"The clientRequestToken '{token}' was already used with different request parameters."
            )
        return previous[1]

    def remember(self, account: str, region: str, token: str | None, fingerprint: str, arn: str) -> None:
        if token:
            self.tokens[(account, region, token)] = (fingerprint, arn)

    def get(self, account: str, region: str, identifier: str) -> dict[str, Any]:
        with self.lock:
            return self.view(self.find(account, region, identifier))

    # listing

    def list_page(self, account: str, region: str, query: Mapping[str, str]) -> str:
        """One List page (JSON): filtered on the server, newest first unless asked otherwise, signed cursors."""
        q = QueryReader(query)
        after, before = q.timestamp(self.time_params[0]), q.timestamp(self.time_params[1])
        values = [(f, q.text(f.param, self.filter_shapes[f.param])) for f in self.list_filters]
        token = q.text("nextToken", "PaginationToken")
        q.text("sortBy", self.sort_shape)
        ascending = q.text("sortOrder", "SortOrder") == "Ascending"
        max_results = q.max_results(MAX_RESULTS)
        q.raise_validation()
        basis = [self.arn_type, account, region, after, before, *(v for _f, v in values), ascending]
        fingerprint = hashlib.sha256(json.dumps(basis).encode()).hexdigest()[:16]
        active = [(f, v) for f, v in values if v is not None]
        with self.lock:
            cursor, page = self.page_tokens.open(token, self.generation, fingerprint) if token else (None, 1)
            now = now_us()
            self.purge(account, region, now)
            rt = self.regions.get((account, region))
            keys, items = (rt.keys, rt.items) if rt else ([], [])
            lo = 0 if after is None else bisect.bisect_right(keys, (after, _MAX_ID))
            hi = len(keys) if before is None else bisect.bisect_left(keys, (before, ""))
            if ascending:
                start = lo if cursor is None else max(lo, bisect.bisect_right(keys, cursor))
                indices = range(start, hi)
            else:
                end = hi if cursor is None else min(hi, bisect.bisect_left(keys, cursor))
                indices = range(end - 1, lo - 1, -1)
            picked: list[Any] = []
            more = False
            for i in indices:
                record = items[i]
                self.settle(record, now)
                if not all(f.test(record, v) for f, v in active):
                    continue
                if len(picked) == max_results:
                    more = True
                    break
                picked.append(record)
            out: dict[str, Any] = {self.summaries_key: [self.view(r, summary=True) for r in picked]}
            if more:
                out["nextToken"] = self.page_tokens.issue(self.generation, fingerprint, page + 1, picked[-1].key)
            return json.dumps(out)

    def token_page(self, token: str | None) -> int | None:
        return self.page_tokens.page_of(token)

    # request counting (control.py)

    def classify(self, method: str, path: str) -> str | None:
        """The operation a request is for when it is one of this resource's, else None."""
        ops = self.operations
        if path.startswith(self.item_path):
            return {"GET": ops["get"], "PATCH": ops["update"], "DELETE": ops["delete"]}.get(method)
        bare = path.rstrip("/")
        if bare == self.create_path and method == "POST":
            return ops["create"]
        if bare == self.list_path and method == "GET":
            return ops["list"]
        return None

    def create(self, account: str, region: str, body: dict[str, Any]) -> str:
        raise NotImplementedError

    def update(self, account: str, region: str, identifier: str, body: dict[str, Any]) -> tuple[Any, int]:
        raise NotImplementedError

    def delete(self, account: str, region: str, identifier: str) -> None:
        raise NotImplementedError
