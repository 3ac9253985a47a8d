"""Write an rst page for each ansible-rulebook event source of the collection and list them in the index.

antsibull-docs documents modules and roles but not event sources (extensions/eda/plugins/event_source/*.py).
Those files carry DOCUMENTATION and EXAMPLES in the ansible-doc format; this reads them without importing the
plugin (ast), renders the Ansible markup (C(), M(), U(), ...) with antsibull-docs-parser, and appends an
"Event Source Index" to the collection index antsibull-docs wrote.

Usage: python docs_event_sources.py COLLECTION_DIR RST_DIR
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import yaml
from antsibull_docs_parser import dom
from antsibull_docs_parser.parser import Context, parse
from antsibull_docs_parser.rst import to_rst

NAMESPACE, NAME = "amazon", "bedrock"


def _constants(path: Path) -> dict[str, str]:
    """The module-level string constants DOCUMENTATION and EXAMPLES of a plugin file."""
    found: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("DOCUMENTATION", "EXAMPLES"):
                    found[target.id] = node.value.value
    return found


def _markup(text: str | list[str], plugin: dom.PluginIdentifier) -> str:
    paragraphs = parse(text, Context(current_plugin=plugin), errors="exception")
    return to_rst(paragraphs, current_plugin=plugin)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in text.splitlines())


def _option_rows(options: dict[str, Any], plugin: dom.PluginIdentifier) -> list[str]:
    lines = [".. list-table::", "  :header-rows: 1", "  :widths: 25 75", "", "  * - Parameter", "    - Comments"]
    for name in sorted(options):
        spec = options[name] or {}
        kind = spec.get("type", "str")
        if kind == "list" and spec.get("elements"):
            kind = f"list / elements={spec['elements']}"
        lines += [f"  * - **{name}**", "", f"      {kind}"]
        description = _markup(spec.get("description", []), plugin)
        if "default" in spec:
            description += f"\n\nDefault: ``{yaml.safe_dump(spec['default']).splitlines()[0]}``"
        lines += ["    - " + _indent(description, 6).lstrip()]
    return lines


def render(name: str, doc: dict[str, Any], examples: str) -> str:
    fqcn = f"{NAMESPACE}.{NAME}.{name}"
    plugin = dom.PluginIdentifier(fqcn=fqcn, type="event_source")
    title = f"{fqcn} event source -- {doc['short_description'].rstrip('.')}"
    lines = [
        f".. _ansible_collections.{fqcn}_event_source:",
        "",
        title,
        "=" * len(title),
        "",
        f"This event source is part of the amazon.bedrock collection. It runs in ansible-rulebook: use "
        f"``{fqcn}`` under ``sources:`` in a rulebook.",
        "",
        ".. contents::",
        "  :local:",
        "  :depth: 1",
        "",
        "Synopsis",
        "--------",
        "",
    ]
    for paragraph in doc.get("description", []):
        lines += ["- " + _indent(_markup(paragraph, plugin), 2).lstrip(), ""]
    lines += ["Parameters", "----------", ""]
    lines += _option_rows(doc.get("options") or {}, plugin)
    lines += ["", "Examples", "--------", "", ".. code-block:: yaml+jinja", "", _indent(examples.strip("\n"), 2), ""]
    return "\n".join(lines) + "\n"


def main(collection_dir: str, rst_dir: str) -> None:
    sources = sorted((Path(collection_dir) / "extensions/eda/plugins/event_source").glob("[!_]*.py"))
    if not sources:
        return
    index_entries: list[str] = []
    pages: list[str] = []
    for path in sources:
        constants = _constants(path)
        if "DOCUMENTATION" not in constants:
            sys.exit(f"docs: {path.name} has no DOCUMENTATION")
        doc = yaml.safe_load(constants["DOCUMENTATION"])
        page = f"{path.stem}_event_source"
        Path(rst_dir, page + ".rst").write_text(render(path.stem, doc, constants.get("EXAMPLES", "")), encoding="utf-8")
        pages.append(page)
        plugin = dom.PluginIdentifier(fqcn=f"{NAMESPACE}.{NAME}.{path.stem}", type="event_source")
        summary = _markup(doc["short_description"], plugin)
        index_entries.append(
            f"* :ref:`{path.stem} event source <ansible_collections.{NAMESPACE}.{NAME}.{page}>` -- {summary}"
        )
    index = Path(rst_dir, "index.rst")
    section = [
        "",
        f".. _event_source_plugins_in_{NAMESPACE}.{NAME}:",
        "",
        "Event Source Index",
        "------------------",
        "",
        f"These are the ansible-rulebook event sources in the {NAMESPACE}.{NAME} collection:",
        "",
        *index_entries,
        "",
        ".. toctree::",
        "    :maxdepth: 1",
        "    :hidden:",
        "",
        *(f"    {page}" for page in pages),
        "",
    ]
    index.write_text(index.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(section), encoding="utf-8")
    print(f"event source pages: {', '.join(pages)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
