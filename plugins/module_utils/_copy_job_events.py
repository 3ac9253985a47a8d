# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Watching model copy jobs for changes: what the ``amazon.bedrock.model_copy_jobs`` event source reports.

One ``RegionWatch`` per region remembers every matching job's status. Each poll is one newest-first
``CopyJobListing`` (with its page-level retry) that stops where nothing newer or still InProgress can
follow, so in steady state it is one ListModelCopyJobs request. A poll either completes and returns its
events, or raises and changes nothing: the next poll sees the same changes again, so every change is
reported exactly once. Jobs are shaped by ``_facts.to_job_facts``, as ``model_copy_job_info`` returns them.
Nothing here sleeps or knows asyncio; the caller schedules the polls (``Backoff`` after a failed one).
"""

from __future__ import annotations

import datetime
from typing import Any

try:
    import botocore.exceptions
except ImportError:
    pass  # the event source reports a missing botocore itself

# A poll that fails with an error _bedrock.is_transient() accepts is retried by the next poll; anything else
# (an unreachable endpoint too) ends the source.
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    RetryPolicy,
    error_cause,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import CopyJobListing, build_list_filters
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts

IN_PROGRESS = "InProgress"

NO_CREDENTIALS = (
    "no AWS credentials found; give aws_access_key_id and aws_secret_access_key (or profile) in the source's"
    " arguments, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)"
)


class SourceFailed(Exception):
    """An error that every later poll would hit as well: the event source ends with its one-line message."""


def listing_filters(source_model_arn: str | None, target_model_name_contains: str | None) -> dict[str, Any]:
    """ListModelCopyJobs parameters for a watch: the source's filters, newest job first."""
    filters = build_list_filters(
        {"source_model_arn": source_model_arn, "target_model_name_contains": target_model_name_contains}
    )
    return dict(filters, sortBy="CreationTime", sortOrder="Descending")


def _created(facts: dict[str, Any]) -> datetime.datetime:
    text = facts["creation_time"]
    if not text:
        return datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
    return datetime.datetime.fromisoformat(text)


def make_event(facts: dict[str, Any], region: str, previous_status: str | None) -> dict[str, Any]:
    return {"model_copy_job": facts, "region": region, "previous_status": previous_status}


class RegionWatch:
    """The matching copy jobs of one region and the status last reported for each.

    The first poll reads the whole filtered listing: with ``emit_existing`` every job is an event, otherwise
    none is (jobs InProgress then are still reported when they finish). Later polls report each job not seen
    before (``previous_status`` None) and each move of a known job from InProgress to Completed or Failed
    (``previous_status`` "InProgress"). Finished jobs never change, so a later poll stops at the first known
    finished job older than the newest one already known, once every job still InProgress has been read.
    """

    def __init__(
        self,
        client: Any,
        region: str,
        filters: dict[str, Any],
        emit_existing: bool = False,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self.client = client
        self.region = region
        self._filters = filters
        self._emit_existing = emit_existing
        self._retry = retry
        self.statuses: dict[str, str] = {}
        self._newest: datetime.datetime | None = None
        self.polls = 0
        self.requests = 0
        self.last_requests = 0

    @property
    def started(self) -> bool:
        return self.polls > 0

    def pending(self) -> set[str]:
        return {arn for arn, status in self.statuses.items() if status == IN_PROGRESS}

    def poll(self) -> list[dict[str, Any]]:
        """One listing; returns its events and remembers them, or raises and remembers nothing."""
        listing = CopyJobListing(self.client, self._filters, retry=self._retry)
        first = not self.started
        pending = self.pending()
        newest = self._newest
        updates: dict[str, str] = {}
        events: list[dict[str, Any]] = []
        read_to_end = True
        try:
            for summary in listing:
                facts = to_job_facts(summary)
                arn, status = facts["job_arn"], facts["status"]
                created = _created(facts)
                before = self.statuses.get(arn)
                updates[arn] = status
                if first:
                    if self._emit_existing:
                        events.append(make_event(facts, self.region, None))
                elif before is None:
                    events.append(make_event(facts, self.region, None))
                elif before == IN_PROGRESS and status != IN_PROGRESS:
                    events.append(make_event(facts, self.region, IN_PROGRESS))
                newest = created if newest is None or created > newest else newest
                if (
                    not first
                    and before is not None
                    and before != IN_PROGRESS
                    and pending <= updates.keys()
                    and self._newest is not None
                    and created < self._newest
                ):
                    read_to_end = False
                    break
        finally:
            self.last_requests = listing.pages
            self.requests += listing.pages
        if read_to_end:
            # A job InProgress that the whole listing no longer shows is not waited for any longer.
            for arn in pending - updates.keys():
                del self.statuses[arn]
        self.statuses.update(updates)
        self._newest = newest
        self.polls += 1
        return events


class Backoff:
    """Pauses after failed polls: ``delay`` doubled per failure in a row, at most ``max_delay``."""

    def __init__(self, delay: float, max_delay: float) -> None:
        self.delay = delay
        self.max_delay = max_delay
        self.failures = 0

    def next(self) -> float:
        self.failures += 1
        return min(self.max_delay, self.delay * 2 ** (self.failures - 1))

    def reset(self) -> None:
        self.failures = 0


def describe(error: BaseException, region: str) -> str:
    """One line for the log: what failed in which region, never a traceback or a credential."""
    cause = error_cause(error)
    if isinstance(cause, botocore.exceptions.NoCredentialsError):
        return f"model_copy_jobs: {region}: {NO_CREDENTIALS}"
    # Our errors already say what failed and append the AWS error (code and message) behind it.
    text = " ".join(str(error).split())
    return f"model_copy_jobs: {region}: {text}"
