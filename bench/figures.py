"""The two figures of ``make bench``, drawn as SVG next to its tables (bench/results/):

- ``listing-time.svg``: wall time to list every copy job against the number of jobs (row 1's runs): the
  model_copy_job_info module, the AWS CLI and a bare boto3 script, log-log.
- ``gate-timeline.svg``: one model_copy_gate run from row 5 (the role's first repetition, else the module's):
  per region when its copies were created and completed, each ListModelCopyJobs request, and when the gate opened.

Both carry the run's date and machine. ``make bench`` then copies them to docs/docsite/rst/figures/, where the
benchmarks page includes them (the docs build needs them in the source tree; see benchmarks.rst).
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path
from typing import Any


def _pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend (files only, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "amazon.bedrock"  # no random ids: the same figures give the same file
    import matplotlib.pyplot as plt

    return plt


FIGURES = ("listing-time.svg", "gate-timeline.svg")
DOCS = Path(__file__).resolve().parent.parent / "docs" / "docsite" / "rst" / "figures"


def _stamp(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    quick = " -- quick run, not figures" if results.get("quick") else ""
    cpus, system = machine.get("cpus", "?"), machine.get("platform", "?")
    load = (machine.get("load_before") or [None])[0]
    load_text = f"{load:.1f}" if isinstance(load, (int, float)) else "?"
    return f"make bench, {results.get('date', '?')}, {cpus} CPUs, {system}, load average {load_text} at start{quick}"


def _save(fig: Any, path: Path) -> None:
    fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")  # no timestamp in the file
    _pyplot().close(fig)


def listing_time(results: dict[str, Any], path: Path) -> bool:
    rows = results.get("listing") or []
    if not rows:
        return False
    sides: dict[str, list[tuple[int, float]]] = {
        "amazon.bedrock.model_copy_job_info": [],
        "AWS CLI": [],
        "bare boto3": [],
    }
    for row in rows:
        n = row["jobs"]
        sides["amazon.bedrock.model_copy_job_info"].append((n, statistics.median(m["wall"] for m in row["module"])))
        if row["cli"]["returncode"] == 0:
            sides["AWS CLI"].append((n, row["cli"]["wall"]))
        bare = row.get("bare") or ([row["bare_timing"]] if "bare_timing" in row else [])
        if bare:
            sides["bare boto3"].append((n, statistics.median(b["wall"] for b in bare)))
    fig, ax = _pyplot().subplots(figsize=(7, 4.2))
    for (label, points), marker in zip(sides.items(), ("o", "s", "^")):
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("copy jobs listed (one region)")
    ax.set_ylabel("wall time, seconds (whole process)")
    ax.set_title("Listing every model copy job", loc="left")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.text(0.01, -0.02, _stamp(results), fontsize=7, color="0.4")
    _save(fig, path)
    return True


def gate_timeline(results: dict[str, Any], path: Path) -> bool:
    waiting = results.get("waiting") or {}
    which = "role" if waiting.get("role") else "module"
    runs = (waiting.get(which) or {}).get("runs") or []
    if not runs or "timeline" not in runs[0]:
        return False
    t = runs[0]["timeline"]
    regions = list(t["polls"])
    fig, ax = _pyplot().subplots(figsize=(8, 1.2 + 0.6 * len(regions)))
    for y, region in enumerate(regions):
        polls = [p for p in t["polls"][region] if p >= -5]
        ax.plot(
            polls,
            [y] * len(polls),
            "|",
            markersize=14,
            color="tab:blue",
            label="poll (ListModelCopyJobs)" if y == 0 else None,
        )
        ax.plot(
            [t["created"][region], t["completed"][region]],
            [y, y],
            "-",
            linewidth=6,
            alpha=0.35,
            color="tab:orange",
            label="copies in progress" if y == 0 else None,
        )
        ax.plot(
            t["completed"][region],
            y,
            "o",
            color="tab:green",
            markersize=8,
            label="copies completed" if y == 0 else None,
        )
    ax.axvline(t["opened"], color="tab:red", linestyle="--", label=f"gate opened ({t['opened']:.1f} s)")
    ax.set_yticks(range(len(regions)), regions)
    ax.set_ylim(-0.7, len(regions) - 0.3)
    ax.set_xlabel("seconds since the first copies were created")
    what = "model_copy_gate role" if which == "role" else "model_copy_job_info waits, one per region"
    ax.set_title(f"One gate run: {what}, {waiting.get('jobs', '?')} copies", loc="left")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    fig.text(0.01, -0.04, _stamp(results), fontsize=7, color="0.4")
    _save(fig, path)
    return True


def draw(results: dict[str, Any], directory: Path) -> list[Path]:
    """Draw the figures the results allow into ``directory``; returns the files written.

    A full run (not --quick) without errors also copies them to docs/docsite/rst/figures/ for the benchmarks page.
    """
    written = []
    for name, drawer in zip(FIGURES, (listing_time, gate_timeline)):
        path = directory / name
        if drawer(results, path):
            written.append(path)
    if written and not results.get("quick") and not results.get("errors"):
        DOCS.mkdir(parents=True, exist_ok=True)
        for path in written:
            shutil.copyfile(path, DOCS / path.name)
        print(f"bench: figures {', '.join(p.name for p in written)} also in docs/docsite/rst/figures/", file=sys.stderr)
    return written


if __name__ == "__main__":
    import json

    # Redraw from a saved run: python bench/figures.py bench/results/latest.json [OUTPUT_DIR]
    source = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else source.parent
    for written in draw(json.loads(source.read_text()), out):
        print(written)
