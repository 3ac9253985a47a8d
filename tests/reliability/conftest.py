"""The local endpoints of a reliability run, and the runs that start in the background as the session starts.

``endpoint_session`` is the one hacking/with-endpoint.sh started (or a fresh one); each test resets what it
uses. Two runs spend most of their time waiting (the AWS-error cases sleep between retries; the -vvv pass of
the bad-input matrix is one long ansible-playbook process) and need an endpoint to themselves (their request
counters must not see anything else), so when their tests are selected they start at once on private
endpoints, and those tests run last.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from harness import COLLECTIONS, Endpoint, Playbook, endpoint_for_run, running_endpoint


def _start_aws_errors(endpoint: Endpoint) -> Any:
    from aws_errors import start

    return start(endpoint)


def _start_bad_input_vvv(endpoint: Endpoint) -> Any:
    from bad_input import start

    return endpoint, start(endpoint, verbosity=3)


# fixture a test asks for -> (background run it needs, how to start that run on a fresh endpoint)
BACKGROUND: dict[str, tuple[str, Callable[[Endpoint], Any]]] = {
    "aws_errors_runs": ("aws_errors", _start_aws_errors),
    "matrix": ("bad_input_vvv", _start_bad_input_vvv),
}
_wanted = pytest.StashKey[dict[str, Callable[[Endpoint], Any]]]()


def pytest_configure(config: pytest.Config) -> None:
    if not (COLLECTIONS / "ansible_collections" / "amazon" / "bedrock" / "MANIFEST.json").is_file():
        raise pytest.UsageError("amazon.bedrock is not installed in .work/collections: run hacking/build.sh first")


def _needs(item: pytest.Item) -> dict[str, Callable[[Endpoint], Any]]:
    return dict(BACKGROUND[name] for name in getattr(item, "fixturenames", ()) if name in BACKGROUND)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    late = [item for item in items if _needs(item)]
    items[:] = [item for item in items if item not in late] + late


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note the background runs the selected tests need (after -k and the like have deselected some)."""
    wanted: dict[str, Callable[[Endpoint], Any]] = {}
    for item in session.items:
        wanted.update(_needs(item))
    session.config.stash[_wanted] = wanted


@pytest.fixture(scope="session")
def endpoint_session() -> Iterator[Endpoint]:
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(endpoint_for_run())


@pytest.fixture(scope="session", autouse=True)
def background(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """The background runs the selected tests need, by name, each started on an endpoint of its own."""
    started: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        for name, start in request.config.stash.get(_wanted, {}).items():
            url = stack.enter_context(running_endpoint(copy_duration=20))
            started[name] = start(Endpoint(url))
        try:
            yield started
        finally:
            for value in started.values():
                for playbook in value if isinstance(value, tuple) else (value,):
                    if isinstance(playbook, Playbook) and playbook.proc.poll() is None:
                        playbook.proc.kill()
                        playbook.proc.wait()
