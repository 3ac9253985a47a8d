"""Fail if a task that make integration-aws runs could call the local endpoint's control API.

tests/integration/aws/checks.yml names, per group, the integration targets it runs with bedrock_emulator false. In
each such target, every top-level task of tasks/main.yml must be conditional on bedrock_emulator (or it would run
against AWS too); the ones under ``not (bedrock_emulator ...)``, and every file they include, in turn, must not use
the uri module, the control API's path (/moto-api/) or a target's ``*_control`` URL variable, and their
module_defaults must not point at an endpoint or carry credentials. Run by hacking/lint.sh (make lint).

Usage: python hacking/check_aws_tasks.py [ROOT]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import yaml

PLAYBOOK = Path("tests/integration/aws/checks.yml")
TARGETS = Path("tests/integration/targets")
URI_MODULES = {"uri", "ansible.builtin.uri", "ansible.legacy.uri", "get_url", "ansible.builtin.get_url"}
INCLUDES = {"include_tasks", "import_tasks", "ansible.builtin.include_tasks", "ansible.builtin.import_tasks"}
CONTROL_MARKERS = ("moto-api", "_control")
DEFAULTS_FORBIDDEN = {
    "endpoint_url",
    "aws_endpoint_url",
    "access_key",
    "secret_key",
    "aws_access_key",
    "aws_secret_key",
}


def walk(tasks: list[dict[str, Any]] | None) -> Iterator[dict[str, Any]]:
    """Every task, blocks included (the block itself first, then its block, rescue and always tasks)."""
    for task in tasks or []:
        yield task
        for section in ("block", "rescue", "always"):
            yield from walk(task.get(section))


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def included_file(task: dict[str, Any]) -> str | None:
    for key in INCLUDES:
        if key in task:
            arg = task[key]
            return arg.get("file") if isinstance(arg, dict) else arg
    return None


def is_aws_only(task: dict[str, Any]) -> bool:
    when = task.get("when")
    conditions = when if isinstance(when, list) else [when]
    return any(isinstance(c, str) and c.replace(" ", "").startswith("not(bedrock_emulator") for c in conditions)


def problems_in(path: Path, tasks: list[dict[str, Any]], root: Path, seen: set[Path]) -> Iterator[str]:
    """Problems in tasks run against AWS, and in the files they include (relative to the same tasks/ directory)."""
    where = path.relative_to(root)
    for task in walk(tasks):
        name = task.get("name", "(unnamed)")
        modules = URI_MODULES.intersection(task)
        if modules:
            yield f"{where}: task {name!r} uses {sorted(modules)[0]} (the control API is reached that way)"
        texts = [s for key, value in task.items() if key not in ("block", "rescue", "always") for s in strings(value)]
        for marker in CONTROL_MARKERS:
            if any(marker in text for text in texts):
                yield f"{where}: task {name!r} mentions {marker!r} (the endpoint's control API)"
        for group, defaults in (task.get("module_defaults") or {}).items():
            for option in DEFAULTS_FORBIDDEN.intersection(defaults or {}):
                yield f"{where}: task {name!r} sets {option} in module_defaults for {group} (AWS runs take neither)"
        include = included_file(task)
        if include:
            if "{{" in include:
                yield f"{where}: task {name!r} includes a templated file name ({include}); name the file"
                continue
            child = (path.parent / include).resolve()
            if child in seen:
                continue
            seen.add(child)
            if not child.is_file():
                yield f"{where}: task {name!r} includes {include}, which does not exist"
                continue
            yield from problems_in(child, yaml.safe_load(child.read_text()) or [], root, seen)


def check(root: Path) -> list[str]:
    playbook_path = root / PLAYBOOK
    plays = yaml.safe_load(playbook_path.read_text())
    found: list[str] = []
    targets: list[str] = []
    for play in plays:
        groups = (play.get("vars") or {}).get("bedrock_aws_groups") or {}
        if not groups:
            found.append(f"{PLAYBOOK}: play {play.get('name')!r} has no bedrock_aws_groups")
        for group in groups.values():
            targets.extend(t for t in group.get("targets", []) if t not in targets)
        for section in ("pre_tasks", "tasks", "post_tasks", "handlers"):
            found.extend(problems_in(playbook_path, play.get(section) or [], root, set()))
    for target in targets:
        main = root / TARGETS / target / "tasks" / "main.yml"
        if not main.is_file():
            found.append(f"{PLAYBOOK}: target {target} has no tasks/main.yml")
            continue
        aws_tasks = []
        for task in yaml.safe_load(main.read_text()) or []:
            when = task.get("when")
            conditions = when if isinstance(when, list) else [when]
            if not any(isinstance(c, str) and "bedrock_emulator" in c for c in conditions):
                name = task.get("name", "(unnamed)")
                found.append(
                    f"{main.relative_to(root)}: top-level task {name!r} does not say when it runs"
                    " (when: bedrock_emulator ... or not (bedrock_emulator ...)), so it would run against AWS too"
                )
            elif is_aws_only(task):
                aws_tasks.append(task)
        if not aws_tasks:
            found.append(
                f"{main.relative_to(root)}: no task runs when not (bedrock_emulator ...); nothing to run on AWS"
            )
        found.extend(problems_in(main, aws_tasks, root, {main.resolve()}))
    return found


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    found = check(root)
    for line in found:
        print(line)
    if found:
        print(f"check_aws_tasks: {len(found)} problem(s) in what make integration-aws runs")
        return 1
    print("check_aws_tasks: no task make integration-aws runs reaches the control API")
    return 0


if __name__ == "__main__":
    sys.exit(main())
