from __future__ import annotations

import datetime

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    InvalidOption,
    check_copies,
    check_list_options,
    check_tags,
    parse_time,
)
from ansible_collections.amazon.bedrock.tests.unit.fakes import SOURCE_ARN, job_arn

UTC = datetime.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-01", datetime.datetime(2026, 5, 1, tzinfo=UTC)),
        ("2026-05-01T12:30:00Z", datetime.datetime(2026, 5, 1, 12, 30, tzinfo=UTC)),
        ("2026-05-01T12:30:00", datetime.datetime(2026, 5, 1, 12, 30, tzinfo=UTC)),
        ("2026-05-01 14:30:00+02:00", datetime.datetime(2026, 5, 1, 12, 30, tzinfo=UTC)),
    ],
)
def test_times_parse_to_utc(text, expected):
    assert parse_time("creation_time_after", text) == expected


@pytest.mark.parametrize(
    ("options", "option", "fragment"),
    [
        ({"creation_time_after": "yesterday"}, "creation_time_after", "ISO-8601"),
        ({"creation_time_before": "2026-13-01"}, "creation_time_before", "ISO-8601"),
        (
            {"creation_time_after": "2026-05-02", "creation_time_before": "2026-05-01"},
            "creation_time_after",
            "earlier than creation_time_before",
        ),
        ({"creation_time_after": "2026-05-01", "creation_time_before": "2026-05-01"}, "creation_time_after", "earlier"),
        ({"source_account_id": "12345"}, "source_account_id", "12-digit"),
        ({"source_account_id": "12345678901a"}, "source_account_id", "12-digit"),
        ({"source_model_arn": "arn:aws:s3:::bucket"}, "source_model_arn", "model ARN"),
        ({"target_model_name_contains": "bad name"}, "target_model_name_contains", "letters, digits"),
        ({"target_model_name_contains": "a--b"}, "target_model_name_contains", "letters, digits"),
        ({"target_model_name_contains": "x" * 64}, "target_model_name_contains", "1-63"),
        ({"next_token": "has space"}, "next_token", "token"),
        ({"max_results": 0}, "max_results", "greater than 0"),
        ({"max_results": -5}, "max_results", "greater than 0"),
        ({"job_arns": []}, "job_arns", "is empty"),
        (
            {"job_arns": [job_arn(1), "arn:aws:bedrock:us-west-2:123456789012:model-copy-job/UPPER"]},
            "job_arns[1]",
            "ARN",
        ),
    ],
)
def test_bad_values_name_the_option(options, option, fragment):
    with pytest.raises(InvalidOption) as info:
        check_list_options(options)
    assert info.value.option == option
    assert str(info.value).startswith(f"{option}: ")
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_good_values_pass_and_times_are_parsed():
    checked = check_list_options(
        {
            "creation_time_after": "2026-01-01",
            "creation_time_before": "2026-02-01T00:00:00Z",
            "source_account_id": "123456789012",
            "source_model_arn": SOURCE_ARN,
            "target_model_name_contains": "support-bot_v3",
            "max_results": 1,
            "job_arns": None,
        }
    )
    assert checked["creation_time_after"] == datetime.datetime(2026, 1, 1, tzinfo=UTC)
    foundation = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"
    assert check_list_options({"source_model_arn": foundation})["source_model_arn"] == foundation


def test_long_values_are_shortened_in_messages():
    with pytest.raises(InvalidOption) as info:
        check_list_options({"source_model_arn": "x" * 500})
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("tags", "fragment"),
    [
        ({f"k{n}": "v" for n in range(201)}, "at most 200"),
        ({"": "v"}, "tag key"),
        ({"k" * 129: "v"}, "tag key"),
        ({"bad#key": "v"}, "tag key"),
        ({"k": "v" * 257}, "value of tag"),
        ({"k": "bad*value"}, "value of tag"),
    ],
)
def test_bad_tags(tags, fragment):
    with pytest.raises(InvalidOption, match=fragment):
        check_tags("tags", tags)


def test_good_tags():
    check_tags("tags", {"Team": "search", "cost center": "a/b:c=d+e@f.g-h_i", "empty": ""})
    check_tags("tags", {f"k{n}": "v" for n in range(200)})


def test_copies_get_the_tasks_region_unless_they_name_their_own():
    copies = [
        {"source_model_arn": SOURCE_ARN, "target_model_name": "bot", "region": None},
        {"source_model_arn": SOURCE_ARN, "target_model_name": "bot", "region": "eu-west-1"},
    ]
    assert [copy["region"] for copy in check_copies(copies, "us-west-2")] == ["us-west-2", "eu-west-1"]


@pytest.mark.parametrize(
    "copy, default_region, message",
    [
        ({"source_model_arn": "nope"}, "us-west-2", "copies[1].source_model_arn: expected a Bedrock custom"),
        ({"target_model_name": "-bot"}, "us-west-2", "copies[1].target_model_name: expected 1-63 letters"),
        ({}, None, "copies[1].region: give the region the model is copied to"),
        ({"region": ""}, "us-west-2", "copies[1].region: expected a region name such as us-west-2, got ''"),
        ({"name": "bot"}, "us-west-2", "copies[1].name: is not a key of a copy; its keys are source_model_arn,"),
        ({"source_model_arn": None}, "us-west-2", "copies[1].source_model_arn: is required"),
        ({"target_model_name": 7}, "us-west-2", "copies[1].target_model_name: expected 1-63 letters"),
        (
            {"assume_role_arn": "arn:aws:iam::111111111111:user/gate"},
            "us-west-2",
            "copies[1].assume_role_arn: expected an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), got",
        ),
        (
            {"assume_role_arn": "arn:aws:bedrock:us-west-2:111111111111:custom-model/x"},
            "us-west-2",
            "copies[1].assume_role_arn: expected an IAM role ARN",
        ),
        ({"assume_role_arn": "111111111111"}, "us-west-2", "copies[1].assume_role_arn: expected an IAM role ARN"),
        (
            {"assume_role_arn": "arn:aws:iam::111111111111:role/gate", "profile": "prod"},
            "us-west-2",
            "copies[1].profile: give assume_role_arn or profile, not both",
        ),
        ({"external_id": "abc"}, "us-west-2", "copies[1].external_id: is only used with assume_role_arn"),
        ({"role_session_name": "abc"}, "us-west-2", "copies[1].role_session_name: is only used with assume_role_arn"),
        (
            {"assume_role_arn": "arn:aws:iam::111111111111:role/gate", "role_session_name": "a b"},
            "us-west-2",
            "copies[1].role_session_name: expected 2-64 letters",
        ),
        (
            {"assume_role_arn": "arn:aws:iam::111111111111:role/gate", "external_id": "x"},
            "us-west-2",
            "copies[1].external_id: expected 2-1224 letters",
        ),
        ({"profile": ""}, "us-west-2", "copies[1].profile: expected the name of a profile"),
    ],
)
def test_a_bad_copy_is_named_by_its_index(copy, default_region, message):
    good = {"source_model_arn": SOURCE_ARN, "target_model_name": "bot", "region": "eu-west-1"}
    bad = {**good, "region": None, **copy}
    with pytest.raises(InvalidOption) as error:
        check_copies([good, bad], default_region)
    assert str(error.value).startswith(message)


def test_a_copy_keeps_the_account_keys_it_gives():
    role = "arn:aws-us-gov:iam::111111111111:role/teams/bedrock-gate"
    copies = [
        {"source_model_arn": SOURCE_ARN, "target_model_name": "bot", "assume_role_arn": role, "external_id": "rel-42"},
        {"source_model_arn": SOURCE_ARN, "target_model_name": "bot", "profile": "prod"},
        {"source_model_arn": SOURCE_ARN, "target_model_name": "bot"},
    ]
    checked = check_copies(copies, "us-west-2")
    assert checked[0]["assume_role_arn"] == role and checked[0]["external_id"] == "rel-42"
    assert checked[1]["profile"] == "prod"
    assert set(checked[2]) == {"source_model_arn", "target_model_name", "region"}


def test_no_copies_is_an_error():
    with pytest.raises(InvalidOption, match=r"^copies: is empty"):
        check_copies([], "us-west-2")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12", True),
        ("arn:aws:bedrock:us-west-2:123456789012:custom-model/imported/abcdefghij12", True),
        ("arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1:0:8k", False),
        ("arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abcdefghij12", False),
        ("support-bot", False),
    ],
)
def test_a_deployment_serves_custom_models_only(value, ok):
    from ansible_collections.amazon.bedrock.plugins.module_utils._validation import check_custom_model_arn

    if ok:
        assert check_custom_model_arn("model", value) == value
    else:
        with pytest.raises(InvalidOption, match=r"^model: expected a custom model ARN"):
            check_custom_model_arn("model", value)


def test_deployment_info_takes_a_name_or_an_arn():
    from ansible_collections.amazon.bedrock.plugins.module_utils._validation import check_deployment_list_options

    arn = "arn:aws:bedrock:us-west-2:123456789012:custom-model-deployment/abcdefghij12"
    assert check_deployment_list_options({"name": arn})["name"] == arn
    assert check_deployment_list_options({"name": "support-bot"})["name"] == "support-bot"
    with pytest.raises(InvalidOption, match=r"^name: expected a custom model deployment name or ARN"):
        check_deployment_list_options({"name": arn.replace("deployment", "deploy")})
