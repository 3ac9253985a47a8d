# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Bedrock clients for any number of regions from ONE boto3 session.

``module.client()`` builds a new boto3 session for every client, and every session loads Bedrock's service
model, the endpoint rules and the partitions again: 20 regions cost 20 loads (seconds and hundreds of MiB).
Here one session serves every region, so those files are read and parsed once.

The connection options are parsed by amazon.aws (``get_aws_connection_info``, which the module calls);
this takes its result, never the module. The clients are made to fail fast when no connection can be
made, and botocore's own retries are off (see ``FAST_FAILURE``); everything else is retried per request by
``_bedrock.call``.
"""

from __future__ import annotations

import difflib
import os
from typing import Any, Callable, Iterable

try:
    import boto3
    import botocore.config
    import botocore.exceptions
    import botocore.session
except ImportError:
    pass  # AnsibleAWSModule reports a missing boto3/botocore to the user.

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.common.warnings import warn as ansible_warn
from ansible_collections.amazon.aws.plugins.module_utils.botocore import enable_placebo

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    configure_attempts,
    keep_timestamps_as_text,
)

# A TCP connection that is not up after this long is not coming (botocore waits 60 s by default).
CONNECT_TIMEOUT = 5
# botocore's own retries are always off: _bedrock.call is the one retry layer. It retries what is worth retrying,
# from its page, on a time budget (and, inside a wait, until the wait's deadline), and fails at once when no
# connection can be made, which botocore would retry 4 times more. The user's max_attempts (aws_config's retries,
# AWS_MAX_ATTEMPTS or the profile's) is handed to that layer instead (see configured_attempts); the user's retry
# mode stays botocore's, for adaptive mode's client-side rate limiting (with one attempt, it retries nothing).
FAST_FAILURE: dict[str, Any] = dict(connect_timeout=CONNECT_TIMEOUT, retries={"total_max_attempts": 1})
USER_AGENT_EXTRA = f"Ansible/{ANSIBLE_VERSION} amazon.bedrock"
NO_REGION = "a region is needed: give region (model_copy_info also takes each copy's region), or set AWS_REGION"


def bedrock_clients(
    regions: Iterable[str | None],
    endpoint_url: str | None,
    connection: dict[str, Any],
    warn: Callable[[str], None] = ansible_warn,
    core: Any = None,
) -> dict[str | None, Any]:
    """One ``bedrock`` client per region (in the order given, each once), all from one session.

    ``endpoint_url`` and ``connection`` are what amazon.aws's ``get_aws_connection_info`` returns after the
    region: credentials or ``profile_name``, ``verify`` (validate_certs / aws_ca_bundle) and ``aws_config``.
    Without ``endpoint_url``, a region botocore does not list Bedrock in earns one line through ``warn`` (by
    default the running module's warnings). ``core``: the botocore session to use (another account's, see
    ``_accounts``), else one is made from ``connection``. Raises AnsibleBedrockError, with a one-line message, when a
    client cannot be made.
    """
    regions = list(dict.fromkeys(regions))
    params = dict(connection)
    profile = params.pop("profile_name", None)
    user_config = params.pop("aws_config", None)
    try:
        core = core or botocore.session.Session(profile=profile)
        config = client_config(core, user_config)
        attempts = configured_attempts(core, user_config)
        session = boto3.session.Session(botocore_session=core)
        enable_placebo(session)
        clients = {
            region: configure_attempts(
                keep_timestamps_as_text(_create_client(session, region, endpoint_url, config, params)), attempts
            )
            for region in regions
        }
    except botocore.exceptions.NoRegionError as e:
        raise AnsibleBedrockError(message=NO_REGION) from e
    except (ValueError, botocore.exceptions.BotoCoreError) as e:
        # ProfileNotFound, PartialCredentialsError, a malformed endpoint_url or region: say which, no traceback.
        raise AnsibleBedrockError(message=f"Couldn't connect to AWS: {e}") from e
    text = None if endpoint_url else unlisted_region_warning(core, regions)
    if text:
        warn(text)
    return clients


def unlisted_region_warning(core: Any, regions: Iterable[str | None]) -> str | None:
    """One line naming the regions botocore does not list Bedrock in (in any partition), with the closest it does.

    Without endpoint_url the request goes to ``bedrock.REGION.amazonaws.com``, which for a typo (``us-west``) or
    a place name (``Oregon``) does not exist: it fails as a connection error that does not say why. ``core`` is
    the clients' botocore session, whose endpoint data is already loaded.
    """
    listed = {region for p in core.get_available_partitions() for region in core.get_available_regions("bedrock", p)}
    unlisted = [region for region in dict.fromkeys(regions) if region and region not in listed]
    if not unlisted:
        return None
    named = ", ".join(f"'{region}'{_closest(core, region, listed)}" for region in unlisted)
    return (
        f"region {named}: botocore {botocore.__version__} does not list Amazon Bedrock there, so requests are"
        " expected to fail; check the region's code (or update botocore if Bedrock is new there)"
    )


def _closest(core: Any, region: str, listed: set[str]) -> str:
    """`` (did you mean us-west-2?)``: listed regions whose code is close, else whose name holds the text (Oregon)."""
    text = region.lower()
    names = {
        code: info.get("description", "")
        for partition in core.get_component("data_loader").load_data("endpoints").get("partitions", [])
        for code, info in partition.get("regions", {}).items()
        if code in listed
    }
    by_name = [f"{code} ({name})" for code, name in sorted(names.items()) if len(text) >= 4 and text in name.lower()]
    found = sorted(difflib.get_close_matches(text, sorted(listed), n=3, cutoff=0.8)) or by_name[:3]
    return f" (did you mean {' or '.join(found)}?)" if found else ""


def client_config(core: Any, user_config: Any = None) -> Any:
    """The clients' botocore Config: fast failure, then the user's aws_config, with botocore's retries off.

    ``core`` is the botocore session: its profile and environment say whether the user chose a retry mode.
    """
    config = botocore.config.Config(user_agent_extra=USER_AGENT_EXTRA, **FAST_FAILURE)
    user = _as_config(user_config)
    if user is not None:
        config = config.merge(user)
    retries = dict(FAST_FAILURE["retries"])
    mode = (getattr(user, "retries", None) or {}).get("mode")
    if mode is None and ("AWS_RETRY_MODE" in os.environ or "retry_mode" in core.get_scoped_config()):
        mode = core.get_config_variable("retry_mode")
    if mode:
        retries["mode"] = mode
    return config.merge(botocore.config.Config(retries=retries))


def sts_config(attempts: int | None = None) -> Any:
    """STS keeps botocore's own retries (it is not Bedrock's retry layer's) unless ``attempts`` says how many, and
    fails fast when unreachable."""
    retries = {"retries": {"total_max_attempts": attempts}} if attempts else {}
    return botocore.config.Config(user_agent_extra=USER_AGENT_EXTRA, connect_timeout=CONNECT_TIMEOUT, **retries)


def configured_attempts(core: Any, user_config: Any = None) -> int | None:
    """The attempts per request the user chose, counting the first: aws_config's ``retries``
    (``total_max_attempts``, or ``max_attempts`` retries), else AWS_MAX_ATTEMPTS, else the profile's max_attempts.
    None: the user chose none (the collection's time budget applies)."""
    retries = getattr(_as_config(user_config), "retries", None) or {}
    if retries.get("total_max_attempts") is not None:
        return int(retries["total_max_attempts"])
    if retries.get("max_attempts") is not None:
        return int(retries["max_attempts"]) + 1
    value = core.get_config_variable("max_attempts")
    return None if value is None else int(value)


def _as_config(user_config: Any) -> Any:
    if not user_config or isinstance(user_config, botocore.config.Config):
        return user_config or None
    return botocore.config.Config(**user_config)


def _create_client(session: Any, region: str | None, endpoint_url: str | None, config: Any, params: dict) -> Any:
    return session.client("bedrock", region_name=region, endpoint_url=endpoint_url, config=config, **params)


def bedrock_client(region: str | None, endpoint_url: str | None, connection: dict[str, Any]) -> Any:
    """The ``bedrock`` client of one region; the arguments are ``get_aws_connection_info``'s result as it is."""
    return bedrock_clients([region], endpoint_url, connection)[region]
