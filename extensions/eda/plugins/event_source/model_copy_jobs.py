# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""model_copy_jobs.py: an ansible-rulebook event source for Amazon Bedrock model copy jobs."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any, Awaitable, Callable

DOCUMENTATION = r"""
---
short_description: Receive an event when an Amazon Bedrock model copy job starts, completes or fails.
description:
  - An ansible-rulebook event source plugin that watches Amazon Bedrock model copy jobs and sends one event
    per change it observes, each exactly once while it runs.
  - Bedrock sends no EventBridge event for model copy jobs; this source polls ListModelCopyJobs instead,
    in steady state with one request per region per poll (newest job first, stopping where nothing newer
    or still in progress can follow).
  - "An event is C({model_copy_job: <the job>, region: <region>, previous_status: null | InProgress,
    model_status: null | Active | Failed}). C(model_copy_job) holds the job exactly as
    M(amazon.bedrock.model_copy_job_info) returns it (C(job_arn), C(status), C(target_model_arn),
    C(failure_message), ...), except for a copy whose model failed (see below)."
  - A job seen for the first time is an event with C(previous_status=null), whatever its status; its move
    from C(InProgress) to C(Completed) or C(Failed) is another event with C(previous_status=InProgress).
  - A copy is completed only once the custom model its job made is C(Active) (a job can be C(Completed)
    while its model is still C(Creating), and the model can end C(Failed)). The event of a C(Completed) job
    waits until then; it has C(model_status=Active). If the model ends C(Failed), the event has
    C(model_status=Failed) and reports the job as C(Failed) with the model's C(failure_message), so a rule on
    C(status == "Completed") never deploys it. C(model_status) is null in every other event. A job whose
    model is not found for five minutes after it completed (deleted meanwhile) is no event.
  - While some completed job's model is not yet known C(Active), a poll reads those models with one more
    request in that region (GetCustomModel for one, one ListCustomModels listing for several).
  - Throttling, server errors and connections lost mid-response never end the source; it backs off and
    polls again, and no change is reported twice or lost. Access denied, bad or missing credentials, or an
    endpoint no connection can be made to (refused, host name not resolved, connect timeout) end it with
    one log line.
  - Needs boto3 and botocore, ansible-core and the amazon.aws collection where ansible-rulebook runs
    (the decision environment), and the permissions C(bedrock:ListModelCopyJobs), C(bedrock:GetCustomModel)
    and C(bedrock:ListCustomModels) in every region it watches.
  - This supports all the authentication methods supported by the boto library
    U(https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html).
options:
  regions:
    description:
      - The regions to watch; they are polled concurrently.
      - Defaults to the region of the AWS environment (C(AWS_REGION), C(AWS_DEFAULT_REGION) or the profile's).
    type: list
    elements: str
  targets:
    description:
      - Instead of C(regions), the regions to watch each in its account, when jobs live in several accounts
        (C(ListModelCopyJobs) lists only the calling account's). Each target is a C(region) with
        C(assume_role_arn) (and optional C(role_session_name), default C(amazon.bedrock-model_copy_info), and
        C(external_id)), a role assumed with the source's own credentials, or with C(profile), a named profile.
        A target with only C(region) is watched with the source's own credentials.
      - Each role is assumed once when the source starts (one that cannot be assumed ends it at once, with one
        line naming the role and the target); botocore assumes it again before its credentials expire, for as
        long as the source runs. The targets are polled concurrently, each with one request per poll.
      - STS is reached the standard botocore way (its regional endpoint, or C(AWS_ENDPOINT_URL_STS) or the
        profile's C(services) section); C(endpoint_url) is Bedrock's only.
      - The account of an event's job is in its C(job_arn).
    type: list
    elements: dict
  source_model_arn:
    description:
      - Only copies of this model.
    type: str
  target_model_name_contains:
    description:
      - Only jobs whose target model name contains this text.
    type: str
  delay_seconds:
    description:
      - Seconds between the start of two polls of a region. An event arrives at most this long plus
        one request after the change.
    type: int
    default: 30
  emit_existing:
    description:
      - When false, jobs already C(Completed) or C(Failed) when the source starts are no events (even if a
        completed job's model is still C(Creating)), and jobs C(InProgress) then are watched and are events
        when they finish.
      - When true, every matching job is an event once at start (a C(Completed) one once its model is
        C(Active) or C(Failed)).
    type: bool
    default: false
  endpoint_url:
    description:
      - URL to connect to instead of the default AWS endpoints.
    type: str
  aws_access_key_id:
    description:
      - AWS access key ID.
    type: str
  aws_secret_access_key:
    description:
      - AWS secret access key.
    type: str
  aws_session_token:
    description:
      - STS session token for use with temporary credentials.
    type: str
  profile:
    description:
      - Named AWS profile to use.
    type: str
"""

EXAMPLES = r"""
- name: Deploy a model as soon as its copy completes
  hosts: localhost
  sources:
    - amazon.bedrock.model_copy_jobs:
        regions:
          - us-east-1
          - eu-west-1
        target_model_name_contains: support-bot
        delay_seconds: 60
  rules:
    - name: A copy completed
      condition: event.model_copy_job.status == "Completed"
      action:
        run_playbook:
          name: amazon.bedrock.deploy_copy
    - name: A copy failed (its job, or the custom model it made)
      condition: event.model_copy_job.status == "Failed"
      action:
        debug:
          msg: "{{ event.model_copy_job.job_arn }} failed: {{ event.model_copy_job.failure_message }}"

- name: Deploy copies that land in two accounts
  hosts: localhost
  sources:
    - amazon.bedrock.model_copy_jobs:
        targets:
          - {region: us-east-1}
          - {region: us-east-1, assume_role_arn: "arn:aws:iam::111111111111:role/bedrock-copy-gate"}
          - {region: eu-west-1, assume_role_arn: "arn:aws:iam::111111111111:role/bedrock-copy-gate"}
  rules:
    - name: A copy completed
      condition: event.model_copy_job.status == "Completed"
      action:
        run_playbook:
          name: amazon.bedrock.deploy_copy
"""


def _use_installed_collections() -> None:
    """Make ``ansible_collections.*`` importable: the collections root this file is installed in comes first.

    ansible-rulebook runs a source with runpy, without Ansible's collection loader. ``ansible_collections``
    and its namespaces have no ``__init__.py``, so Python merges every ``ansible_collections`` directory on
    sys.path; this puts the one this collection is installed in first, and the configured collections paths
    (where amazon.aws may live) after it.
    """
    here = os.path.realpath(__file__)
    parts = here.split(os.sep)
    roots = []
    if len(parts) > 8 and parts[-8] == "ansible_collections":
        roots.append(os.sep.join(parts[:-8]))
    configured = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS")
    defaults = [os.path.expanduser("~/.ansible/collections"), "/usr/share/ansible/collections"]
    for path in configured.split(os.pathsep) if configured else defaults:
        path = os.path.expanduser(path)
        # A path given as its ansible_collections directory means its parent.
        roots.append(os.path.dirname(path) if os.path.basename(path) == "ansible_collections" else path)
    for position, root in enumerate(dict.fromkeys(r for r in roots if os.path.isdir(r))):
        if root in sys.path:
            sys.path.remove(root)
        sys.path.insert(position, root)


_use_installed_collections()

# pylint: disable=wrong-import-position
import boto3
import botocore.config
import botocore.exceptions
import botocore.session

from ansible_collections.amazon.bedrock.plugins.module_utils._accounts import (
    TASK,
    CredentialSource,
    source_of,
    source_sessions,
    sts_config,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    AnsibleBedrockError,
    EndpointUnreachable,
    RetryPolicy,
    is_transient,
    keep_timestamps_as_text,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_job_events import (
    Backoff,
    RegionWatch,
    SourceFailed,
    describe,
    listing_filters,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    check_event_source_args,
)

ClientFactory = Callable[..., Any]  # (region) -> client; (region, source) for a target in another account
Sleep = Callable[[float], Awaitable[Any]]
Clock = Callable[[], float]
# The longest pause after failed polls in a row (the pause doubles from delay_seconds).
MAX_BACKOFF = 300.0


def _boto3_clients(
    options: dict[str, Any], targets: list[dict[str, Any]] | tuple[()] = ()
) -> tuple[ClientFactory, str | None]:
    """A bedrock client per target (region, and the account it names) and the environment's region.

    One botocore session per credential source (the source's own credentials, a profile, or a role assumed with
    the source's credentials, whose credentials botocore refreshes before they expire, for as long as it runs).
    """
    try:
        core = botocore.session.Session(profile=options["profile"])
        if options["aws_access_key_id"]:
            core.set_credentials(
                options["aws_access_key_id"], options["aws_secret_access_key"], options["aws_session_token"]
            )
        default_region = core.get_config_variable("region")
        # The source's own credentials are always there (for regions); each role is assumed once, now.
        wanted = [(TASK, "regions")] + [(source_of(t), f"targets[{index}]") for index, t in enumerate(targets)]
        sessions = source_sessions(wanted, core, default_region, {}, sts_config())
    except botocore.exceptions.ProfileNotFound as e:
        raise SourceFailed(f"model_copy_jobs: profile: {e}") from None
    except AnsibleBedrockError as e:  # a role that cannot be assumed, a target's profile that is not configured
        raise SourceFailed(f"model_copy_jobs: {e.message}") from None
    config = botocore.config.Config(user_agent_extra="amazon.bedrock/model_copy_jobs")
    boto3_sessions = {source: boto3.session.Session(botocore_session=s) for source, s in sessions.items()}

    def client(region: str, source: CredentialSource = TASK) -> Any:
        made = boto3_sessions[source].client(
            "bedrock", region_name=region, endpoint_url=options["endpoint_url"], config=config
        )
        return keep_timestamps_as_text(made)

    return client, default_region


async def _watch_region(
    watch: RegionWatch, queue: Any, delay: float, clock: Clock, sleep: Sleep, logger: logging.Logger, label: str = ""
) -> None:
    """Poll one region (of one account) forever; only an error that would recur on every poll ends it."""
    label = label or watch.region
    backoff = Backoff(delay, max(delay, MAX_BACKOFF))
    while True:
        started = clock()
        try:
            events = await asyncio.to_thread(watch.poll)
        except Exception as e:  # pylint: disable=broad-exception-caught
            # An endpoint that cannot be reached at the start is a wrong endpoint_url or network: stop. Once the
            # region answered, it is a network blip like a dropped connection: back off and poll again.
            if not is_transient(e) and not (watch.started and isinstance(e, EndpointUnreachable)):
                raise SourceFailed(describe(e, label)) from None
            pause = backoff.next()
            logger.warning("%s; polling again in %.0fs", describe(e, label), pause)
            await sleep(pause)
            continue
        backoff.reset()
        for event in events:
            await queue.put(event)
        pause = delay - (clock() - started)
        if pause > 0:
            await sleep(pause)


async def main(
    queue: Any,
    args: dict[str, Any],
    clock: Clock | None = None,
    sleep: Sleep | None = None,
    client_factory: ClientFactory | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> None:
    """Watch the regions' model copy jobs and put one event per change on ``queue``.

    ansible-rulebook calls ``main(queue, args)``; the tests also give a clock, a sleep and clients.
    """
    logger = logging.getLogger(__name__)
    try:
        options = check_event_source_args(args)
    except ValueError as e:
        raise SourceFailed(f"model_copy_jobs: {e}") from None
    # A plain region is a target read with the source's own credentials.
    targets = options["targets"] or [{"region": region} for region in options["regions"] or []]
    if client_factory is None:
        client_factory, default_region = _boto3_clients(options, targets)
        targets = targets or ([{"region": default_region}] if default_region else [])
    if not targets:
        raise SourceFailed("model_copy_jobs: regions: not given, and the AWS environment names no region")
    filters = listing_filters(options["source_model_arn"], options["target_model_name_contains"])
    # The watches run in threads: they read the given clock, or time.monotonic (the loop's clock is that too).
    watch_clock = {"clock": clock} if clock else {}
    sources = [source_of(target) for target in targets]
    labels = [t["region"] if s == TASK else f"{t['region']} ({s})" for t, s in zip(targets, sources)]
    watches = [
        RegionWatch(
            client_factory(t["region"]) if s == TASK else client_factory(t["region"], s),
            t["region"],
            filters,
            options["emit_existing"],
            retry,
            **watch_clock,
        )
        for t, s in zip(targets, sources)
    ]
    logger.info("model_copy_jobs: watching model copy jobs in %s", ", ".join(labels))
    tasks = [
        asyncio.create_task(
            _watch_region(
                w, queue, options["delay_seconds"], clock or _monotonic, sleep or asyncio.sleep, logger, label
            )
        )
        for w, label in zip(watches, labels)
    ]
    try:
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _monotonic() -> float:
    return asyncio.get_running_loop().time()


if __name__ == "__main__":

    class _PrintQueue:
        async def put(self, event: dict[str, Any]) -> None:
            print(event)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), {"regions": sys.argv[1:] or None, "emit_existing": True}))
