from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    InvalidOption,
    check_provisioned_list_options,
    check_provisioned_throughput_options,
)
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import model_arn, pt_arn

GOOD = {
    "name": "support-bot",
    "model": model_arn(1),
    "model_units": 1,
    "tags": {"Team": "search"},
    "client_request_token": None,
    "wait_timeout": 60,
    "wait_sleep": 5,
}


@pytest.mark.parametrize(
    "change, option",
    [
        ({"name": "bad name"}, "name"),
        ({"name": "x" * 64}, "name"),
        ({"name": "a--b"}, "name"),
        ({"model": "my-custom-model"}, "model"),
        ({"model": "arn:aws:bedrock:us-west-2:123456789012:custom-model/nope"}, "model"),
        ({"model_units": 0}, "model_units"),
        ({"tags": {"bad{key}": "v"}}, "tags"),
        ({"client_request_token": "-starts-with-dash"}, "client_request_token"),
        ({"wait_timeout": 0}, "wait_timeout"),
        ({"wait_sleep": -1}, "wait_sleep"),
    ],
)
def test_a_bad_option_is_named(change, option):
    with pytest.raises(InvalidOption) as info:
        check_provisioned_throughput_options(dict(GOOD, **change))
    assert info.value.option == option
    assert str(info.value).startswith(f"{option}: ")


@pytest.mark.parametrize(
    "model", [model_arn(1), "amazon.titan-text-express-v1:0:8k", "arn:aws:bedrock:us-west-2::foundation-model/a.b"]
)
def test_models_a_throughput_can_serve(model):
    check_provisioned_throughput_options(dict(GOOD, model=model))


def test_list_options_accept_a_name_or_arn_and_parse_times():
    assert check_provisioned_list_options({"name": pt_arn(1)})["name"] == pt_arn(1)
    checked = check_provisioned_list_options({"creation_time_after": "2026-01-01", "name_contains": "bot"})
    assert checked["creation_time_after"].isoformat() == "2026-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    "options, option",
    [
        ({"name": "arn:aws:bedrock:us-west-2:123456789012:provisioned-model/SHOUTY"}, "name"),
        ({"model_arn": "not-an-arn"}, "model_arn"),
        ({"name_contains": "a b"}, "name_contains"),
        ({"creation_time_after": "yesterday"}, "creation_time_after"),
        ({"creation_time_after": "2026-02-01", "creation_time_before": "2026-01-01"}, "creation_time_after"),
        ({"max_results": 0}, "max_results"),
        ({"next_token": "has space"}, "next_token"),
    ],
)
def test_bad_list_options_are_named(options, option):
    with pytest.raises(InvalidOption) as info:
        check_provisioned_list_options(options)
    assert info.value.option == option
