# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_util is for internal use only: its API may change at any time without notice.

"""Which of a role's variables nobody declared: a misspelled input is otherwise silently ignored.

A role's inputs are the options of its argument spec, all named ``ROLE_...``. Ansible validates the inputs
it knows and never looks at the others, so ``model_copy_gate_fial: false`` leaves ``model_copy_gate_fail`` at
its default and the role does what it was told not to. Variables under the role's prefix that are not inputs
are named here, with the closest input. ``ROLE__...`` (double underscore) are the role's own internal
variables, and the facts a role sets (its outputs) are not inputs either: neither is flagged.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable


def spec_inputs(argument_specs: Any, entry_point: str) -> list[str]:
    """The option names of ``entry_point`` in a role's ``argument_specs`` (the data under that key)."""
    entry = argument_specs.get(entry_point) if isinstance(argument_specs, dict) else None
    if not isinstance(entry, dict):
        known = ", ".join(sorted(argument_specs)) if isinstance(argument_specs, dict) else "none"
        raise ValueError(f"the role's argument spec has no entry point {entry_point!r} (it has: {known or 'none'})")
    return sorted(entry.get("options") or {})


def unknown_inputs(names: Iterable[str], prefix: str, inputs: Iterable[str], outputs: Iterable[str] = ()) -> list[str]:
    """The names under ``prefix`` that are neither inputs, outputs nor internal (``prefix`` + ``_``), sorted."""
    known = set(inputs) | set(outputs)
    return sorted(
        name
        for name in set(names)
        if name.startswith(prefix) and not name.startswith(prefix + "_") and name not in known
    )


def unknown_inputs_message(role: str, prefix: str, unknown: list[str], inputs: list[str]) -> str:
    """One line: each unknown name with the closest input, then the inputs there are.

    Names are compared without the prefix they share, which would otherwise make every input look close.
    """
    named = []
    suffixes = {name[len(prefix) :]: name for name in inputs if name.startswith(prefix)}
    for name in unknown:
        closest = difflib.get_close_matches(name[len(prefix) :], list(suffixes), n=1, cutoff=0.6)
        named.append(f"{name} (did you mean {suffixes[closest[0]]}?)" if closest else name)
    noun = "is not an input" if len(unknown) == 1 else "are not inputs"
    return (
        f"{', '.join(named)} {noun} of the role {role}, which would ignore {'it' if len(unknown) == 1 else 'them'};"
        f" its inputs are {', '.join(inputs)}"
    )
