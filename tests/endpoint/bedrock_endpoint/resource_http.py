"""moto wiring for the resource tables: their HTTP handlers on ``BedrockResponse`` and tagging on their ARNs.

moto 5.2 maps a rest-json request to an operation through botocore's service model and calls the snake_case
method of that name on ``BedrockResponse``; adding methods is enough. TagResource, UntagResource and
ListTagsForResource go to the table whose ARNs they name, any other ARN to moto as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from moto.bedrock.responses import BedrockResponse

from .common import BedrockError, Errors, not_found, now_us, tag_list
from .copy_jobs import ModelRecord
from .resources import JSON_HEADERS, ResourceTable, json_body


def path_id(table: ResourceTable, response: BedrockResponse) -> str:
    # An ARN holds ':' and '/': take it from the still-encoded path, then decode it once.
    return unquote(response.path.split("?", 1)[0].split(table.item_path, 1)[-1])


def handlers(table: ResourceTable) -> dict[str, Callable[[BedrockResponse], Any]]:
    """moto method name -> handler: moto calls the snake_case name of the operation it routed to."""

    def create(response: BedrockResponse) -> Any:
        arn = table.create(response.current_account, response.region, json_body(response))
        return ok({table.arn_key: arn}, table.create_status)

    def get(response: BedrockResponse) -> Any:
        return ok(table.get(response.current_account, response.region, path_id(table, response)))

    def update(response: BedrockResponse) -> Any:
        body = json_body(response)
        return ok(*table.update(response.current_account, response.region, path_id(table, response), body))

    def delete(response: BedrockResponse) -> Any:
        table.delete(response.current_account, response.region, path_id(table, response))
        return ok({})

    def list_(response: BedrockResponse) -> Any:
        query: dict[str, str] = {}
        for key, value in parse_qsl(response.parsed_url.query, keep_blank_values=True):
            query.setdefault(key, value)
        # Bytes: moto's _enrich_response regex-scans str bodies, which costs on a full page.
        return table.list_page(response.current_account, response.region, query).encode(), {
            "status": 200,
            **JSON_HEADERS,
        }

    named = {"create": create, "get": get, "update": update, "delete": delete, "list": list_}
    return {_snake(table.operations[kind]): handler for kind, handler in named.items()}


def ok(payload: Any, status: int = 200) -> tuple[str, dict[str, Any]]:
    return json.dumps(payload), {"status": status, **JSON_HEADERS}


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


# --- moto wiring ------------------------------------------------------------------------------------

_TABLES: list[ResourceTable] = []
_MOTO_TAGGING = {
    name: getattr(BedrockResponse, name) for name in ("tag_resource", "untag_resource", "list_tags_for_resource")
}


def install(table: ResourceTable, delete_guard: Callable[[ModelRecord], str | None] | None = None) -> None:
    """Route the table's operations to it; tagging calls on its ARNs go there too (any other ARN to moto)."""
    from .custom_models import DELETE_GUARDS

    _TABLES[:] = [t for t in _TABLES if type(t) is not type(table)] + [table]
    if delete_guard is not None:
        DELETE_GUARDS.append(delete_guard)  # DeleteCustomModel refuses models the resource serves
    for name, method in handlers(table).items():
        setattr(BedrockResponse, name, method)
    for name, method in _TAGGING.items():
        setattr(BedrockResponse, name, method)


def _tagging(name: str, act: Callable[[ResourceTable, str, str, dict[str, Any]], Any]) -> Callable[..., Any]:
    def handler(self: BedrockResponse) -> Any:
        try:
            body = json.loads(self.body or "{}")
        except ValueError:
            raise BedrockError("SerializationException", "The request body is not valid JSON.") from None
        arn = body.get("resourceARN") if isinstance(body, dict) else None
        table = next((t for t in _TABLES if owns(t, arn)), None)
        if table is None:
            return _MOTO_TAGGING[name](self)
        return ok(act(table, self.current_account, self.region, body))

    return handler


# --- tagging --------------------------------------------------------------------------------------


def owns(table: ResourceTable, arn: Any) -> bool:
    return isinstance(arn, str) and f":{table.arn_type}/" in arn


def _tagged(table: ResourceTable, account: str, region: str, arn: Any) -> Any:
    errors = Errors()
    errors.string(arn, "TaggableResourcesArn", "resourceARN", required=True)
    errors.raise_validation()
    table.purge(account, region, now_us())
    match = table.arn_re.fullmatch(arn)
    rt = table.regions.get((account, region))
    record = rt.by_id.get(match.group(4)) if match and rt else None
    if record is None or record.arn != arn:
        raise not_found(f"The resource {arn} couldn't be found.")
    return record


def tag(table: ResourceTable, account: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    tags = tag_list(errors, body.get("tags"), "tags", required=True)
    errors.raise_validation()
    with table.lock:
        record = _tagged(table, account, region, body.get("resourceARN"))
        merged = {**record.tags, **tags}
        table.check_tag_count(len(merged), "The resource would have")
        record.tags = merged
    return {}


def untag(table: ResourceTable, account: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
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
    with table.lock:
        record = _tagged(table, account, region, body.get("resourceARN"))
        for key in keys:
            record.tags.pop(key, None)
    return {}


def list_tags(table: ResourceTable, account: str, region: str, body: dict[str, Any]) -> list[dict[str, str]]:
    with table.lock:
        record = _tagged(table, account, region, body.get("resourceARN"))
        return [{"key": k, "value": v} for k, v in record.tags.items()]


_TAGGING = {
    "tag_resource": _tagging("tag_resource", tag),
    "untag_resource": _tagging("untag_resource", untag),
    "list_tags_for_resource": _tagging("list_tags_for_resource", lambda t, a, r, b: {"tags": list_tags(t, a, r, b)}),
}
