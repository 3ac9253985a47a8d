from __future__ import annotations

import datetime

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import AnsibleBedrockError, RetryPolicy
from ansible_collections.amazon.bedrock.plugins.module_utils._custom_models import (
    CREATING,
    DELETED,
    EXISTS,
    FAILED,
    LAG_REREAD_SECONDS,
    NOT_READABLE_YET,
    RECENT_JOB_SECONDS,
    copied_model_state,
    get_custom_model,
    model_states,
)
from ansible_collections.amazon.bedrock.tests.unit.fakes import FakeBedrock, client_error, summary

FAST = RetryPolicy(attempts=3, delay=0.0, max_delay=0.0)


def model(n: int, name: str | None = None) -> tuple[str, str]:
    return (name or f"copy-{n}", summary(n)["targetModelArn"])


def found_arns(fake: FakeBedrock, models: list[tuple[str, str]], retry: RetryPolicy) -> set[str]:
    return set(model_states(fake, models, retry))


def test_no_models_no_request():
    fake = FakeBedrock([summary(1)])
    assert found_arns(fake, [], FAST) == set()
    assert fake.model_calls == []


def test_one_model_is_looked_up_by_arn():
    fake = FakeBedrock([summary(1)])
    assert found_arns(fake, [model(1)], FAST) == {model(1)[1]}
    fake.deleted_models.add(model(1)[1])
    assert found_arns(fake, [model(1)], FAST) == set()
    assert [params["modelIdentifier"] for _kind, params in fake.model_calls] == [model(1)[1]] * 2


def test_a_newer_model_with_the_deleted_ones_name_does_not_count():
    """By ARN, never by name: the name may belong to a model made since (by anything, not only a copy)."""
    fake = FakeBedrock([summary(2, targetModelName="bot"), summary(1, targetModelName="bot")])
    fake.deleted_models.add(model(1)[1])
    assert found_arns(fake, [model(1, "bot")], FAST) == set()
    assert found_arns(fake, [model(1, "bot"), model(3, "bot-x")], FAST) == set()


def test_several_models_are_one_filtered_listing():
    fake = FakeBedrock([summary(n, targetModelName=f"bot-{n}") for n in (3, 2, 1)])
    fake.deleted_models.add(model(2)[1])
    found = found_arns(fake, [model(1, "bot-1"), model(2, "bot-2"), model(3, "bot-3")], FAST)
    assert found == {model(1)[1], model(3)[1]}
    assert [(kind, params.get("nameContains"), params["sortOrder"]) for kind, params in fake.model_calls] == [
        ("list", "bot-", "Descending")
    ]


def test_the_listing_stops_once_every_model_is_found():
    fake = FakeBedrock([summary(n, targetModelName=f"bot-{n}") for n in range(1500, 0, -1)])
    found = found_arns(fake, [model(1500, "bot-1500"), model(1499, "bot-1499")], FAST)
    assert len(found) == 2
    assert len(fake.model_calls) == 1


def test_a_throttled_page_is_retried_alone():
    fake = FakeBedrock([summary(2, targetModelName="bot-2"), summary(1, targetModelName="bot-1")])
    fake.faults = [client_error("ThrottlingException", "ListCustomModels")]
    assert found_arns(fake, [model(1, "bot-1"), model(2, "bot-2")], FAST) == {model(1)[1], model(2)[1]}
    assert len(fake.model_calls) == 2


# --- model_states: a model exists, and is Creating, Active or Failed -------------------------------


@pytest.mark.parametrize("several", [False, True], ids=["GetCustomModel", "ListCustomModels"])
def test_a_model_without_modelstatus_is_active(several):
    fake = FakeBedrock([summary(2, targetModelName="bot-2"), summary(1, targetModelName="bot-1")])
    models = [model(1, "bot-1"), model(2, "bot-2")][: 2 if several else 1]
    assert model_states(fake, models, FAST)[model(1)[1]] == ("Active", None)


@pytest.mark.parametrize("several", [False, True], ids=["GetCustomModel", "ListCustomModels"])
def test_a_creating_model_is_told_by_the_same_one_request(several):
    fake = FakeBedrock([summary(2, targetModelName="bot-2"), summary(1, targetModelName="bot-1")])
    fake.model_status[model(1)[1]] = {"modelStatus": "Creating"}
    fake.model_status[model(2)[1]] = {"modelStatus": "Active"}
    models = [model(1, "bot-1"), model(2, "bot-2")][: 2 if several else 1]
    states = model_states(fake, models, FAST)
    assert states[model(1)[1]] == ("Creating", None)
    assert len(fake.model_calls) == 1


def test_a_failed_model_in_the_listing_is_read_once_more_for_its_message():
    """The listing's summaries carry no failureMessage; a Failed model is worth one GetCustomModel."""
    fake = FakeBedrock([summary(2, targetModelName="bot-2"), summary(1, targetModelName="bot-1")])
    fake.model_status[model(1)[1]] = {"modelStatus": "Failed", "failureMessage": "KMS key not usable"}
    states = model_states(fake, [model(1, "bot-1"), model(2, "bot-2")], FAST)
    assert states == {model(1)[1]: ("Failed", "KMS key not usable"), model(2)[1]: ("Active", None)}
    assert [kind for kind, _params in fake.model_calls] == ["list", "get"]


def test_a_failed_model_without_a_message_has_none():
    fake = FakeBedrock([summary(1)])
    fake.model_status[model(1)[1]] = {"modelStatus": "Failed"}
    assert model_states(fake, [model(1)], FAST) == {model(1)[1]: ("Failed", None)}
    assert len(fake.model_calls) == 1


def test_get_custom_model_returns_none_when_not_found():
    fake = FakeBedrock([])
    assert get_custom_model(fake, "bot", FAST) is None


# --- copied_model_state: a model read that lags a completed copy job ------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def state(fake: FakeBedrock, job: dict, clock: Clock, now: datetime.datetime = NOW) -> str:
    found, _message = copied_model_state(fake, job, FAST, now=now, clock=clock, sleep=clock.sleep)
    return found


def test_a_found_model_is_one_read():
    fake, clock = FakeBedrock([summary(1)]), Clock()
    assert state(fake, summary(1), clock) == EXISTS
    assert len(fake.model_calls) == 1
    assert clock.sleeps == []


def test_a_lagging_read_is_retried_with_backoff_until_found():
    missing = client_error("ResourceNotFoundException", "GetCustomModel", 404)
    fake, clock = FakeBedrock([summary(1)], faults=[missing, missing, missing]), Clock()
    assert state(fake, summary(1), clock) == EXISTS
    assert len(fake.model_calls) == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_model_missing_from_every_read_for_10_seconds_is_deleted():
    fake, clock = FakeBedrock([summary(1)]), Clock()
    fake.deleted_models.add(summary(1)["targetModelArn"])
    assert state(fake, summary(1), clock) == DELETED
    assert len(fake.model_calls) == 5
    assert sum(clock.sleeps) == LAG_REREAD_SECONDS


def test_the_model_of_a_recent_job_is_never_deleted():
    fake = FakeBedrock([summary(1)])
    fake.deleted_models.add(summary(1)["targetModelArn"])
    created = summary(1)["creationTime"]
    recent = created + datetime.timedelta(seconds=RECENT_JOB_SECONDS - 1)
    assert state(fake, summary(1), Clock(), now=recent) == NOT_READABLE_YET
    # Bedrock's timestamps may arrive as text; the bound is the same.
    as_text = dict(summary(1), creationTime=created.isoformat().replace("+00:00", "Z"))
    assert state(fake, as_text, Clock(), now=recent) == NOT_READABLE_YET
    old = created + datetime.timedelta(seconds=RECENT_JOB_SECONDS + 1)
    assert state(fake, summary(1), Clock(), now=old) == DELETED


def test_a_completed_job_without_a_model_arn_has_no_model():
    fake = FakeBedrock([])
    assert state(fake, dict(summary(1), targetModelArn=None), Clock()) == DELETED
    assert fake.model_calls == []


def test_a_denied_read_is_an_error_not_a_missing_model():
    fake = FakeBedrock([summary(1)], faults=[client_error("AccessDeniedException", "GetCustomModel", 403)])
    with pytest.raises(AnsibleBedrockError, match="get custom model"):
        state(fake, summary(1), Clock())


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ({}, (EXISTS, None)),
        ({"modelStatus": "Active"}, (EXISTS, None)),
        ({"modelStatus": "Creating"}, (CREATING, None)),
        ({"modelStatus": "Failed", "failureMessage": "KMS key disabled"}, (FAILED, "KMS key disabled")),
        ({"modelStatus": "Failed"}, (FAILED, None)),
    ],
)
def test_a_found_model_says_whether_it_is_active_in_the_same_one_read(model, expected):
    fake, clock = FakeBedrock([summary(1)]), Clock()
    fake.model_status[summary(1)["targetModelArn"]] = model
    assert copied_model_state(fake, summary(1), FAST, now=NOW, clock=clock, sleep=clock.sleep) == expected
    assert len(fake.model_calls) == 1 and clock.sleeps == []
