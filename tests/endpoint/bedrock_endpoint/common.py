"""What every resource of the Bedrock test endpoint shares: errors, validation from botocore's service model,
timestamps, ids, control-API payload checks and signed paging tokens.

Each resource (copy_jobs.py, and one file per further resource) keeps its own records, store and lifecycle and
uses these, so all of them validate, page and fail the same way.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import re
import string
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.utilities.utils import get_partition

from . import DEFAULT_ACCOUNT_ID

TOKEN_TTL_SECONDS = 24 * 3600
_ID_ALPHABET = string.ascii_lowercase + string.digits
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_REGION_RE = re.compile(r"[a-z0-9-]{1,20}")
_ACCOUNT_RE = re.compile(r"[0-9]{12}")
_KINDS: dict[str, type] = {"string": str, "integer": int, "list": list}


class BedrockError(JsonRESTError):
    """A rest-json error (``x-amzn-ErrorType`` header, ``{"__type", "message"}`` body) botocore maps to ClientError."""

    def __init__(self, error_type: str, message: str, status: int = 400) -> None:
        super().__init__(error_type, message)
        self.code = status


def validation_error(message: str) -> BedrockError:
    return BedrockError("ValidationException", message)


def not_found(message: str) -> BedrockError:
    return BedrockError("ResourceNotFoundException", message, 404)


class ControlError(ValueError):
    """A bad control-API payload; answered with HTTP 400 and ``{"error": message}``."""


# --- constraints from the service model -------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    min: int | None
    max: int | None
    pattern: str | None
    regex: re.Pattern[str] | None
    enum: tuple[str, ...]


@functools.lru_cache(maxsize=None)
def constraint(shape_name: str) -> Constraint:
    shape = service_model().shape_for(shape_name)
    meta = shape.metadata
    pattern = meta.get("pattern")
    enum = tuple(getattr(shape, "enum", None) or ())
    return Constraint(meta.get("min"), meta.get("max"), pattern, re.compile(pattern) if pattern else None, enum)


@functools.lru_cache(maxsize=None)
def service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("bedrock")


class Errors:
    """Collects constraint violations and words them like AWS ("2 validation errors detected: ...")."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, value: Any, where: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{value}'"
        self.items.append(f"Value {shown} at '{where}' failed to satisfy constraint: {constraint}")

    def typed(self, value: Any, kind: str, where: str, required: bool = False) -> bool:
        """Whether `value` is given and of `kind` (string, integer, list); a missing required one is an error."""
        if value is None:
            if required:
                self.add(None, where, "Member must not be null")
            return False
        if isinstance(value, bool) or not isinstance(value, _KINDS[kind]):
            self.add(value, where, f"Member must be a{'n' if kind[0] in 'aeiou' else ''} {kind}")
            return False
        return True

    def string(self, value: Any, shape: str, where: str, required: bool = False) -> bool:
        if not self.typed(value, "string", where, required):
            return False
        c = constraint(shape)
        before = len(self.items)
        if c.enum and value not in c.enum:
            self.add(value, where, f"Member must satisfy enum value set: [{', '.join(c.enum)}]")
        if c.min is not None and len(value) < c.min:
            self.add(value, where, f"Member must have length greater than or equal to {c.min}")
        if c.max is not None and len(value) > c.max:
            self.add(value, where, f"Member must have length less than or equal to {c.max}")
        if c.regex is not None and not c.regex.fullmatch(value):
            self.add(value, where, f"Member must satisfy regular expression pattern: {c.pattern}")
        return len(self.items) == before

    def message(self) -> str | None:
        if not self.items:
            return None
        n = len(self.items)
        return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(self.items)

    def raise_validation(self) -> None:
        msg = self.message()
        if msg:
            raise validation_error(msg)

    def raise_control(self, prefix: str = "") -> None:
        msg = self.message()
        if msg:
            raise ControlError(prefix + msg)


class QueryReader:
    """Reads a List* operation's query parameters (wire names) as its service model constrains them.

    Every violation goes to ``errors``, so one response names all of them; ``raise_validation`` ends the read.
    """

    def __init__(self, query: Mapping[str, str]) -> None:
        self.query = query
        self.errors = Errors()

    def timestamp(self, name: str) -> int | None:
        raw = self.query.get(name)
        if raw is None:
            return None
        value = parse_timestamp(raw)
        if value is None:
            self.errors.add(raw, name, "Member must be a timestamp in ISO 8601 format or epoch seconds")
        return value

    def text(self, name: str, shape: str, where: str | None = None) -> str | None:
        raw = self.query.get(name)
        return raw if self.errors.string(raw, shape, where or name) else None

    def max_results(self, limit: int) -> int:
        """maxResults, 1..limit; ``limit`` when not given (AWS documents no default)."""
        raw = self.query.get("maxResults")
        if raw is None:
            return limit
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", raw.strip()):
            self.errors.add(raw, "maxResults", "Member must be an integer")
            return limit
        value = int(raw)
        if value < 1:
            self.errors.add(raw, "maxResults", "Member must have value greater than or equal to 1")
        elif value > limit:
            self.errors.add(raw, "maxResults", f"Member must have value less than or equal to {limit}")
        return value

    def raise_validation(self) -> None:
        self.errors.raise_validation()


# --- time ---------------------------------------------------------------------------------------------


def parse_timestamp(raw: Any) -> int | None:
    """ISO-8601 (naive = UTC) or epoch seconds -> integer microseconds since the epoch; None if unparseable."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return None
    text = repr(raw) if isinstance(raw, (int, float)) else raw.strip()
    if not text:
        return None
    try:
        return round(float(text) * 1_000_000)
    except (ValueError, OverflowError):
        pass
    try:
        dt = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "zZ" else text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    delta = dt - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def format_timestamp(us: int) -> str:
    """Microseconds -> ISO-8601 UTC with milliseconds (microseconds only when they are not whole ms)."""
    dt = _EPOCH + timedelta(microseconds=us)
    frac = f"{dt.microsecond // 1000:03d}" if dt.microsecond % 1000 == 0 else f"{dt.microsecond:06d}"
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{frac}Z"


def now_us() -> int:
    return time.time_ns() // 1_000_000 * 1000  # whole milliseconds, like AWS timestamps


_ID_TABLE = bytes(ord(_ID_ALPHABET[b % 36]) for b in range(256))


def new_id() -> str:
    """12 random lowercase alphanumerics (the id format of model-copy-job and custom-model ARNs)."""
    return os.urandom(12).translate(_ID_TABLE).decode()


@functools.lru_cache(maxsize=None)
def served_regions() -> frozenset[str]:
    """The regions the endpoint answers for: every region botocore lists Bedrock in, in any partition.

    moto has a Bedrock backend for exactly these; a request signed for any other region is refused as AWS
    refuses a signature scoped to a region the service does not run in (see control.py).
    """
    import botocore.session

    session = botocore.session.get_session()
    partitions = session.get_available_partitions()
    return frozenset(region for p in partitions for region in session.get_available_regions("bedrock", p))


@functools.lru_cache(maxsize=None)
def partition_of(region: str) -> str:
    return get_partition(region)


def stable_id(*parts: str) -> str:
    n = int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:10], "big")
    out = []
    for _dummy in range(12):
        n, r = divmod(n, 36)
        out.append(_ID_ALPHABET[r])
    return "".join(out)


def tag_list(errors: Errors, raw: Any, where: str, required: bool = False, limit: int | None = 200) -> dict[str, str]:
    """A request's TagList ([{key, value}], at most `limit`, unique keys) as a dict; problems go to `errors`."""
    out: dict[str, str] = {}
    if not errors.typed(raw, "list", where, required):
        return out
    if limit is not None and len(raw) > limit:
        errors.add(f"[{len(raw)} tags]", where, f"Member must have length less than or equal to {limit}")
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


def tags_to_list(tags: Any, where: str) -> list[dict[str, str]]:
    if tags is None:
        return []
    if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        raise ControlError(f"{where} must be an object of string keys and values")
    return [{"key": k, "value": v} for k, v in tags.items()]


def check_keys(payload: Any, allowed: Iterable[str], where: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ControlError(f"{where} must be a JSON object")
    unknown = sorted(set(payload) - set(allowed))
    if unknown:
        raise ControlError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
    return payload


def control_region(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _REGION_RE.fullmatch(value):
        raise ControlError(f"{where}: 'region' is required and must look like us-east-1")
    if value not in served_regions():
        raise ControlError(f"{where}: region '{value}' is not served here (only the regions botocore lists Bedrock in)")
    return value


def control_account(value: Any, where: str) -> str:
    if value is None:
        return DEFAULT_ACCOUNT_ID
    if not isinstance(value, str) or not _ACCOUNT_RE.fullmatch(value):
        raise ControlError(f"{where}: account ids are 12 digits")
    return value


# --- paging tokens: HMAC-signed cursors, never offsets ----------------------------------------------


class PageTokens:
    """Issues and opens nextTokens: a signed cursor (the last item's sort key) bound to one request's filters.

    A token is refused when it is not ours, was issued for other filters or sort order, is older than
    TOKEN_TTL_SECONDS, or was issued before the last reset (``generation``).
    """

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def issue(self, generation: int, fingerprint: str, page: int, key: tuple[int, str]) -> str:
        payload = json.dumps([1, generation, int(time.time()), fingerprint, page, key[0], key[1]])
        body = base64.urlsafe_b64encode(payload.replace(" ", "").encode()).rstrip(b"=")
        sig = base64.urlsafe_b64encode(hmac.new(self._secret, body, hashlib.sha256).digest()[:18])
        return (body + b"." + sig).decode()

    def decode(self, token: str) -> list[Any] | None:
        body, _dummy, sig = token.encode().partition(b".")
        expected = base64.urlsafe_b64encode(hmac.new(self._secret, body, hashlib.sha256).digest()[:18])
        if not body or not hmac.compare_digest(sig, expected):
            return None
        try:
            fields = json.loads(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))
        except (ValueError, binascii.Error):
            return None
        return fields if isinstance(fields, list) and len(fields) == 7 and fields[0] == 1 else None

    def open(self, token: str, generation: int, fingerprint: str) -> tuple[tuple[int, str], int]:
        """(cursor key, page number) of a token, or a ValidationException saying why it is refused."""
        fields = self.decode(token)
        if fields is None:
            raise validation_error("Invalid nextToken: the token is malformed or was not issued by this service.")
        _dummy, token_generation, issued, token_fingerprint, page, creation_us, item_id = fields
        if token_generation != generation or time.time() - issued > TOKEN_TTL_SECONDS:
            raise validation_error("Invalid nextToken: the token has expired. Start again without a nextToken.")
        if token_fingerprint != fingerprint:
            raise validation_error(
                "Invalid nextToken: the token was issued for a request with different filters or sort order."
            )
        return (creation_us, item_id), page

    def page_of(self, token: str | None) -> int | None:
        """The 1-based page a request asks for (1 without a token; None if the token is bad)."""
        if not token:
            return 1
        fields = self.decode(token)
        return fields[4] if fields is not None else None
