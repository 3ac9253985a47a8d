# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What every Bedrock resource's calls share: errors, the retry of one request, and paged listings.

The resource modules (``_copy_jobs`` and the others) describe their operations and call these; nothing
here knows a resource. Functions take a boto3 ``bedrock`` client and never an Ansible module.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import re
import urllib.parse
from random import random as _random
from time import monotonic as _monotonic
from time import sleep as _sleep
from typing import Any, Callable, Iterator

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore to the user.

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)

from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import (
    PollCutShort,
    backoff_delay,
    timed_out_message,
)

PAGE_SIZE_MAX = 1000
# The caller's own next_token is the one thing a first page can be refused for: say which option and what to do.
NEXT_TOKEN_REJECTED = (
    "next_token: Bedrock refused it; a next_token expires and only continues the listing it came from (same"
    " filters, sort order and region), so list again without next_token"
)

# Our name for a connection lost mid-request (closed before a whole response came, read timeout): botocore
# raises those as BotoCoreError, which AWSRetry ignores, so call() re-raises them as a ClientError with this
# code and they are retried. A connection that cannot be made at all is not retried: see cannot_connect().
CONNECTION_ERROR_CODE = "RequestConnectionError"
# AWSRetry's built-in list knows neither Bedrock's throttle code nor its 500.
THROTTLE_CODES = ("ThrottlingException", "TooManyRequestsException", "Throttling")
SERVER_ERROR_CODES = ("InternalServerException", "ServiceUnavailableException")
RETRYABLE_CODES = [*THROTTLE_CODES, *SERVER_ERROR_CODES, CONNECTION_ERROR_CODE]
NO_CREDENTIALS = (
    "no AWS credentials found; give access_key and secret_key (or profile), or set AWS_ACCESS_KEY_ID and"
    " AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)"
)


class AnsibleBedrockError(AnsibleAWSError):
    pass


class RetriesExhausted(AnsibleBedrockError):
    """A request kept failing with a retryable error until its retry budget (or its attempts) ran out."""


class RetriesCutShort(RetriesExhausted, PollCutShort):
    """A request of a wait kept failing with a retryable error until the wait's deadline: a timeout of the wait."""


class EndpointUnreachable(AnsibleBedrockError):
    """No connection could be made to the endpoint; the request was sent once and not retried.

    ``url`` is the endpoint (or proxy) URL botocore could not connect to, when it said which.
    """

    @property
    def url(self) -> str | None:
        return self.kwargs.get("url")


class BedrockErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleBedrockError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# How long a request is retried unless the user chose a number of attempts (max_attempts): throttling of one
# request for up to this many seconds never fails a task (amazon.aws's own waits allow about as long).
RETRY_BUDGET = 300.0
# Capped exponential backoff with full jitter, as botocore's standard retry mode spaces its retries.
BACKOFF_BASE = 1.0
BACKOFF_CAP = 20.0
# Test-only, not a supported setting: "BASE,CAP" in seconds (e.g. "0.01,0.05"), so that tests of many throttles
# through a real task take seconds. Read here and nowhere else.
TEST_BACKOFF_ENV = "AMAZON_BEDROCK_TEST_BACKOFF"


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How one request is retried: exponential backoff with full jitter, on a time budget.

    After the n-th failed attempt the request waits a random time between 0 and min(max_delay, delay * 2 ** (n - 1))
    and is sent again, until ``budget`` seconds have passed since its first attempt, or until ``deadline`` (a time
    on ``clock``; see ``until``). The last pause is cut short to end there and is followed by one last attempt, so
    a request that keeps failing fails within the budget plus one attempt. ``attempts`` (the user's max_attempts)
    bounds the number of attempts as well.
    """

    budget: float | None = RETRY_BUDGET
    attempts: int | None = None
    delay: float = BACKOFF_BASE
    max_delay: float = BACKOFF_CAP
    deadline: float | None = None
    clock: Callable[[], float] | None = None
    sleep: Callable[[float], None] | None = None
    jitter: Callable[[], float] | None = None  # a number in [0, 1)

    def now(self) -> float:
        return (self.clock or _monotonic)()

    def until(self, timeout: float) -> RetryPolicy:
        """This policy for the requests of a wait ending ``timeout`` seconds from now: they retry for the time the
        wait has left, neither less (a throttle never ends a wait early) nor more (nor does it carry it past)."""
        return dataclasses.replace(self, budget=None, attempts=None, deadline=self.now() + timeout)

    def configured(self, attempts: int | None) -> RetryPolicy:
        """This policy with the attempts the user configured (``None``: none) instead of the time budget; a wait's
        policy (``until``) and one that counts attempts already are kept as they are."""
        if attempts is None or self.deadline is not None or self.attempts is not None:
            return self
        return dataclasses.replace(self, budget=None, attempts=attempts)

    def pause(self, failed: int) -> float:
        """The pause after the ``failed``-th failed attempt."""
        ceiling = backoff_delay(failed, self.delay, self.max_delay)
        return (self.jitter or _random)() * ceiling


def _default_retry() -> RetryPolicy:
    value = os.environ.get(TEST_BACKOFF_ENV)
    if not value:
        return RetryPolicy()
    base, cap = (float(part) for part in value.split(","))
    return RetryPolicy(delay=base, max_delay=cap)


DEFAULT_RETRY = _default_retry()
# The attribute of a boto3 client that holds the max_attempts its user configured (set by ``_clients``).
CONFIGURED_ATTEMPTS = "_amazon_bedrock_max_attempts"


def keep_timestamps_as_text(client: Any) -> Any:
    """Have ``client`` return timestamps as the ISO-8601 text Bedrock sent; returns ``client``.

    botocore parses every timestamp with dateutil (about 0.1 ms each: a second per 10,000 listed jobs,
    most of a listing's client time) and ``_facts.iso_utc`` turns it straight back into text. The AWS
    CLI skips that parse the same way. botocore offers the switch on the response parser factory, which
    belongs to the session; ``module.client()`` makes a session per client, so only this client changes.
    A client without that factory (a test double, a future botocore) is left as it is: slower, same facts.
    """
    factory: Any = getattr(getattr(client, "_endpoint", None), "_response_parser_factory", None)
    if factory is not None and hasattr(factory, "set_parser_defaults"):
        factory.set_parser_defaults(timestamp_parser=_as_text)
    return client


def configure_attempts(client: Any, attempts: int | None) -> Any:
    """Have ``call`` make at most ``attempts`` attempts per request of ``client`` (the user's max_attempts; None:
    retry on the time budget); returns ``client``."""
    setattr(client, CONFIGURED_ATTEMPTS, attempts)
    return client


def _as_text(value: Any) -> Any:
    return value


def _failure_kind(code: str) -> str:
    if code in THROTTLE_CODES:
        return "throttled"
    if code == CONNECTION_ERROR_CODE:
        return "lost the connection"
    return "got a server error"


def cannot_connect(error: BaseException) -> bool:
    """No connection could be made: refused, host name not resolved, connect timeout, proxy or TLS failure.

    botocore raises each of those as a ``ConnectionError`` (EndpointConnectionError, ConnectTimeoutError,
    ProxyConnectionError, SSLError). The same request would meet the same wall: a typo in ``endpoint_url``, a
    blocked network. A connection lost once it was made (ConnectionClosedError, ReadTimeoutError: botocore's
    ``HTTPClientError``) is another matter: the next attempt may well get through.
    """
    return isinstance(error, botocore.exceptions.ConnectionError)


def error_cause(error: BaseException) -> BaseException | None:
    """The exception behind one of our errors (or behind any chained exception)."""
    return getattr(error, "exception", None) or error.__cause__


def error_code(error: BaseException) -> str | None:
    """The AWS error code behind ``error`` (a ClientError, or our error wrapping one), if any."""
    for candidate in (error, error_cause(error)):
        response = getattr(candidate, "response", None)
        if isinstance(response, dict):
            return response.get("Error", {}).get("Code")
    return None


def is_transient(error: BaseException) -> bool:
    """Whether the same request may well succeed later: a throttle, a server error, a connection lost mid-request.

    The classification ``call()`` retries by, for callers that retry on their own schedule (the event source's
    polls). Everything else fails the same way every time: access denied, bad or missing credentials, a request
    Bedrock rejects, an endpoint no connection can be made to.
    """
    if isinstance(error, RetriesExhausted):
        return True
    if isinstance(error, EndpointUnreachable):
        return False
    cause = error_cause(error) if isinstance(error, AnsibleBedrockError) else error
    code = error_code(error)
    if code is not None:
        if code in RETRYABLE_CODES:
            return True
        status = getattr(cause, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500
    if cause is None or cannot_connect(cause):
        return False
    return isinstance(cause, botocore.exceptions.HTTPClientError)


# What urllib3 says after the connection's name: "Failed to establish a new connection: [Errno 111] Connection
# refused", "Failed to resolve 'host' ([Errno -2] Name or service not known)".
_CONNECT_REASON = re.compile(r"Failed to (?:establish a new connection|resolve)\b.*")
REASON_MAX = 160


def _origin(url: str) -> str:
    """scheme://host:port of ``url`` (its path and query, often hundreds of encoded characters, say nothing)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}" if parts.scheme and parts.netloc else url


def unreachable_message(description: str, error: BaseException) -> str:
    """One line: what failed, where it could not connect to (scheme, host and port) and why, and what to check."""
    kwargs = getattr(error, "kwargs", {})
    if kwargs.get("proxy_url") and not kwargs.get("endpoint_url"):
        where = f"the proxy {_origin(kwargs['proxy_url'])}"
    else:
        where = _origin(kwargs["endpoint_url"]) if kwargs.get("endpoint_url") else "the endpoint"
    detail = " ".join(str(kwargs.get("error") or "").split())
    found = _CONNECT_REASON.search(detail)
    reason = found.group(0) if found else detail or " ".join(str(error).split())
    if len(reason) > REASON_MAX:
        reason = reason[: REASON_MAX - 3] + "..."
    return (
        f"Failed to {description}: cannot connect to {where} ({type(error).__name__}: {reason}), not retried;"
        " check endpoint_url, the region and the network (proxy, firewall, TLS)"
    )


def call(retry: RetryPolicy, description: str, operation: Callable[..., dict], **params: Any) -> dict:
    """Send one request, retrying only that request.

    Throttles, server errors and connections lost mid-request are retried as ``retry`` says, with the
    max_attempts the client's user configured, if any (``RetryPolicy.configured``); a connection that cannot
    be made is not (EndpointUnreachable at once, see ``cannot_connect``). The one retry layer: botocore's own
    retries are off (``_clients``).
    """
    policy = retry.configured(getattr(getattr(operation, "__self__", None), CONFIGURED_ATTEMPTS, None))
    started = policy.now()
    ends = (policy.deadline, None if policy.budget is None else started + policy.budget)
    end = min((t for t in ends if t is not None), default=None)
    attempts = 0
    try:
        while True:
            attempts += 1
            try:
                return _send(operation, params)
            except botocore.exceptions.ClientError as e:
                if not AWSRetry.found(e.response["Error"]["Code"], RETRYABLE_CODES):
                    raise
                now = policy.now()
                if (policy.attempts is not None and attempts >= policy.attempts) or (end is not None and now >= end):
                    raise _exhausted(policy, description, e, attempts, now - started) from e
                pause = policy.pause(attempts)
                (policy.sleep or _sleep)(pause if end is None else min(pause, end - now))
    except botocore.exceptions.ConnectionError as e:
        # Its message says everything (the URL too): no exception attached, so no traceback behind it.
        url = e.kwargs.get("endpoint_url") or e.kwargs.get("proxy_url")
        raise EndpointUnreachable(message=unreachable_message(description, e), url=url) from e
    except botocore.exceptions.NoCredentialsError as e:
        # botocore's "Unable to locate credentials" says what is missing, not where to give it.
        raise AnsibleBedrockError(message=f"Failed to {description}: {NO_CREDENTIALS}", exception=e) from e


def _send(operation: Callable[..., dict], params: dict[str, Any]) -> dict:
    try:
        return operation(**params)
    except botocore.exceptions.HTTPClientError as e:
        error = {"Error": {"Code": CONNECTION_ERROR_CODE, "Message": str(e)}}
        raise botocore.exceptions.ClientError(error, getattr(operation, "__name__", "request")) from e


def _exhausted(
    policy: RetryPolicy, description: str, error: botocore.exceptions.ClientError, attempts: int, elapsed: float
) -> RetriesExhausted:
    code = error.response["Error"]["Code"]
    what = f"Failed to {description}: {_failure_kind(code)} ({code}) on"
    if policy.deadline is not None:  # a wait's request: only its deadline ends it
        message = f"{what} {attempts} attempt{'s' if attempts > 1 else ''} over {elapsed:.0f} s until wait_timeout"
        return RetriesCutShort(message=message, exception=error, attempts=attempts, elapsed=elapsed)
    every = f"all {attempts} attempts" if attempts > 1 else "its only attempt"
    return RetriesExhausted(
        message=f"{what} {every} over {elapsed:.0f} s", exception=error, attempts=attempts, elapsed=elapsed
    )


@dataclasses.dataclass(frozen=True)
class ListOperation:
    """A paged List* operation: its boto3 method, where a page keeps its items, and what names an item."""

    method: str
    items_key: str
    id_key: str
    description: str


class PagedListing:
    """A List* operation, page by page.

    Each page is requested with the nextToken of the page before it; a retry repeats only the
    page that failed, never the pages already read. ``limit`` caps the number of items returned
    (page size is min(1000, what is still wanted)); when it cuts the listing short,
    ``next_token`` resumes it. An item is returned once even if a server hands it out on two pages.
    """

    def __init__(
        self,
        client: Any,
        operation: ListOperation,
        filters: dict[str, Any],
        limit: int | None = None,
        next_token: str | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self._client = client
        self._operation = operation
        self._filters = filters
        self._limit = limit
        self._start_token = next_token
        self._retry = retry
        self.next_token: str | None = None
        self.pages = 0

    def __iter__(self) -> Iterator[dict]:
        operation = self._operation
        read_page = BedrockErrorHandler.common_error_handler(operation.description)(call)
        token = self._start_token
        seen: set[str] = set()
        while True:
            size = PAGE_SIZE_MAX if self._limit is None else min(PAGE_SIZE_MAX, self._limit - len(seen))
            params = dict(self._filters, maxResults=size)
            if token:
                params["nextToken"] = token
            description = f"{operation.description} (page {self.pages + 1})"
            try:
                page = read_page(self._retry, description, getattr(self._client, operation.method), **params)
            except AnsibleBedrockError as e:
                if self.pages == 0 and token and error_code(e) == "ValidationException":
                    raise AnsibleBedrockError(message=NEXT_TOKEN_REJECTED, exception=e.exception) from e
                raise
            self.pages += 1
            for item in page.get(operation.items_key, []):
                if item[operation.id_key] not in seen:
                    seen.add(item[operation.id_key])
                    yield item
            token = page.get("nextToken")
            if not token:
                self.next_token = None
                return
            if self._limit is not None and len(seen) >= self._limit:
                self.next_token = token
                return


def paged_listing(operation: ListOperation) -> Callable[..., PagedListing]:
    """A resource's PagedListing, called like one without the operation: (client, filters, limit, next_token, retry)."""

    def listing(client: Any, filters: dict[str, Any], *paging: Any, **named: Any) -> PagedListing:
        return PagedListing(client, operation, filters, *paging, **named)

    return listing


def _sent(retry: RetryPolicy, description: str, operation: Callable[..., dict], **params: Any) -> bool:
    call(retry, description, operation, **params)
    return True


# What Bedrock answers a change it will not make in the resource's present state.
STATE_REFUSALS = ("ValidationException", "ConflictException")


def send_change(
    what: str,
    identifier: str,
    operation: Callable[..., dict],
    retry: RetryPolicy,
    already: Callable[[], bool] | None = None,
    **params: Any,
) -> None:
    """An Update* (or other change) request on one resource; ``what``: the error's wording, as in "update X".

    An update carries no token: when an attempt's answer is lost (a connection cut once the request was sent) the
    retry may meet the change already under way and be refused ("is Updating"). So a refusal is asked about
    ``already`` (a read: is the change in effect or under way?), and is no failure when it is.
    """
    try:
        BedrockErrorHandler.common_error_handler(what)(_sent)(retry, f"{what} {identifier}", operation, **params)
    except AnsibleBedrockError as e:
        if already is None or error_code(e) not in STATE_REFUSALS or not already():
            raise


@dataclasses.dataclass(frozen=True)
class ModelSwitch:
    """An Update* request that points a resource at another model in place, declared once per resource: the client
    method ``operation`` (its errors worded "update ``what``"), the parameters that carry the resource's name or
    ARN (``id_param``) and the model (``model_param``). ``get`` reads the resource (None when unknown) for
    ``in_effect(found, model)``: whether a refused retry met the switch already under way or done (send_change).
    Called like the function it stands for: ``(client, identifier, model, retry)``."""

    what: str
    operation: str
    id_param: str
    model_param: str
    get: Callable[..., dict | None]
    in_effect: Callable[[dict, str], bool]

    def __call__(self, client: Any, identifier: str, model: str, retry: RetryPolicy = DEFAULT_RETRY) -> None:
        def already() -> bool:
            return self.in_effect(self.get(client, identifier, retry) or {}, model)

        params = {self.id_param: identifier, self.model_param: model}
        send_change(f"update {self.what}", identifier, getattr(client, self.operation), retry, already, **params)


def send_delete(what: str, identifier: str, operation: Callable[..., dict], retry: RetryPolicy, **params: Any) -> bool:
    """A Delete* request on one resource; False when it was already gone."""
    handled = BedrockErrorHandler.deletion_error_handler(what)(_sent)
    return bool(handled(retry, f"{what} {identifier}", operation, **params))


def shared_name_part(names: list[str]) -> str | None:
    """The longest text every name contains, usable as a *NameContains filter; None if there is none.

    A usable value starts with a letter or digit (the names' own pattern), so leading '-' or '_' are cut.
    """
    shortest = min(names, key=len)
    for length in range(len(shortest), 0, -1):
        for start in range(len(shortest) - length + 1):
            part = shortest[start : start + length].lstrip("-_")
            if part and all(part in name for name in names):
                return part
    return None


def unreachable_since_message(url: str | None, since: str, polls: int) -> str:
    """One line for a wait that ended while the endpoint it had already read could no longer be reached.

    ``since`` is when the first poll failed to connect (ISO-8601 UTC); ``polls`` how many failed.
    """
    return (
        f"Cannot connect to the endpoint {url or '(URL unknown)'} since {since}: {polls} poll(s) failed to connect"
        " and it was still unreachable when wait_timeout passed; what is returned is what the last successful"
        " poll read; check endpoint_url, the region and the network (proxy, firewall, TLS)"
    )


def utc_before(seconds: float, now: datetime.datetime | None = None) -> str:
    """The UTC time ``seconds`` before ``now`` (default: the current time), ISO-8601 to the second."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return (now - datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_unreachable(error: BaseException) -> bool:
    """A connection that could not be made (for a wait that already read the endpoint once: a passing outage)."""
    return isinstance(error, EndpointUnreachable)


def outage_failure(outcome: Any) -> dict[str, Any] | None:
    """How a task fails whose wait (``_waiting.WaitOutcome``) ended while the endpoint it had read could not be
    reached: ``msg`` (one line), ``endpoint_unreachable`` (the URL) and ``unreachable_since``; None if it had not.
    """
    if outcome.error is None:
        return None
    url = getattr(outcome.error, "url", None)
    since = utc_before(outcome.failing_for)
    msg = unreachable_since_message(url, since, outcome.failed_polls)
    return dict(msg=msg, endpoint_unreachable=url or "", unreachable_since=since)


def request_token(basis: list[Any]) -> str:
    """The clientRequestToken of a create: a hash of what the request asks for (``basis``, JSON-serialisable).

    Same request, same token, so a retried or repeated create makes one resource; a caller that must create
    again (the first one failed or was deleted since) puts what replaced it into ``basis``.
    """
    return "ansible-" + hashlib.sha256(json.dumps(basis).encode()).hexdigest()


def option_filters(options: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A List* operation's parameters from already-validated module options; ``names``: option -> parameter."""
    return {api: options[opt] for opt, api in names.items() if options.get(opt) is not None}


def listed(
    client: Any,
    operation: ListOperation,
    filters: dict[str, Any],
    options: dict[str, Any],
    key: str,
    to_facts: Callable[[dict], dict[str, Any]],
    retry: RetryPolicy = DEFAULT_RETRY,
) -> dict[str, Any]:
    """What an info module returns for one listing pass: the items as facts under ``key``, in the order listed,
    and ``next_token`` when the ``max_results`` option cut the listing short (its ``next_token`` resumes one)."""
    limit, token = options.get("max_results"), options.get("next_token")
    listing = PagedListing(client, operation, filters, limit=limit, next_token=token, retry=retry)
    result: dict[str, Any] = {key: [to_facts(item) for item in listing]}
    if listing.next_token:
        result["next_token"] = listing.next_token
    return result


# Tags of any Bedrock resource, by its ARN (TagResource, UntagResource, ListTagsForResource).


@BedrockErrorHandler.common_error_handler("list tags")
def list_tags(client: Any, arn: str, retry: RetryPolicy = DEFAULT_RETRY) -> dict[str, str]:
    response = call(retry, f"list tags of {arn}", client.list_tags_for_resource, resourceARN=arn)
    return boto3_tag_list_to_ansible_dict(response.get("tags") or [], "key", "value")


@BedrockErrorHandler.common_error_handler("tag resource")
def tag_resource(client: Any, arn: str, tags: dict[str, str], retry: RetryPolicy = DEFAULT_RETRY) -> None:
    tag_list = ansible_dict_to_boto3_tag_list(tags, "key", "value")
    call(retry, f"tag {arn}", client.tag_resource, resourceARN=arn, tags=tag_list)


@BedrockErrorHandler.common_error_handler("untag resource")
def untag_resource(client: Any, arn: str, keys: list[str], retry: RetryPolicy = DEFAULT_RETRY) -> None:
    call(retry, f"untag {arn}", client.untag_resource, resourceARN=arn, tagKeys=list(keys))


@dataclasses.dataclass(frozen=True)
class NamedResource:
    """What an info module of a named resource declares: how one is read by name or ARN (``get``, None when
    unknown; its ARN under ``arn_key``), how it is listed, and how either becomes facts (``to_facts(item, tags)``;
    ``tags`` None for a summary, whose facts are ``summary_facts``). ``key``: the result's list of facts."""

    key: str
    get: Callable[[Any, str], dict | None]
    arn_key: str
    to_facts: Callable[[dict, dict[str, str]], dict[str, Any]]
    listing: ListOperation
    filters: dict[str, str]  # module option -> List* parameter
    summary_facts: Callable[[dict], dict[str, Any]]


def named_list_filters(created_after: str, created_before: str) -> dict[str, str]:
    """Module option -> List* parameter for the filters of an ``_info`` module over a NamedResource (the options
    ``_task.named_info_args`` declares); resources name only their creation-time parameters differently."""
    return {
        "status": "statusEquals",
        "model_arn": "modelArnEquals",
        "name_contains": "nameContains",
        "creation_time_after": created_after,
        "creation_time_before": created_before,
        "sort_by": "sortBy",
        "sort_order": "sortOrder",
    }


def select_named(client: Any, resource: NamedResource, options: dict[str, Any]) -> dict[str, Any]:
    """One by the ``name`` option (a name or an ARN) with its tags, an empty list when Bedrock does not know it,
    or else one listing pass with the filters and paging the options give (see ``listed``)."""
    if options.get("name"):
        found = resource.get(client, options["name"])
        if not found:
            return {resource.key: []}
        return {resource.key: [resource.to_facts(found, list_tags(client, found[resource.arn_key]))]}
    filters = option_filters(options, resource.filters)
    return listed(client, resource.listing, filters, options, resource.key, resource.summary_facts)


def cut_short_failure(error: RetriesExhausted, what: str) -> dict[str, Any]:
    """How a task fails whose wait's deadline passed before any poll could read ``what``: timed out, with no facts
    (``error`` is the RetriesCutShort of the request that was still being retried then)."""
    elapsed = float(error.kwargs.get("elapsed") or 0.0)
    return dict(
        msg=timed_out_message(elapsed, f" before {what} could be read: {error.message}"),
        timed_out=True,
        polls=0,
        elapsed=round(elapsed, 1),
        unreachable_polls=0,
    )
