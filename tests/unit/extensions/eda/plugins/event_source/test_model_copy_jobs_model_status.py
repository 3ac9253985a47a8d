"""The event source reports a copy as completed only once its custom model is Active (issue #20).

RegionWatch (plugins/module_utils/_copy_job_events.py) with the scripted client of tests/unit/fakes.py, whose
custom models are the Completed jobs' target models with the modelStatus set in ``model_status``; and main()
with a virtual clock. A job that completed while its model is Creating is no event until the model is Active
(the completed event) or Failed (a failure event carrying the model's failureMessage).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import RetriesExhausted, is_transient
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_job_events import (
    MODEL_MISSING_SECONDS,
    RegionWatch,
    listing_filters,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import to_job_facts
from ansible_collections.amazon.bedrock.tests.unit.extensions.eda.plugins.event_source.test_model_copy_jobs import (
    FAST,
    ListQueue,
    Stop,
    TimedBedrock,
    VirtualTime,
    source,
)
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error, job_arn, summary
from ansible_collections.amazon.bedrock.tests.unit.plugins.module_utils.test_copy_job_events import NewestFirst


def model_arn(n: int) -> str:
    return str(summary(n)["targetModelArn"])


def set_model(client: NewestFirst, n: int, status: str, message: str | None = None) -> None:
    client.model_status[model_arn(n)] = {"modelStatus": status, **({"failureMessage": message} if message else {})}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def watch(client: NewestFirst, clock: Clock | None = None, emit_existing: bool = False) -> RegionWatch:
    return RegionWatch(client, "us-west-2", listing_filters(None, None), emit_existing, FAST, clock=clock or Clock())


def seen(events: list[dict[str, Any]]) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (e["model_copy_job"]["job_arn"], e["model_copy_job"]["status"], e["previous_status"], e["model_status"])
        for e in events
    ]


def test_a_completed_job_is_an_event_only_once_its_model_is_active() -> None:
    client = NewestFirst([summary(1), summary(2, "InProgress")])
    w = watch(client)
    assert w.poll() == [] and w.last_model_reads == 0  # nothing completed since the start: no model read
    client.set_status(2, "Completed")
    set_model(client, 2, "Creating")
    for _poll in range(3):
        assert w.poll() == []
        assert (w.last_requests, w.last_model_reads) == (1, 1)
    assert client.model_calls == [("get", {"modelIdentifier": model_arn(2)})] * 3  # one GetCustomModel a poll
    set_model(client, 2, "Active")
    (event,) = w.poll()
    assert event == {
        "model_copy_job": to_job_facts(summary(2, "Completed")),
        "region": "us-west-2",
        "previous_status": "InProgress",
        "model_status": "Active",
    }
    # Known Active: steady state is one ListModelCopyJobs request again, no model read.
    for _poll in range(3):
        assert w.poll() == [] and (w.last_requests, w.last_model_reads) == (1, 0)
    assert len(client.model_calls) == 4 and w.awaited == {}


def test_a_model_without_model_status_counts_as_active_at_once() -> None:
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client)
    w.poll()
    client.set_status(1, "Completed")
    assert seen(w.poll()) == [(job_arn(1), "Completed", "InProgress", "Active")]


def test_a_model_that_failed_is_one_failure_event_with_its_message() -> None:
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client)
    w.poll()
    client.set_status(1, "Completed")
    set_model(client, 1, "Creating")
    assert w.poll() == []
    set_model(client, 1, "Failed", "Model import failed: the model artifacts are corrupt.")
    (event,) = w.poll()
    assert seen([event]) == [(job_arn(1), "Failed", "InProgress", "Failed")]
    facts = event["model_copy_job"]
    assert facts["failure_message"] == "Model import failed: the model artifacts are corrupt."
    # Everything else is the job as model_copy_job_info shapes it.
    assert dict(facts, status="Completed", failure_message=None) == to_job_facts(summary(1, "Completed"))
    assert w.poll() == [] and w.last_model_reads == 0


def test_several_awaited_models_in_a_region_are_one_listing() -> None:
    client = NewestFirst([summary(n, "InProgress") for n in (1, 2, 3)])
    w = watch(client)
    w.poll()
    for n in (1, 2, 3):
        client.set_status(n, "Completed")
        set_model(client, n, "Creating")
    assert w.poll() == []
    assert [kind for kind, _params in client.model_calls] == ["list"]
    set_model(client, 1, "Active")
    set_model(client, 3, "Failed", "quota")
    assert sorted(seen(w.poll())) == [
        (job_arn(1), "Completed", "InProgress", "Active"),
        (job_arn(3), "Failed", "InProgress", "Failed"),
    ]
    set_model(client, 2, "Active")
    assert seen(w.poll()) == [(job_arn(2), "Completed", "InProgress", "Active")]
    assert w.poll() == [] and w.last_model_reads == 0


def test_a_new_job_found_completed_waits_for_its_model_like_any_other() -> None:
    client = NewestFirst([summary(1)])
    w = watch(client)
    w.poll()
    client.jobs.append(summary(2, "Completed"))
    set_model(client, 2, "Creating")
    assert w.poll() == []
    set_model(client, 2, "Active")
    assert seen(w.poll()) == [(job_arn(2), "Completed", None, "Active")]


def test_emit_existing_holds_a_completed_job_back_until_its_model_is_active() -> None:
    client = NewestFirst([summary(1), summary(2, "Failed"), summary(3)])
    set_model(client, 3, "Creating")
    w = watch(client, emit_existing=True)
    assert sorted(seen(w.poll())) == [
        (job_arn(1), "Completed", None, "Active"),
        (job_arn(2), "Failed", None, None),
    ]
    set_model(client, 3, "Active")
    assert seen(w.poll()) == [(job_arn(3), "Completed", None, "Active")]


def test_a_failed_model_read_changes_nothing_so_the_next_poll_reports_once(no_sleep: list[float]) -> None:
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client)
    w.poll()
    client.set_status(1, "Completed")
    throttle = client_error("ThrottlingException", "GetCustomModel", status=429)
    client.faults = [None, throttle, throttle]  # the listing is read, the model read keeps failing
    with pytest.raises(RetriesExhausted) as raised:
        w.poll()
    assert is_transient(raised.value)
    assert seen(w.poll()) == [(job_arn(1), "Completed", "InProgress", "Active")]
    assert w.poll() == []


def test_a_model_not_found_is_waited_for_then_given_up_without_an_event() -> None:
    clock = Clock()
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client, clock)
    w.poll()
    client.set_status(1, "Completed")
    client.deleted_models.add(model_arn(1))  # deleted (or not readable yet) when the job is seen Completed
    assert w.poll() == []
    clock.now = MODEL_MISSING_SECONDS - 1
    assert w.poll() == [] and w.last_model_reads == 1
    clock.now = MODEL_MISSING_SECONDS
    assert w.poll() == [] and w.awaited == {}
    assert w.poll() == [] and w.last_model_reads == 0


def test_a_model_readable_only_after_a_lag_is_still_reported() -> None:
    client = NewestFirst([summary(1, "InProgress")])
    w = watch(client)
    w.poll()
    client.set_status(1, "Completed")
    client.deleted_models.add(model_arn(1))
    assert w.poll() == []
    client.deleted_models.clear()
    assert seen(w.poll()) == [(job_arn(1), "Completed", "InProgress", "Active")]


class ModelTimeline(TimedBedrock):
    """TimedBedrock whose models change too: ``model_changes`` are (virtual time, job number, modelStatus)."""

    def __init__(self, jobs: list[dict[str, Any]], time: VirtualTime, changes: Any, model_changes: Any) -> None:
        super().__init__(jobs, time, changes)
        self.model_changes = list(model_changes)

    def _models(self) -> list[dict[str, Any]]:
        for when, n, status in list(self.model_changes):
            if self.time.now >= when:
                self.model_changes.remove((when, n, status))
                self.model_status[model_arn(n)] = {"modelStatus": status}
        return super()._models()


def watch_us_west_2(client: TimedBedrock, time: VirtualTime, queue: ListQueue) -> Any:
    """main() watching us-west-2 every 30 s with ``client``, on the virtual clock."""
    return source.main(
        queue,
        {"regions": ["us-west-2"], "delay_seconds": 30},
        clock=time.clock,
        sleep=time.sleep,
        client_factory={"us-west-2": client}.__getitem__,
        retry=FAST,
    )


def test_main_sends_the_completed_event_within_one_delay_of_the_model_turning_active() -> None:
    time = VirtualTime(limit=400)
    client = ModelTimeline(
        [summary(1, "InProgress")], time, [(40, 1, "Completed")], [(0, 1, "Creating"), (200, 1, "Active")]
    )
    queue = ListQueue(time)
    with pytest.raises(Stop):
        asyncio.run(watch_us_west_2(client, time, queue))
    assert seen(queue.events) == [(job_arn(1), "Completed", "InProgress", "Active")]
    assert 200 <= queue.times[0] <= 230
    # Model reads only while the model was not known Active: the polls at 60, 90, ..., 210 s.
    reads = len(client.model_calls)
    assert reads == 6 and len(client.list_calls) == 14


def test_no_permission_to_read_models_ends_the_source_with_one_line() -> None:
    time = VirtualTime(limit=400)
    client = TimedBedrock([summary(1, "InProgress")], time, [(40, 1, "Completed")])
    # Polls at 0 and 30 s and the listing at 60 s (the job Completed) are fine; its model read is denied.
    client.faults = [None, None, None, client_error("AccessDeniedException", "GetCustomModel", status=403)]
    queue = ListQueue(time)
    with pytest.raises(source.SourceFailed) as raised:
        asyncio.run(watch_us_west_2(client, time, queue))
    message = str(raised.value)
    assert message.startswith("model_copy_jobs: us-west-2: ") and "AccessDeniedException" in message
    assert "custom model" in message and "\n" not in message
    assert queue.events == []
