# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Waiting for model copy jobs, shared by model_copy_job_info and model_copy_job.
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until at least one job matches and every matching job has left C(InProgress).
      - A job named by ARN that Bedrock does not know yet (just created) is waited for.
      - The task fails if any job ends C(Failed), naming each failed job's ARN, target model name
        and failure message; the facts are still returned.
      - The task fails when O(wait_timeout) passes first, naming the jobs still C(InProgress).
      - Each poll is one filtered listing pass (or one C(GetModelCopyJob) per ARN). A throttled
        or failed poll is retried and never ends the wait early.
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
