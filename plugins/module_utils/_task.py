# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What every module's ``main()`` does around its one call into module_utils: read (or wait), map the errors to
one failed task, and exit. A module that waited exits (or fails) with its ``wait_round`` (``_waiting.WaitRound``),
what its action plugin reads.

The only module_util that takes the ``AnsibleAWSModule``, and only to fail or exit with it: what the task
decides and reads stays in the module_utils that never see ``module``.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    AnsibleBedrockError,
    EndpointUnreachable,
    NamedResource,
    RetriesCutShort,
    RetryPolicy,
    cut_short_failure,
    is_unreachable,
    outage_failure,
    select_named,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._clients import bedrock_client
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import wait_figures
from ansible_collections.amazon.bedrock.plugins.module_utils._resource import Refused, WaitFailed
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    InvalidOption,
    hide_access_key,
    listing_argument_spec,
    resource_argument_spec,
    wait_argument_spec,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import WaitOutcome, wait_round, wait_until


@contextlib.contextmanager
def invalid_options(module: Any) -> Iterator[None]:
    """Bad input fails the task with the check's one line, before any request."""
    try:
        yield
    except InvalidOption as e:
        module.fail_json(msg=str(e))


@contextlib.contextmanager
def bedrock_errors(module: Any, what: str | None = None) -> Iterator[None]:
    """A Bedrock error fails the task: an unreachable endpoint with its URL, a wait's deadline passed before any
    poll could read ``what`` (when the task waits on a read) as a timeout, any other with amazon.aws's wording."""
    try:
        yield
    except EndpointUnreachable as e:
        module.fail_json(msg=e.message, endpoint_unreachable=e.url or "")
    except AnsibleBedrockError as e:
        if what is not None and isinstance(e, RetriesCutShort):
            failure = cut_short_failure(e, what)
            module.fail_json(changed=False, **wait_round(failure, failure["msg"]))
        module.fail_json_aws_error(e)


def read_or_wait(
    module: Any,
    what: str,
    connect: Callable[[], Any],
    read: Callable[[Any, RetryPolicy], dict[str, Any]],
    is_settled: Callable[[Any], bool],
) -> tuple[dict[str, Any], WaitOutcome[Any] | None]:
    """An info module's one read over the client(s) ``connect`` makes once, or with ``wait`` its reads until
    ``is_settled`` (retries cut to the wait's time), with the wait's figures in the result; and the wait's outcome
    (None without wait). A Bedrock error fails the task (``bedrock_errors``, waiting on ``what``)."""
    params = module.params
    with bedrock_errors(module, what):
        client = connect()
        if not params["wait"]:
            return read(client, DEFAULT_RETRY), None
        retry = DEFAULT_RETRY.until(params["wait_timeout"])
        outcome = wait_until(
            lambda: read(client, retry),
            is_settled,
            timeout=params["wait_timeout"],
            interval=params["wait_sleep"],
            transient=is_unreachable,
        )
    return dict(outcome.value, **wait_figures(outcome)), outcome


def fail_on_outage(module: Any, outcome: WaitOutcome[Any] | None, result: dict[str, Any]) -> None:
    """A wait that ended with the endpoint unreachable fails with the facts of its last good poll."""
    outage = outage_failure(outcome) if outcome is not None else None
    if outage:
        module.fail_json(**wait_round({"changed": False, **result, **outage}))


def fail_on_problem(module: Any, problem: str | None, result: dict[str, Any]) -> None:
    """A wait that ended without success (failed, gone, timed out) fails with the facts it ended on."""
    if problem:
        module.fail_json(**wait_round({"changed": False, **result, "msg": problem}, problem))


def fail_unless_settled(module: Any, outcome: WaitOutcome[Any] | None, problem: str | None, result: dict) -> None:
    """A wait that ended with the endpoint unreachable, or without success (``problem``), fails with ``result``."""
    fail_on_outage(module, outcome, result)
    fail_on_problem(module, problem, result)


def exit_read(
    module: Any,
    result: dict[str, Any],
    outcome: WaitOutcome[Any] | None,
    problem: Callable[[WaitOutcome[Any]], str | None],
    verdict: Callable[[], dict[str, Any]] = dict,
) -> None:
    """Exit an info module with what it read (``read_or_wait``). A wait that ended with the endpoint unreachable
    fails with the facts of its last good poll; otherwise ``verdict``'s keys join them, and a wait that ended
    without success (``problem`` of its outcome) fails with all of it."""
    fail_on_outage(module, outcome, result)
    result.update(verdict())
    if outcome:
        fail_on_problem(module, problem(outcome), result)
    exit_result(module, dict(result, changed=False))


def exit_result(module: Any, result: dict[str, Any]) -> None:
    """Exit with ``result`` (and its wait's round, when it waited)."""
    module.exit_json(**wait_round(result))


def _warn_and_diff(module: Any, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with its diff only in diff mode, and its warnings given to the module."""
    if not module._diff:
        result.pop("diff", None)
    for warning in result.pop("warnings", []):
        module.warn(warning)
    return result


def exit_change(module: Any, change: Callable[[], dict[str, Any]]) -> None:
    """Run a resource module's ``change`` (it raises Refused or WaitFailed; its result has the wait's figures) and
    exit with it. A wait that fails after a change still reports the change (diff, token), with the facts it
    ended on."""
    try:
        with bedrock_errors(module):
            result = change()
    except WaitFailed as e:
        module.fail_json(msg=e.message, **wait_round(_warn_and_diff(module, {"changed": False, **e.waited}), e.message))
    except Refused as e:
        module.fail_json(msg=str(e), changed=False)
    exit_changed(module, result)


def exit_changed(module: Any, result: dict[str, Any]) -> None:
    """Exit a module that changes things with ``result`` (its diff only in diff mode)."""
    exit_result(module, _warn_and_diff(module, result))


def waiting_module(own: dict[str, Any], **kwargs: Any) -> AnsibleAWSModule:
    """The module of a task that can wait in rounds (its action plugin prints progress): its ``own`` options and the
    wait options; ``kwargs`` go to AnsibleAWSModule as they are."""
    spec = hide_access_key(dict(own, **wait_argument_spec(progress=True)))
    return AnsibleAWSModule(argument_spec=spec, supports_check_mode=True, **kwargs)


def resource_module(check: Callable[[dict[str, Any]], Any], **own: Any) -> AnsibleAWSModule:
    """The module of a named resource (``resource_argument_spec``: the shared options and ``own``; ``model`` is
    required with state=present), its options checked (``check``) before any request."""
    module = waiting_module(resource_argument_spec(**own), required_if=[("state", "present", ["model"])])
    with invalid_options(module):
        check(module.params)
    return module


def named_info_args(resource: NamedResource, statuses: Sequence[str]) -> dict[str, Any]:
    """The AnsibleAWSModule arguments of an ``_info`` module over a NamedResource: one by ``name``, or a listing
    by status, model, name part, creation time, order and paging."""
    spec = dict(
        name=dict(type="str"),
        status=dict(type="str", choices=list(statuses)),
        model_arn=dict(type="str"),
        name_contains=dict(type="str"),
        **listing_argument_spec(),
    )
    listing = (*resource.filters, "max_results", "next_token")
    return dict(
        argument_spec=hide_access_key(spec),
        mutually_exclusive=[("name", option) for option in listing],
        supports_check_mode=True,
    )


def exit_named_info(module: Any, resource: NamedResource, check: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """An ``_info`` module over a NamedResource: check the options, read one by name or list, exit."""
    with invalid_options(module):
        options = check(module.params)
    with bedrock_errors(module):
        result = select_named(client_for(module), resource, options)
    module.exit_json(changed=False, **result)


def client_for(module: Any) -> Any:
    """The task's ``bedrock`` client, from amazon.aws's connection options."""
    return bedrock_client(*get_aws_connection_info(module))
