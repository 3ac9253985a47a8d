"""STS as the collection's cross-account reads need it: moto's AssumeRole, refused on demand, with short sessions.

moto serves AssumeRole and GetCallerIdentity itself; the temporary access key it issues belongs to the role's
account (moto's own access-key -> account mapping, ``account_of``), so every Bedrock request signed with it runs
in that account, and a job created in one account is invisible to another. This adds what moto lacks:

- a role whose trust is refused (``POST sts/refuse``): its AssumeRole fails as AWS's does, HTTP 403 with the error
  code given (``AccessDenied`` by default), optionally only for a request without the right ``external_id``
  (a trust policy's sts:ExternalId condition);
- a cap on the sessions' length (``POST sts/session-seconds``): AssumeRole's DurationSeconds is at least 900, so
  the Expiration returned is capped instead, and botocore refreshes the credentials as they near it.

Both are cleared by a reset.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qsl, unquote

from moto.iam.models import get_account_id_from
from moto.sts.models import STSBackend

from .common import ControlError, check_keys

ASSUME_ROLE, CALLER_IDENTITY = "AssumeRole", "GetCallerIdentity"
OPERATIONS = (ASSUME_ROLE, CALLER_IDENTITY)
_ERROR_CODES = ("AccessDenied", "InvalidClientTokenId", "ExpiredToken", "RegionDisabledException")


class Trust:
    """Which roles refuse to be assumed, and how long the sessions last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.refused: dict[str, dict[str, Any]] = {}
            self.session_seconds: int | None = None
            # The secret keys of the sessions issued: tests look for them in output, where they must never be.
            self.issued: list[str] = []

    def refuse(self, payload: Any) -> dict[str, Any]:
        p = check_keys(payload, {"role_arn", "error_code", "external_id"}, "sts/refuse")
        role = p.get("role_arn")
        if not isinstance(role, str) or not role.startswith("arn:") or ":role/" not in role:
            raise ControlError("sts/refuse: 'role_arn' is required, an IAM role ARN")
        code = p.get("error_code", "AccessDenied")
        if code not in _ERROR_CODES:
            raise ControlError(f"sts/refuse: error_code must be one of {', '.join(_ERROR_CODES)}")
        external = p.get("external_id")
        if external is not None and not isinstance(external, str):
            raise ControlError("sts/refuse: external_id is a string (the one the role's trust requires)")
        with self.lock:
            self.refused[role] = {"error_code": code, "external_id": external}
            return {"refused": dict(self.refused), "session_seconds": self.session_seconds}

    def set_session_seconds(self, payload: Any) -> dict[str, Any]:
        p = check_keys(payload, {"seconds"}, "sts/session-seconds")
        seconds = p.get("seconds")
        if seconds is not None and (not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 1):
            raise ControlError("sts/session-seconds: seconds is a whole number of at least 1, or null (no cap)")
        with self.lock:
            self.session_seconds = seconds
            return {"refused": dict(self.refused), "session_seconds": seconds}

    def view(self) -> dict[str, Any]:
        with self.lock:
            return {
                "refused": dict(self.refused),
                "session_seconds": self.session_seconds,
                "issued_secret_keys": list(self.issued),
            }

    def refusal(self, form: dict[str, str]) -> tuple[str, str] | None:
        """(error code, message) when this AssumeRole request is refused, else None."""
        role = form.get("RoleArn", "")
        with self.lock:
            rule = self.refused.get(role)
        if rule is None:
            return None
        if rule["external_id"] is not None and form.get("ExternalId") == rule["external_id"]:
            return None
        return rule["error_code"], f"Not authorized to perform sts:AssumeRole on resource: {role}"

    def capped(self, duration: int) -> int:
        with self.lock:
            return duration if self.session_seconds is None else min(duration, self.session_seconds)


TRUST = Trust()


def install(trust: Trust = TRUST) -> None:
    """Cap the sessions moto's AssumeRole issues (its Expiration is now + the duration)."""
    original = STSBackend.assume_role

    def assume_role(self: STSBackend, **kwargs: Any) -> Any:
        kwargs["duration"] = trust.capped(int(kwargs["duration"]))
        role = original(self, **kwargs)
        with trust.lock:
            trust.issued.append(role.secret_access_key)
        return role

    STSBackend.assume_role = assume_role  # type: ignore[method-assign]


def control_routes(trust: Trust = TRUST) -> dict[tuple[str, str], Any]:
    return {
        ("POST", "sts/refuse"): trust.refuse,
        ("POST", "sts/session-seconds"): trust.set_session_seconds,
        ("GET", "sts"): lambda _body: trust.view(),
    }


def form_of(body: bytes) -> dict[str, str]:
    """The parameters of a query-protocol (STS) request body."""
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def account_of(authorization: str) -> str | None:
    """The account a request runs in: moto's mapping of the access key that signed it (None: unsigned)."""
    marker = "Credential="
    if marker not in authorization:
        return None
    access_key = unquote(authorization.split(marker, 1)[1].split("/", 1)[0])
    return get_account_id_from(access_key)


def error_body(code: str, message: str, request_id: str) -> bytes:
    """An STS (query protocol) error document, as AWS sends it."""
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()
