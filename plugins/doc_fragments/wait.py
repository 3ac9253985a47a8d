# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.amazon.bedrock.plugins.doc_fragments.retries import NOTES as RETRY_NOTES

# The wait options of every module that waits (an action plugin over plugin_utils/_wait_action.py), whatever the
# resource: what "settled" means for a module is in its notes.
OPTIONS = r"""
  wait:
    description:
      - Wait until what the task reads has settled. The module's notes say what settled means for it and
        which end fails the task.
      - The task fails when O(wait_timeout) passes first, naming what is still pending and its status.
      - Each poll reads what the task reads without waiting (the module's description or notes say how many
        requests that takes). A request throttled or failing with a server
        error is retried until O(wait_timeout) and no longer, so it never ends the wait early, nor carries it past
        O(wait_timeout). An endpoint
        no connection can be made to ends the wait at once, unless the module's notes say it rides out an outage.
      - The wait is one task with one task banner. The action plugin runs the module on the managed node
        (or the O(ignore:delegate_to) host) one round at a time, each round waiting at most about
        O(wait_report_interval) seconds, and between rounds prints one progress line at default
        verbosity, such as C(Still waiting... [1m0s elapsed, timeout 30m0s] 1 of 2 copies pending) (named for
        what the module waits for) followed by what is pending and its status; with C(-v) one more line per
        item. A task with C(no_log) prints only how many are pending. With C(async) the module runs once and
        waits by itself, without progress lines.
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
        O(wait_sleep)s, this rounded down but at least one, so a line comes at least every
        O(wait_report_interval) or O(wait_sleep) seconds, whichever is longer.
      - A round that sees everything settled ends at once; the verdict does not wait for the next line.
    type: int
    default: 30
"""

# What waiting means for copy jobs (model_copy_job_info, model_copy_info, model_copy_job).
COPY_JOB_NOTES = r"""
  - With O(wait=true), the task has settled when at least one job is selected, every job named by ARN and
    every copy has a job (one just created may take a moment to appear), and no selected job is C(InProgress).
    It fails if any selected job ends C(Failed), naming each failed job's ARN, target model name and failure
    message; the facts are still returned. A timeout names the jobs still C(InProgress) and what has not appeared.
  - While waiting, an endpoint no connection can be made to ends the wait at once only while no poll has
    succeeded yet. After one has (for model_copy_job, once the job was found or started), it is taken for a
    passing outage and polled again 1, 2, 4 ... seconds apart (at most O(wait_sleep)) until O(wait_timeout),
    counted in C(unreachable_polls) and named in the progress lines. If it is still unreachable then, the task
    fails naming the URL and since when. The facts returned are always those the last successful poll read.
"""


class ModuleDocFragment:
    # A module that waits: the wait options and how requests are retried. COPY_JOBS (amazon.bedrock.wait.copy_jobs)
    # adds what waiting means for copy jobs.
    DOCUMENTATION = "options:" + OPTIONS + "notes:" + RETRY_NOTES

    COPY_JOBS = DOCUMENTATION + COPY_JOB_NOTES
