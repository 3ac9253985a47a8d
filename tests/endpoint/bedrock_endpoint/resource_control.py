"""The control API every resource table gets: lifecycle configuration, forced failures and seeding.

Routes live under ``/moto-api/bedrock/<control_prefix>/`` (``lifecycle`` POST/GET, ``fail``, ``seed``) plus the
ones a table adds with ``extra_routes()``; a bad payload is a ``ControlError`` (HTTP 400, ``{"error"}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .common import BedrockError, ControlError, Errors, check_keys, control_account, control_region, now_us, tag_list
from .resources import MAX_SEED, FailRule, Lifecycle, ResourceTable, control_number, control_time


def set_lifecycle(table: ResourceTable, payload: Any) -> dict[str, Any]:
    where = f"{table.control_prefix}/lifecycle"
    defaults = table.default_seconds()
    allowed = {f"{phase}_seconds" for phase in defaults} | {"fail"} | set(table.default_extra())
    p = check_keys(payload, allowed, where)
    extra = table.parse_extra(p, where)
    seconds = {
        phase: control_number(p.get(f"{phase}_seconds", default), f"{where}: {phase}_seconds")
        for phase, default in defaults.items()
    }
    rules_in = p.get("fail") or []
    if not isinstance(rules_in, list):
        raise ControlError(f"{where}: fail must be a list")
    rules = []
    for i, raw in enumerate(rules_in):
        r = check_keys(raw, {"operation", "region", "name_contains", "model_arn", "message"}, f"{where}: fail[{i}]")
        if not all(v is None or isinstance(v, str) for v in r.values()):
            raise ControlError(f"{where}: fail[{i}] values must be strings or null")
        operation = r.get("operation") or "create"
        if operation not in table.fail_operations:
            raise ControlError(f"{where}: fail[{i}].operation must be {' or '.join(table.fail_operations)}")
        message = r.get("message") or table.default_failure
        rules.append(FailRule(operation, r.get("region"), r.get("name_contains"), r.get("model_arn"), message))
    with table.lock:
        table.lifecycle = Lifecycle(seconds, rules, extra)
        return table.lifecycle.view()


def lifecycle_view(table: ResourceTable) -> dict[str, Any]:
    with table.lock:
        return table.lifecycle.view()


def control_target(table: ResourceTable, payload: Any, allowed: set[str], where: str) -> tuple[dict[str, Any], Any]:
    p = check_keys(payload, {"region", "account_id", table.control_id, *allowed}, where)
    region = control_region(p.get("region"), where)
    account = control_account(p.get("account_id"), where)
    ident = p.get(table.control_id)
    if not isinstance(ident, str):
        raise ControlError(f"{where}: {table.control_id} (a name or ARN) is required")
    try:
        return p, table.find(account, region, ident)
    except BedrockError as exc:
        raise ControlError(f"{where}: {exc.message}") from None


def force_fail(table: ResourceTable, payload: Any) -> dict[str, Any]:
    """Control: the record becomes Failed now (with `message`) and the lifecycle leaves it so."""
    where = f"{table.control_prefix}/fail"
    with table.lock:
        p, record = control_target(table, payload, {"message"}, where)
        message = p.get("message") or table.default_failure
        if not isinstance(message, str):
            raise ControlError(f"{where}: message must be a string")
        table.on_forced_fail(record)
        record.status, record.failure_message, record.phase = "Failed", message, None
        record.last_modified_us = now_us()
        return table.view(record)


def seed(table: ResourceTable, payload: Any) -> dict[str, Any]:
    """Control: store many records at once (names must be free and distinct)."""
    where = f"{table.control_prefix}/seed"
    p = check_keys(payload, {"region", "account_id", "items", "generate"}, where)
    region = control_region(p.get("region"), where)
    account = control_account(p.get("account_id"), where)
    specs = p.get("items") or []
    if not isinstance(specs, list):
        raise ControlError(f"{where}: items must be a list")
    with table.lock:
        new = [_seed_item(table, account, region, spec, f"{where}: items[{i}]") for i, spec in enumerate(specs)]
        if p.get("generate") is not None:
            new.extend(_generate(table, account, region, p["generate"], f"{where}: generate"))
        rt = table.region_table(account, region)
        names: set[str] = set()
        for record in new:
            if record.name in rt.by_name or record.name in names:
                raise ControlError(f"{where}: the name {record.name} is already taken in {region}")
            names.add(record.name)
        table.add(account, region, new)
    result: dict[str, Any] = {"count": len(new)}
    if len(new) <= 1000:
        result[table.seed_result] = [record.arn for record in new]
    return result


def _seed_common(table: ResourceTable, account: str, region: str, s: dict[str, Any], where: str) -> dict[str, Any]:
    errors = Errors()
    tags = tag_list(errors, [{"key": k, "value": v} for k, v in (s.get("tags") or {}).items()], "tags")
    errors.raise_control(f"{where}: ")
    try:
        return {**table.seed_fields(account, region, s, where), "tags": tags}
    except BedrockError as exc:
        raise ControlError(f"{where}: {exc.message}") from None


def _seed_status(table: ResourceTable, record: Any, status: Any, message: Any, where: str) -> Any:
    errors = Errors()
    errors.string(status, table.status_shape, "status")
    errors.raise_control(f"{where}: ")
    if not isinstance(message, (str, type(None))):
        raise ControlError(f"{where}: failure_message must be a string")
    if status is None:
        record.phase, record.since_us = "create", record.creation_us
        record.status = table.initial_status["create"]
    else:
        record.status, record.phase = status, None  # pinned: the lifecycle leaves it alone
        if status == "Failed":
            record.failure_message = message or table.default_failure
    return record


def _seed_item(table: ResourceTable, account: str, region: str, spec: Any, where: str) -> Any:
    allowed = {"name", "status", "creation_time", "tags", "failure_message", *table.seed_keys}
    s = check_keys(spec, allowed, where)
    errors = Errors()
    errors.string(s.get("name"), table.name_shape, "name", required=True)
    errors.raise_control(f"{where}: ")
    fields = _seed_common(table, account, region, s, where)
    creation = control_time(s.get("creation_time"), f"{where}: creation_time")
    record = table.build(account, region, s["name"], creation, fields)
    return _seed_status(table, record, s.get("status"), s.get("failure_message"), where)


def _generate(table: ResourceTable, account: str, region: str, gen: Any, where: str) -> list[Any]:
    allowed = {"count", "name_prefix", "statuses", "start_time", "step_seconds", "tags", *table.seed_keys}
    g = check_keys(gen, allowed, where)
    count = g.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_SEED:
        raise ControlError(f"{where}.count must be an integer between 0 and {MAX_SEED}")
    prefix = g.get("name_prefix", table.seed_prefix)
    statuses = g.get("statuses") or [None]
    step = g.get("step_seconds", 60)
    if not isinstance(prefix, str) or not isinstance(statuses, list):
        raise ControlError(f"{where}: name_prefix is a string, statuses a list")
    if isinstance(step, bool) or not isinstance(step, (int, float)):
        raise ControlError(f"{where}.step_seconds must be a number")
    width = max(6, len(str(count - 1)))
    errors = Errors()
    if count:
        errors.string(f"{prefix}{count - 1:0{width}d}", table.name_shape, "name_prefix")
    errors.raise_control(f"{where}: ")
    fields = _seed_common(table, account, region, g, where)
    step_us = round(step * 1_000_000)
    start = now_us() - count * step_us if g.get("start_time") is None else control_time(g["start_time"], where)
    out = []
    for i in range(count):
        record = table.build(account, region, f"{prefix}{i:0{width}d}", start + i * step_us, fields)
        out.append(_seed_status(table, record, statuses[i % len(statuses)], None, where))
    return out


def routes(table: ResourceTable) -> dict[tuple[str, str], Callable[[Any], Any]]:
    """The control-API routes (under /moto-api/bedrock/) this resource adds."""
    return {
        ("POST", f"{table.control_prefix}/seed"): lambda payload: seed(table, payload),
        ("POST", f"{table.control_prefix}/lifecycle"): lambda payload: set_lifecycle(table, payload),
        ("GET", f"{table.control_prefix}/lifecycle"): lambda _: lifecycle_view(table),
        **table.extra_routes(),
        ("POST", f"{table.control_prefix}/fail"): lambda payload: force_fail(table, payload),
    }
