"""The action plugins are controller code: importing them makes ansible-core believe it runs on the controller.

ansible-core (2.19 and later) then sends a module's warnings to the controller's display instead of into its
result. The module tests of this session expect module behaviour, so the flag is put back after the import
and set only while an action plugin test runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from ansible.module_utils import _internal


def _import_controller() -> bool:
    """Import the controller's action base; returns what it set the flag to and puts the flag back."""
    before = _internal.is_controller
    importlib.import_module("ansible.plugins.action")
    flag = _internal.is_controller
    _internal.is_controller = before
    return flag


_CONTROLLER = _import_controller()


@pytest.fixture(autouse=True)
def controller() -> Iterator[None]:
    before = _internal.is_controller
    _internal.is_controller = _CONTROLLER
    yield
    _internal.is_controller = before
