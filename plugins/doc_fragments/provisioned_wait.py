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
        and never ends the wait early.
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
"""
