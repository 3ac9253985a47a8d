"""WSGI middleware in front of moto: the /moto-api/bedrock/ control API, fault injection and request counting.

moto's server has no plugin hook, so everything the tests need beyond AWS behaviour lives here, outside moto.
Faults are decided before moto sees a request (like AWS throttling, which rejects before doing any work),
except ``drop``, which lets the request take effect and then cuts the response: the case clients must survive.
"""

from __future__ import annotations

import io
import json
import random
import re
import socket
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl

from . import sts
from .common import ControlError, served_regions
from .copy_jobs import Store
from .custom_models import pin_model_status
from .resource_control import routes
from .resources import ResourceTable
from .seeding import seed

CONTROL_PREFIX = "/moto-api/bedrock/"
LIST, GET, CREATE, OTHER = "ListModelCopyJobs", "GetModelCopyJob", "CreateModelCopyJob", "Other"
TAG, UNTAG, LIST_TAGS = "TagResource", "UntagResource", "ListTagsForResource"
LIST_MODELS, GET_MODEL, DELETE_MODEL = "ListCustomModels", "GetCustomModel", "DeleteCustomModel"
BASE_OPERATIONS = (LIST, GET, CREATE, LIST_MODELS, GET_MODEL, DELETE_MODEL)
SHARED_OPERATIONS = (TAG, UNTAG, LIST_TAGS, *sts.OPERATIONS, OTHER)
KINDS = ("throttle", "error500", "drop", "latency", "error")
LOG_LIMIT = 10_000
THROTTLE_MESSAGE = "Too many requests, please wait before trying again."
INTERNAL_MESSAGE = "Internal server error. Retry your request."
UNSERVED_REGION_MESSAGE = "Credential should be scoped to a valid region, not '{}'."
_SCOPE_RE = re.compile(r"Credential=[^/,\s]+/[0-9]{8}/([^/,\s]+)/([^/,\s]+)/")
_ERROR_CODE_RE = re.compile(r"[A-Za-z][A-Za-z0-9.]{0,127}")
_HTTP_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict"}

StartResponse = Callable[..., Any]
Response = tuple[str, list[tuple[str, str]], bytes]


def classify(method: str, path: str, tables: Iterable[ResourceTable] = ()) -> str:
    """The Bedrock operation a request is for, from method and path alone (as botocore builds them)."""
    for table in tables:
        operation = table.classify(method, path)
        if operation is not None:
            return operation
    if path.rstrip("/") == "/model-copy-jobs":
        return {"GET": LIST, "POST": CREATE}.get(method, OTHER)
    if path.startswith("/model-copy-jobs/") and method == "GET":
        return GET
    if path.rstrip("/") == "/custom-models":
        return LIST_MODELS if method == "GET" else OTHER
    if path.startswith("/custom-models/"):
        return {"GET": GET_MODEL, "DELETE": DELETE_MODEL}.get(method, OTHER)
    if method == "POST":
        return {"/tagResource": TAG, "/untagResource": UNTAG, "/listTagsForResource": LIST_TAGS}.get(path, OTHER)
    return OTHER


def region_of(environ: dict[str, Any]) -> str | None:
    """The signing region (credential scope of the Authorization header): where a rest-json call runs."""
    match = _SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else None


def unserved_region(environ: dict[str, Any]) -> str | None:
    """The signing region of a Bedrock request when the endpoint does not serve it (see served_regions), else None."""
    match = _SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match and match.group(2) == "bedrock" and match.group(1) not in served_regions():
        return match.group(1)
    return None


def aws_error(status: str, error_type: str, message: str) -> Response:
    body = json.dumps({"message": message}).encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("x-amzn-ErrorType", error_type),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ]
    return status, headers, body


@dataclass
class FaultRule:
    operation: str
    kind: str
    count: int | None = None
    skip: int = 0
    probability: float = 1.0
    latency_ms: int = 0
    region: str | None = None
    page: int | None = None
    error_code: str | None = None
    status: int = 400
    message: str = "Injected error."
    seen: int = 0
    fired: int = 0

    def applies(self, operation: str, region: str | None, page: int | None) -> bool:
        return (
            (self.operation == "*" or self.operation == operation)
            and (self.region is None or self.region == region)
            and (self.page is None or self.page == page)  # only List requests have a page
        )


def _parse_rule(raw: Any, i: int, operations: tuple[str, ...]) -> FaultRule:
    where = f"faults: rules[{i}]"
    allowed = {"operation", "kind", "count", "skip", "probability", "latency_ms", "region", "page"}
    allowed |= {"error_code", "status", "message"}
    if not isinstance(raw, dict):
        raise ControlError(f"{where} must be an object")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ControlError(f"{where}: unknown field(s) {', '.join(unknown)}")
    if "operation" not in raw or "kind" not in raw:
        raise ControlError(f"{where}: operation and kind are required")
    rule = FaultRule(**raw)
    if rule.operation not in (*operations, "*"):
        raise ControlError(f"{where}: operation must be one of {', '.join((*operations, '*'))}")
    if rule.kind not in KINDS:
        raise ControlError(f"{where}: kind must be one of {', '.join(KINDS)}")

    def is_int(value: Any, minimum: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= minimum

    if rule.count is not None and not is_int(rule.count, 0):
        raise ControlError(f"{where}: count must be an integer >= 0 or null (unlimited)")
    if not is_int(rule.skip, 0) or not is_int(rule.latency_ms, 0):
        raise ControlError(f"{where}: skip and latency_ms must be integers >= 0")
    if rule.page is not None and not is_int(rule.page, 1):
        raise ControlError(f"{where}: page must be an integer >= 1 or null")
    if isinstance(rule.probability, bool) or not isinstance(rule.probability, (int, float)):
        raise ControlError(f"{where}: probability must be a number")
    if not 0.0 <= rule.probability <= 1.0:
        raise ControlError(f"{where}: probability must be between 0 and 1")
    if rule.region is not None and not isinstance(rule.region, str):
        raise ControlError(f"{where}: region must be a string or null")
    if (rule.kind == "error") != ("error_code" in raw):
        raise ControlError(f"{where}: error_code is required for kind error, and only for it")
    if rule.kind != "error" and ("status" in raw or "message" in raw):
        raise ControlError(f"{where}: status and message are only for kind error")
    if rule.error_code is not None and (
        not isinstance(rule.error_code, str) or not _ERROR_CODE_RE.fullmatch(rule.error_code)
    ):
        raise ControlError(f"{where}: error_code must be an AWS error code such as AccessDeniedException")
    if not is_int(rule.status, 400) or rule.status > 599:
        raise ControlError(f"{where}: status must be an HTTP error status (400-599)")
    if not isinstance(rule.message, str):
        raise ControlError(f"{where}: message must be a string")
    return rule


class Faults:
    """Ordered fault rules; the first firing non-latency rule wins, latency rules add up in front of it."""

    def __init__(self, operations: tuple[str, ...]) -> None:
        self.lock = threading.Lock()
        self.operations = operations
        self.rules: list[FaultRule] = []
        self.rng = random.Random()
        # At most this many injected failures in a row for one operation in one region (None: no limit); the
        # request after such a run is served (latency rules still apply). streaks counts the current runs.
        self.max_in_a_row: int | None = None
        self.streaks: dict[tuple[str, str | None], int] = {}

    def replace(self, payload: Any) -> dict[str, Any]:
        if not isinstance(payload, dict) or not isinstance(payload.get("rules"), list):
            raise ControlError('faults: body must be {"seed"?: int, "max_in_a_row"?: int, "rules": [...]}')
        unknown = sorted(set(payload) - {"seed", "max_in_a_row", "rules"})
        if unknown:
            raise ControlError(f"faults: unknown field(s) {', '.join(unknown)}")
        seed = payload.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ControlError("faults: seed must be an integer")
        in_a_row = payload.get("max_in_a_row")
        if in_a_row is not None and (isinstance(in_a_row, bool) or not isinstance(in_a_row, int) or in_a_row < 1):
            raise ControlError("faults: max_in_a_row must be an integer >= 1 or null (no limit)")
        rules = [_parse_rule(raw, i, self.operations) for i, raw in enumerate(payload["rules"])]
        with self.lock:
            self.rules = rules
            self.rng = random.Random(seed)
            self.max_in_a_row = in_a_row
            self.streaks = {}
        return self.view()

    def clear(self) -> None:
        with self.lock:
            self.rules = []
            self.max_in_a_row = None
            self.streaks = {}

    def view(self) -> dict[str, Any]:
        with self.lock:
            return {"max_in_a_row": self.max_in_a_row, "rules": [asdict(rule) for rule in self.rules]}

    def pick(self, operation: str, region: str | None, page: int | None) -> tuple[FaultRule | None, int]:
        """(the firing fault rule or None, total injected latency in ms) for one request."""
        latency = 0
        with self.lock:
            streak = self.streaks.get((operation, region), 0)
            rested = self.max_in_a_row is not None and streak >= self.max_in_a_row
            for rule in self.rules:
                if not rule.applies(operation, region, page):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip or (rule.count is not None and rule.fired >= rule.count):
                    continue
                if rested and rule.kind != "latency":
                    continue
                if rule.probability < 1.0 and self.rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                if rule.kind == "latency":
                    latency += rule.latency_ms
                    continue
                self.streaks[(operation, region)] = streak + 1
                return rule, latency
            self.streaks[(operation, region)] = 0
        return None, latency


class Stats:
    """Counters for every non-control request; read by tests and by benchmarks (server_seconds)."""

    def __init__(self, operations: tuple[str, ...], pages: dict[str, str]) -> None:
        self.lock = threading.Lock()
        self.operations = operations
        self.page_stats = pages  # List operation -> the field counting its requests per page
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.total = 0
            self.requests = dict.fromkeys(self.operations, 0)
            self.faults = dict.fromkeys(KINDS, 0)
            self.pages: dict[str, dict[str, int]] = {stat: {} for stat in self.page_stats.values()}
            self.log: deque[dict[str, Any]] = deque(maxlen=LOG_LIMIT)
            self.server_seconds = 0.0
            self.by_account: dict[str, dict[str, int]] = {}  # account (of the signing access key) -> operation -> n

    def record(self, entry: dict[str, Any], fault: str | None, latency_ms: int, seconds: float) -> None:
        with self.lock:
            self.total += 1
            self.requests[entry["operation"]] += 1
            if entry.get("account"):
                counts = self.by_account.setdefault(entry["account"], {})
                counts[entry["operation"]] = counts.get(entry["operation"], 0) + 1
            if fault:
                self.faults[fault] += 1
            if latency_ms:
                self.faults["latency"] += 1
            page = entry.get("page")
            if page is not None:
                pages = self.pages[self.page_stats[entry["operation"]]]
                pages[str(page)] = pages.get(str(page), 0) + 1
            self.server_seconds += seconds
            self.log.append(entry)

    def view(self) -> dict[str, Any]:
        with self.lock:
            return {
                "total": self.total,
                "requests": dict(self.requests),
                "faults": dict(self.faults),
                **{stat: dict(sorted(p.items(), key=lambda kv: int(kv[0]))) for stat, p in self.pages.items()},
                "log": list(self.log),
                "server_seconds": self.server_seconds,
                "by_account": {account: dict(counts) for account, counts in sorted(self.by_account.items())},
            }


def _dropped(environ: dict[str, Any], body: bytes) -> Iterator[bytes]:
    """Send the status line, headers and half the body as one chunk, then cut the connection.

    Chunked on purpose: botocore reads with ``enforce_content_length=False``, so a short body under a
    Content-Length would pass silently, whereas a chunked body that just stops is a ProtocolError that
    botocore reports as ConnectionClosedError (and retries), which is what a dropped connection looks like.
    """
    yield body[: len(body) // 2]
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    # A ConnectionError is what werkzeug treats as "client went away": no traceback, connection closed.
    raise ConnectionAbortedError("fault injection: connection dropped mid-body")


def _moto_reset() -> None:
    from moto.moto_api._internal import moto_api_backend

    moto_api_backend.reset()


class ControlMiddleware:
    """Wraps moto's WSGI app; see README.md for the control API contract."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        store: Store,
        tables: Sequence[ResourceTable],
        trust: sts.Trust = sts.TRUST,
    ) -> None:
        self.app = app
        self.trust = trust
        self.store = store
        self.tables = tuple(tables)  # the resource tables (resources.py): their operations, pages and routes
        operations = (*BASE_OPERATIONS, *(op for t in self.tables for op in t.operations.values()), *SHARED_OPERATIONS)
        self.paged: dict[str, Any] = {LIST: store, **{t.operations["list"]: t for t in self.tables}}
        self.faults = Faults(operations)
        self.stats = Stats(
            operations, {LIST: "list_pages", **{t.operations["list"]: t.pages_stat for t in self.tables}}
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path.startswith(CONTROL_PREFIX):
            return self._control(environ, start_response, path[len(CONTROL_PREFIX) :].rstrip("/"))
        if path.startswith("/moto-api"):  # moto's own control plane: not counted; its reset also resets ours
            if path.rstrip("/") == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
                self.reset(moto=False)
            return self.app(environ, start_response)
        return self._serve(environ, start_response, path)

    def reset(self, moto: bool = True) -> None:
        self.store.reset()
        for table in self.tables:
            table.reset()
        self.faults.clear()
        self.stats.reset()
        self.trust.reset()
        if moto:
            _moto_reset()

    # Bedrock (and any other AWS) requests

    def _serve(self, environ: dict[str, Any], start_response: StartResponse, path: str) -> Iterable[bytes]:
        started = time.perf_counter()
        operation = classify(environ.get("REQUEST_METHOD", "GET"), path, self.tables)
        form = _sts_form(environ)
        if form is not None and form.get("Action") in sts.OPERATIONS:
            operation = form["Action"]
        region = region_of(environ)
        # time: when the request arrived, on the machine's monotonic clock (the same clock as time.monotonic()
        # in any other process here), so a benchmark can place requests on its own timeline.
        entry: dict[str, Any] = {"operation": operation, "region": region, "time": time.monotonic()}
        account = sts.account_of(environ.get("HTTP_AUTHORIZATION", ""))
        if account:
            entry["account"] = account
        page = None
        if operation in self.paged:
            query: dict[str, str] = {}
            for key, value in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True):
                query.setdefault(key, value)
            page = self.paged[operation].token_page(query.get("nextToken"))
            entry["page"] = page
            entry["query"] = query
        # AWS refuses a signature scoped to a region the service does not run in before anything else (faults too).
        unserved = unserved_region(environ)
        rule, latency_ms = (None, 0) if unserved else self.faults.pick(operation, region, page)
        fault = rule.kind if rule else None
        refused = self.trust.refusal(form) if operation == sts.ASSUME_ROLE and form is not None else None
        if latency_ms:
            time.sleep(latency_ms / 1000)
        if unserved:
            message = UNSERVED_REGION_MESSAGE.format(unserved)
            status, headers, body = aws_error("403 Forbidden", "InvalidSignatureException", message)
        elif rule is not None and rule.error_code is not None:
            reason = _HTTP_REASONS.get(rule.status, "Error")
            status, headers, body = aws_error(f"{rule.status} {reason}", rule.error_code, rule.message)
        elif fault == "throttle":
            status, headers, body = aws_error("429 Too Many Requests", "ThrottlingException", THROTTLE_MESSAGE)
        elif fault == "error500":
            status, headers, body = aws_error("500 Internal Server Error", "InternalServerException", INTERNAL_MESSAGE)
        elif refused is not None:
            body = sts.error_body(*refused, str(uuid.uuid4()))
            status, headers = "403 Forbidden", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))]
        else:
            status, headers, body = self._call_app(environ)
        seconds = time.perf_counter() - started
        entry["status"] = int(status.split(None, 1)[0])
        if fault or latency_ms:
            entry["fault"] = fault or "latency"
        if latency_ms:
            entry["latency_ms"] = latency_ms
        entry["elapsed_ms"] = round(seconds * 1000, 3)
        self.stats.record(entry, fault, latency_ms, seconds)
        if fault == "drop":
            start_response(status, [(k, v) for k, v in headers if k.lower() != "content-length"])
            return _dropped(environ, body)
        start_response(status, headers)
        return [body]

    def _call_app(self, environ: dict[str, Any]) -> Response:
        """Run moto to completion and buffer its answer, so faults and timing can wrap it."""
        captured: list[Any] = []
        chunks: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured[:] = [status, headers]
            return chunks.append

        try:
            result = self.app(environ, capture)
            try:
                chunks.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception:
            traceback.print_exc()
            return aws_error("500 Internal Server Error", "InternalServerException", INTERNAL_MESSAGE)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in captured[1] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        return captured[0], headers, body

    # control API

    def _control(self, environ: dict[str, Any], start_response: StartResponse, route: str) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        handlers: dict[tuple[str, str], Callable[[Any], Any]] = {
            ("POST", "reset"): self._control_reset,
            ("POST", "models"): lambda body: {"model_arn": self.store.register_model(body)},
            ("POST", "models/status"): lambda body: pin_model_status(self.store, body),
            ("POST", "seed"): lambda body: seed(self.store, body),
            ("POST", "lifecycle"): self.store.set_lifecycle,
            ("GET", "lifecycle"): lambda _: self._lifecycle_view(),
            ("PUT", "faults"): self.faults.replace,
            ("GET", "faults"): lambda _: self.faults.view(),
            ("DELETE", "faults"): self._control_clear_faults,
            ("GET", "stats"): lambda _: self.stats.view(),
            ("POST", "stats/reset"): self._control_reset_stats,
            **{route: h for table in self.tables for route, h in routes(table).items()},
            **sts.control_routes(self.trust),
        }
        handler = handlers.get((method, route))
        if handler is None:
            known = any(r == route for _dummy, r in handlers)
            status = "405 Method Not Allowed" if known else "404 Not Found"
            return _json(start_response, status, {"error": f"no control operation {method} {CONTROL_PREFIX}{route}"})
        try:
            result = handler(_read_json(environ))
        except ControlError as exc:
            return _json(start_response, "400 Bad Request", {"error": str(exc)})
        return _json(start_response, "200 OK", result)

    def _control_reset(self, body: Any) -> dict[str, Any]:
        self.reset()
        return {"reset": True}

    def _control_clear_faults(self, body: Any) -> dict[str, Any]:
        self.faults.clear()
        return {"rules": []}

    def _control_reset_stats(self, body: Any) -> dict[str, Any]:
        self.stats.reset()
        return self.stats.view()

    def _lifecycle_view(self) -> dict[str, Any]:
        with self.store.lock:
            return self.store.lifecycle.view()


def _sts_form(environ: dict[str, Any]) -> dict[str, str] | None:
    """The parameters of an STS request (signed for the sts service), its body put back for moto; else None."""
    match = _SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not match or match.group(2) != "sts":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return sts.form_of(body)


def _read_json(environ: dict[str, Any]) -> Any:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ControlError("the request body is not valid JSON") from None


def _json(start_response: StartResponse, status: str, payload: Any) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
