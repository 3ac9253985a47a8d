# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What the resource modules' decide-and-do module_utils share (``_custom_model_deploy``, ``_provisioned_deploy``):
how they refuse, how a failed wait carries what was changed, reading a resource with its tags, and re-tagging."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    RetryPolicy,
    list_tags,
    tag_resource,
    untag_resource,
)


class Refused(Exception):
    """The task fails with this one line; nothing was changed."""


class WaitFailed(Refused):
    """A wait ended without success (Failed, gone, timed out); ``waited``: the result keys that go with it (the
    facts it ended on, the wait's figures, and the change when one was sent)."""

    def __init__(self, message: str, waited: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message  # as given: a TimedOut line stays one (str(self) would not)
        self.waited = waited


def read_tagged(
    found: dict[str, Any] | None,
    client: Any,
    arn_key: str,
    to_facts: Callable[[dict[str, Any], dict[str, str]], dict[str, Any]],
    retry: RetryPolicy = DEFAULT_RETRY,
) -> dict[str, Any] | None:
    """``found`` (a Get* answer, or None when Bedrock does not know it) with its tags, as facts."""
    return to_facts(found, list_tags(client, found[arn_key], retry)) if found else None


def retag(
    client: Any,
    arn: str,
    facts: dict[str, Any],
    to_set: dict[str, str],
    to_unset: Sequence[str],
    check_mode: bool,
) -> dict[str, Any]:
    """Untag, then tag (unless check mode); the facts with the tags they then have."""
    if not check_mode:
        if to_unset:
            untag_resource(client, arn, list(to_unset))
        if to_set:
            tag_resource(client, arn, to_set)
    kept = {k: v for k, v in (facts["tags"] or {}).items() if k not in to_unset}
    return dict(facts, tags=dict(kept, **to_set))
