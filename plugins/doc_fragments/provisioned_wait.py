# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Waiting for a Provisioned Throughput (provisioned_model_throughput).
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - With O(state=present), wait until it is C(InService) (C(Creating) and C(Updating) are waited out);
        the task fails with Bedrock's failure message when it ends C(Failed).
      - With O(state=absent), wait until it is gone.
      - A timeout fails the task naming the status it was still in. A throttled or failed poll is retried
        and never ends the wait early; an endpoint no connection can be made to ends it at once.
      - The wait is one task with one task banner. The action plugin runs the module one round at a time,
        each round waiting at most about O(wait_report_interval) seconds, and between rounds prints one
        progress line at default verbosity, such as C(Still waiting... [1m0s elapsed, timeout 30m0s] 1 of 1
        provisioned throughputs pending) followed by its name and status. With C(async) the module runs once
        and waits by itself.
    type: bool
    default: false
  wait_timeout:
    description: How many seconds to wait at most. The wait lasts at most this plus one poll.
    type: int
    default: 1800
  wait_sleep:
    description: Seconds from the start of one poll to the start of the next.
    type: int
    default: 30
  wait_report_interval:
    description:
      - Seconds between two progress lines while waiting, at most 60. Each round waits a whole number of
        O(wait_sleep)s, this rounded down but at least one.
    type: int
    default: 30
"""
