from __future__ import annotations

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import RetryPolicy
from ansible_collections.amazon.bedrock.plugins.module_utils._custom_models import existing_models, get_custom_model
from ansible_collections.amazon.bedrock.tests.unit.fakes import FakeBedrock, client_error, summary

FAST = RetryPolicy(attempts=3, delay=0.0, max_delay=0.0)


def model(n: int, name: str | None = None) -> tuple[str, str]:
    return (name or f"copy-{n}", summary(n)["targetModelArn"])


def test_no_models_no_request():
    fake = FakeBedrock([summary(1)])
    assert existing_models(fake, [], FAST) == set()
    assert fake.model_calls == []


def test_one_model_is_looked_up_by_arn():
    fake = FakeBedrock([summary(1)])
    assert existing_models(fake, [model(1)], FAST) == {model(1)[1]}
    fake.deleted_models.add(model(1)[1])
    assert existing_models(fake, [model(1)], FAST) == set()
    assert [params["modelIdentifier"] for _kind, params in fake.model_calls] == [model(1)[1]] * 2


def test_a_newer_model_with_the_deleted_ones_name_does_not_count():
    """By ARN, never by name: the name may belong to a model made since (by anything, not only a copy)."""
    fake = FakeBedrock([summary(2, targetModelName="bot"), summary(1, targetModelName="bot")])
    fake.deleted_models.add(model(1)[1])
    assert existing_models(fake, [model(1, "bot")], FAST) == set()
    assert existing_models(fake, [model(1, "bot"), model(3, "bot-x")], FAST) == set()


def test_several_models_are_one_filtered_listing():
    fake = FakeBedrock([summary(n, targetModelName=f"bot-{n}") for n in (3, 2, 1)])
    fake.deleted_models.add(model(2)[1])
    found = existing_models(fake, [model(1, "bot-1"), model(2, "bot-2"), model(3, "bot-3")], FAST)
    assert found == {model(1)[1], model(3)[1]}
    assert [(kind, params.get("nameContains"), params["sortOrder"]) for kind, params in fake.model_calls] == [
        ("list", "bot-", "Descending")
    ]


def test_the_listing_stops_once_every_model_is_found():
    fake = FakeBedrock([summary(n, targetModelName=f"bot-{n}") for n in range(1500, 0, -1)])
    found = existing_models(fake, [model(1500, "bot-1500"), model(1499, "bot-1499")], FAST)
    assert len(found) == 2
    assert len(fake.model_calls) == 1


def test_a_throttled_page_is_retried_alone():
    fake = FakeBedrock([summary(2, targetModelName="bot-2"), summary(1, targetModelName="bot-1")])
    fake.faults = [client_error("ThrottlingException", "ListCustomModels")]
    assert existing_models(fake, [model(1, "bot-1"), model(2, "bot-2")], FAST) == {model(1)[1], model(2)[1]}
    assert len(fake.model_calls) == 2


def test_get_custom_model_returns_none_when_not_found():
    fake = FakeBedrock([])
    assert get_custom_model(fake, "bot", FAST) is None
