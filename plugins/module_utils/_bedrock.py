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
import re
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
    """A request kept failing with a retryable error until the attempts ran out."""


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


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How one request is retried: jittered exponential backoff, bounded in attempts and delay.

    Worst case with the defaults: 1 + 2 + 4 + 8 + 16 + 20 * 3 = 91 s of sleeping for one request,
    on top of botocore's own retries (AWS_MAX_ATTEMPTS / AWS_RETRY_MODE tune those).
    """

    attempts: int = 9
    delay: float = 1.0
    max_delay: float = 20.0

    def decorator(self) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
        return AWSRetry.jittered_backoff(
            retries=self.attempts,
            delay=self.delay,
            backoff=2.0,
            max_delay=self.max_delay,
            catch_extra_error_codes=RETRYABLE_CODES,
        )


DEFAULT_RETRY = RetryPolicy()


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


def unreachable_message(description: str, error: BaseException) -> str:
    """One line: what failed, the URL botocore could not connect to and why, and that it was not retried."""
    text = " ".join(str(error).split())
    url = getattr(error, "kwargs", {}).get("endpoint_url")
    if url and url not in text:  # ProxyConnectionError names the proxy only
        text = f"{text} (endpoint URL: {url})"
    reason = _CONNECT_REASON.search(" ".join(str(getattr(error, "kwargs", {}).get("error", "")).split()))
    if reason:
        text = f"{text}: {reason.group(0)}"
    return (
        f"Failed to {description}: cannot connect to the endpoint, not retried ({type(error).__name__}): {text};"
        " check endpoint_url, the region and the network (proxy, firewall, TLS)"
    )


def call(retry: RetryPolicy, description: str, operation: Callable[..., dict], **params: Any) -> dict:
    """Send one request, retrying only that request.

    Throttles, server errors and connections lost mid-request are retried with ``retry``'s backoff; a
    connection that cannot be made is not (EndpointUnreachable at once, see ``cannot_connect``).
    """
    attempts = 0

    def attempt() -> dict:
        nonlocal attempts
        attempts += 1
        try:
            return operation(**params)
        except botocore.exceptions.HTTPClientError as e:
            error = {"Error": {"Code": CONNECTION_ERROR_CODE, "Message": str(e)}}
            raise botocore.exceptions.ClientError(error, getattr(operation, "__name__", "request")) from e

    try:
        return retry.decorator()(attempt)()
    except botocore.exceptions.ConnectionError as e:
        # Its message says everything (the URL too): no exception attached, so no traceback behind it.
        url = e.kwargs.get("endpoint_url") or e.kwargs.get("proxy_url")
        raise EndpointUnreachable(message=unreachable_message(description, e), url=url) from e
    except botocore.exceptions.NoCredentialsError as e:
        # botocore's "Unable to locate credentials" says what is missing, not where to give it.
        raise AnsibleBedrockError(message=f"Failed to {description}: {NO_CREDENTIALS}", exception=e) from e
    except botocore.exceptions.ClientError as e:
        code = e.response["Error"]["Code"]
        if code not in RETRYABLE_CODES:
            raise
        message = f"Failed to {description}: {_failure_kind(code)} ({code}) on all {attempts} attempts"
        raise RetriesExhausted(message=message, exception=e, attempts=attempts) from e


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
) -> dict[str, Any]:
    """What an info module returns for one listing pass: the items as facts under ``key``, in the order listed,
    and ``next_token`` when the ``max_results`` option cut the listing short (its ``next_token`` resumes one)."""
    listing = PagedListing(
        client, operation, filters, limit=options.get("max_results"), next_token=options.get("next_token")
    )
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
