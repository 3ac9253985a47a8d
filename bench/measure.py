"""Run one command and report its wall time, CPU time and peak RSS as JSON: ``measure.py REPORT CMD...``.

A separate, small process on purpose. Linux carries a process's peak RSS into the children it forks or
spawns (``ru_maxrss`` starts from the parent's high-water mark at exec), so a command started straight
from the benchmark, which grows to hundreds of MB, would report at least that. Started from here, the
floor is this interpreter's few MB. CPU time includes every descendant the command waited for.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    report, cmd = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, os.environ)
    status, usage = os.wait4(pid, 0)[1:]
    wall = time.perf_counter() - started
    result = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "returncode": os.waitstatus_to_exitcode(status),
    }
    with open(report, "w") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
