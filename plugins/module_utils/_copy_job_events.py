# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Watching model copy jobs for changes: what the ``amazon.bedrock.model_copy_jobs`` event source reports.

One ``RegionWatch`` per region remembers every matching job's status. Each poll is one newest-first
``CopyJobListing`` (with its page-level retry) that stops where nothing newer or still InProgress can
follow, so in steady state it is one ListModelCopyJobs request. A job that completed is a copy only once its
custom model is Active: until then its event waits, and the poll reads the models of the waiting jobs with
one ``_custom_models.model_states`` call (one more request, only while some model is not yet known Active).
A poll either completes and returns its events, or raises and changes nothing: the next poll sees the same
changes again, so every change is reported exactly once. Jobs are shaped by ``_facts.to_job_facts``, as
``model_copy_job_info`` returns them. Nothing here sleeps or knows asyncio; the caller schedules the polls
(``Backoff`` after a failed one).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import Any, Callable

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
from ansible_collections.amazon.bedrock.plugins.module_utils._custom_models import (
    MODEL_ACTIVE,
    MODEL_FAILED,
    model_states,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import parse_time, to_job_facts
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import backoff_delay

IN_PROGRESS = "InProgress"
COMPLETED = "Completed"
FAILED = "Failed"
# A Completed job whose model is not found this long after the watch saw it complete (deleted before it was
# Active; Bedrock's reads lag a job's Completed by seconds, not minutes) is given up: it is no event.
MODEL_MISSING_SECONDS = 300.0

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
    return parse_time(text)


def make_event(
    facts: dict[str, Any], region: str, previous_status: str | None, model_status: str | None = None
) -> dict[str, Any]:
    """``model_status``: Active or Failed for a job that completed (the model it made), None for any other job."""
    return {"model_copy_job": facts, "region": region, "previous_status": previous_status, "model_status": model_status}


def model_failed_event(
    facts: dict[str, Any], region: str, previous_status: str | None, message: str | None
) -> dict[str, Any]:
    """The job completed but its model Failed: the copy failed, so the job is reported Failed, with the model's
    failureMessage (a rule on ``status == "Completed"`` must never deploy it)."""
    return make_event(dict(facts, status=FAILED, failure_message=message), region, previous_status, MODEL_FAILED)


@dataclass
class AwaitedModel:
    """A Completed job whose event waits until its model is Active or Failed."""

    facts: dict[str, Any]
    previous_status: str | None  # what its event will say: the status last reported for the job
    since: float  # the watch's clock when it saw the job Completed


@dataclass(eq=False)
class RegionWatch:
    """The matching copy jobs of one region and the status last reported for each.

    The first poll reads the whole filtered listing: with ``emit_existing`` every job is an event, otherwise
    none is (jobs InProgress then are still reported when they finish). Later polls report each job not seen
    before (``previous_status`` None) and each move of a known job from InProgress to Completed or Failed
    (``previous_status`` "InProgress"). Finished jobs never change, so a later poll stops at the first known
    finished job older than the newest one already known, once every job still InProgress has been read.

    A Completed job's event waits in ``awaited`` while its model is Creating (or not found yet): it is the
    completed event (``model_status`` Active) once the model is Active, a failure event (``model_failed_event``)
    if it Failed, and no event if it is not found for MODEL_MISSING_SECONDS.
    """

    client: Any
    region: str
    filters: dict[str, Any]
    emit_existing: bool = False
    retry: RetryPolicy = DEFAULT_RETRY
    clock: Callable[[], float] = time.monotonic
    statuses: dict[str, str] = field(default_factory=dict, init=False)
    awaited: dict[str, AwaitedModel] = field(default_factory=dict, init=False)
    _newest: datetime.datetime | None = field(default=None, init=False)
    polls: int = field(default=0, init=False)
    requests: int = field(default=0, init=False)  # ListModelCopyJobs pages
    last_requests: int = field(default=0, init=False)
    # model_states calls: one request each, but for a long listing or a Failed model
    model_reads: int = field(default=0, init=False)
    last_model_reads: int = field(default=0, init=False)

    @property
    def started(self) -> bool:
        return self.polls > 0

    def pending(self) -> set[str]:
        return {arn for arn, status in self.statuses.items() if status == IN_PROGRESS}

    def poll(self) -> list[dict[str, Any]]:
        """One listing (and a read of the awaited models); returns its events and remembers them, or raises and
        remembers nothing."""
        listing = CopyJobListing(self.client, self.filters, retry=self.retry)
        first = not self.started
        pending = self.pending()
        newest = self._newest
        updates: dict[str, str] = {}
        events: list[dict[str, Any]] = []
        awaited = dict(self.awaited)
        now = self.clock()

        def report(facts: dict[str, Any], previous_status: str | None) -> None:
            if facts["status"] == COMPLETED:
                awaited[facts["job_arn"]] = AwaitedModel(facts, previous_status, now)
            else:
                events.append(make_event(facts, self.region, previous_status))

        read_to_end = True
        self.last_model_reads = 0
        try:
            for summary in listing:
                facts = to_job_facts(summary)
                arn, status = facts["job_arn"], facts["status"]
                created = _created(facts)
                before = self.statuses.get(arn)
                updates[arn] = status
                if first:
                    if self.emit_existing:
                        report(facts, None)
                elif before is None:
                    report(facts, None)
                elif before == IN_PROGRESS and status != IN_PROGRESS:
                    report(facts, IN_PROGRESS)
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
        events += self._model_events(awaited, now)
        if read_to_end:
            # A job InProgress that the whole listing no longer shows is not waited for any longer.
            for arn in pending - updates.keys():
                del self.statuses[arn]
        self.statuses.update(updates)
        self.awaited = awaited
        self._newest = newest
        self.polls += 1
        return events

    def _model_events(self, awaited: dict[str, AwaitedModel], now: float) -> list[dict[str, Any]]:
        """Events of the awaited jobs whose models are Active or Failed now; removes those (and the given up)."""
        models = {w.facts["target_model_arn"]: w.facts["target_model_name"] for w in awaited.values()}
        models.pop(None, None)  # a Completed job without a model ARN has no model to wait for
        if not models:
            states: dict[str, tuple[str, str | None]] = {}
        else:
            self.last_model_reads = 1
            self.model_reads += 1
            states = model_states(self.client, [(name, arn) for arn, name in models.items()], self.retry)
        events = []
        for arn, waiting in list(awaited.items()):
            state = states.get(waiting.facts["target_model_arn"])
            if state is None:
                if now - waiting.since >= MODEL_MISSING_SECONDS:
                    del awaited[arn]
            elif state[0] == MODEL_ACTIVE:
                events.append(make_event(waiting.facts, self.region, waiting.previous_status, MODEL_ACTIVE))
                del awaited[arn]
            elif state[0] == MODEL_FAILED:
                events.append(model_failed_event(waiting.facts, self.region, waiting.previous_status, state[1]))
                del awaited[arn]
            # Creating, or a status Bedrock may add some day: not Active, so the event keeps waiting.
        return events


class Backoff:
    """Pauses after failed polls: ``delay`` doubled per failure in a row, at most ``max_delay``."""

    def __init__(self, delay: float, max_delay: float) -> None:
        self.delay = delay
        self.max_delay = max_delay
        self.failures = 0

    def next(self) -> float:
        self.failures += 1
        return backoff_delay(self.failures, self.delay, self.max_delay)

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
