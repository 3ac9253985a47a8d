# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""The account each copy is read in: the task's credentials, a named profile, or an IAM role assumed with the
task's credentials (``assume_role_arn``, as amazon.aws's inventory plugins name it).

One botocore session per credential source, each sharing the task session's data loader, so Bedrock's service
model, the endpoint rules and the partitions are read and parsed once however many accounts there are. A role is
assumed once when its session is made (so a refused role fails before any Bedrock request, naming the role and
the copy), and its credentials are botocore's ``RefreshableCredentials`` over an ``AssumeRoleCredentialFetcher``:
botocore assumes the role again before they expire, so a wait longer than the role's session keeps working.

STS is reached the standard botocore way: its regional endpoint in the task's region, or what
``AWS_ENDPOINT_URL_STS`` or the profile's ``services`` section says. The modules' ``endpoint_url`` is Bedrock's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Iterable

try:
    import botocore.credentials
    import botocore.exceptions
    import botocore.session
except ImportError:
    pass  # AnsibleAWSModule reports a missing boto3/botocore to the user.

from ansible.module_utils.common.warnings import warn as ansible_warn

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import AnsibleBedrockError
from ansible_collections.amazon.bedrock.plugins.module_utils._clients import bedrock_clients, sts_config

DEFAULT_SESSION_NAME = "amazon.bedrock-model_copy_info"
CREDENTIAL_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
# What a copy may say about its account; a copy with none of them is read with the task's credentials.
ACCOUNT_KEYS = ("assume_role_arn", "role_session_name", "external_id", "profile")


@dataclass(frozen=True)
class CredentialSource:
    """Where a copy's requests get their credentials; copies with equal sources share clients and listings."""

    role_arn: str | None = None
    session_name: str | None = None
    external_id: str | None = None
    profile: str | None = None

    @property
    def role_account(self) -> str | None:
        """The account of an assumed role, from its ARN (arn:PARTITION:iam::ACCOUNT:role/NAME): no request."""
        return self.role_arn.split(":")[4] if self.role_arn else None

    def __str__(self) -> str:
        if self.role_arn:
            return f"role {self.role_arn}"
        return f"profile {self.profile}" if self.profile else "the task's credentials"


TASK = CredentialSource()


def source_of(copy: dict[str, Any]) -> CredentialSource:
    if copy.get("assume_role_arn"):
        return CredentialSource(
            role_arn=copy["assume_role_arn"],
            session_name=copy.get("role_session_name") or DEFAULT_SESSION_NAME,
            external_id=copy.get("external_id"),
        )
    return CredentialSource(profile=copy["profile"]) if copy.get("profile") else TASK


class AssumeRoleFailed(AnsibleBedrockError):
    """A role could not be assumed: the copies of that account cannot be read."""


def _source_credentials(base: Any, connection: dict[str, Any]) -> Any:
    """The task's credentials, which assume the roles: those given to the task, else the base session's."""
    if connection.get("aws_access_key_id"):
        return botocore.credentials.Credentials(
            connection["aws_access_key_id"],
            connection.get("aws_secret_access_key"),
            connection.get("aws_session_token"),
        )
    return base.get_credentials()


def assumed_role_credentials(
    base: Any,
    source: CredentialSource,
    region: str | None,
    connection: dict[str, Any],
    sts_config: Any,
    time_fetcher: Callable[[], Any] | None = None,
) -> Any:
    """Credentials of ``source``'s role that refresh themselves, the role assumed once now.

    ``base`` is the task's botocore session (its STS client reaches STS the standard way); ``time_fetcher``
    is botocore's clock, injectable for tests.
    """
    extra: dict[str, Any] = {"RoleSessionName": source.session_name}
    if source.external_id:
        extra["ExternalId"] = source.external_id
    create = functools.partial(
        base.create_client, region_name=region, config=sts_config, verify=connection.get("verify")
    )
    fetcher = botocore.credentials.AssumeRoleCredentialFetcher(
        client_creator=create,
        source_credentials=_source_credentials(base, connection),
        role_arn=source.role_arn,
        extra_args=extra,
        cache={},  # in memory: temporary credentials are never written anywhere
    )
    kwargs = {"time_fetcher": time_fetcher} if time_fetcher else {}
    credentials = botocore.credentials.DeferredRefreshableCredentials(
        fetcher.fetch_credentials, "assume-role", **kwargs
    )
    credentials.get_frozen_credentials()  # assumed now: a refused role fails before any Bedrock request
    return credentials


class _Given:
    """A credential provider (botocore's interface) that hands over credentials already made (an assumed role's)."""

    METHOD = CANONICAL_NAME = "assume-role"

    def __init__(self, credentials: Any) -> None:
        self._credentials = credentials

    def load(self) -> Any:
        return self._credentials


def source_sessions(
    sources: Iterable[tuple[CredentialSource, str]],
    base: Any,
    region: str | None,
    connection: dict[str, Any],
    sts_config: Any,
) -> dict[CredentialSource, Any]:
    """A botocore session per source (the task's is ``base``), each role assumed once.

    ``sources`` pairs each source with the name of the first copy read with it (``copies[N]``), which an
    assume-role failure names. Raises AssumeRoleFailed with one line.
    """
    sessions: dict[CredentialSource, Any] = {}
    for source, where in sources:
        if source in sessions:
            continue
        if source == TASK:
            sessions[source] = base
            continue
        core = botocore.session.Session(profile=source.profile)
        if source.profile and source.profile not in core.available_profiles:
            raise AnsibleBedrockError(message=f"{where}.profile: the profile {source.profile!r} is not configured")
        # One parse of the service model and endpoint data for every account.
        core.register_component("data_loader", base.get_component("data_loader"))
        if source.role_arn:
            try:
                credentials = assumed_role_credentials(base, source, region, connection, sts_config)
            except botocore.exceptions.ClientError as e:
                error = e.response.get("Error", {})
                raise AssumeRoleFailed(
                    message=f"{where}: could not assume role {source.role_arn}: "
                    f"{error.get('Code', 'Unknown')}: {error.get('Message', '')}".rstrip(": ")
                ) from e
            except botocore.exceptions.BotoCoreError as e:
                raise AssumeRoleFailed(message=f"{where}: could not assume role {source.role_arn}: {e}") from e
            resolver = botocore.credentials.CredentialResolver(providers=[_Given(credentials)])
            core.register_component("credential_provider", resolver)
        sessions[source] = core
    return sessions


def caller_account(core: Any, region: str | None, connection: dict[str, Any], sts_config: Any) -> str | None:
    """The account of a session's credentials (STS GetCallerIdentity, which no policy can deny), None if unreachable."""
    params = {key: connection[key] for key in CREDENTIAL_KEYS if connection.get(key)}
    try:
        client = core.create_client(
            "sts", region_name=region, config=sts_config, verify=connection.get("verify"), **params
        )
        return str(client.get_caller_identity()["Account"])
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
        return None


def account_from_arn(arn: str | None) -> str | None:
    """The account field of an ARN (a job's, listed in the account it lives in)."""
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[4] else None


class Accounts:
    """Each source's account id, found the cheapest correct way and remembered for the run.

    An assumed role's comes from its ARN; the task's credentials' or a profile's from the ARN of a job listed
    with them (jobs are listed in the caller's own account); only when none of their copies has a job yet,
    from one STS GetCallerIdentity (None when STS cannot be reached: the copies are read all the same).
    """

    def __init__(self, sessions: dict[CredentialSource, Any], region: str | None, connection: dict[str, Any]) -> None:
        self._sessions = sessions
        self._region = region
        self._connection = connection
        self._known: dict[CredentialSource, str | None] = {s: s.role_account for s in sessions if s.role_account}

    def account_of(self, source: CredentialSource, arns: Iterable[str | None]) -> str | None:
        if source not in self._known:
            found = next((account for account in map(account_from_arn, arns) if account), None)
            if found is None:
                connection = self._connection if source == TASK else {"verify": self._connection.get("verify")}
                # One attempt: an account id is not worth a wait where STS cannot be reached (it is then null).
                found = caller_account(self._sessions[source], self._region, connection, sts_config(attempts=1))
            self._known[source] = found
        return self._known[source]


def account_clients(
    copies: list[dict[str, Any]],
    region: str | None,
    endpoint_url: str | None,
    connection: dict[str, Any],
    warn: Callable[[str], None] = ansible_warn,
) -> tuple[dict[tuple[CredentialSource, str], Any], Accounts]:
    """A ``bedrock`` client per (credential source, region) the copies name, and their accounts.

    ``region``, ``endpoint_url`` and ``connection`` are ``get_aws_connection_info``'s result. Every role is assumed
    here, once (AssumeRoleFailed names the first copy of a role that is refused).
    """
    wanted = [(source_of(copy), f"copies[{index}]") for index, copy in enumerate(copies)]
    base = botocore.session.Session(profile=connection.get("profile_name"))
    sessions = source_sessions(wanted, base, region, connection, sts_config())
    warned: set[str] = set()

    def warn_once(text: str) -> None:
        if text not in warned:
            warned.add(text)
            warn(text)

    clients: dict[tuple[CredentialSource, str], Any] = {}
    for source, core in sessions.items():
        regions = [copy["region"] for copy, (s, _where) in zip(copies, wanted) if s == source]
        # Another account's session has its own credentials: only the task's connection carries the task's.
        own = connection if source == TASK else {k: v for k, v in connection.items() if k in ("verify", "aws_config")}
        made = bedrock_clients(regions, endpoint_url, own, warn_once, core=core)
        clients.update({(source, r): client for r, client in made.items() if r is not None})
    return clients, Accounts(sessions, region, connection)
