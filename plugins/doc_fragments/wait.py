# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The wait options of every module that waits (an action plugin over plugin_utils/_wait_action.py), whatever
    # the resource, and how requests are retried: what "settled" means for a module is in its notes.
    # COPY_JOBS (amazon.bedrock.wait.copy_jobs) adds those notes for the copy job modules.
    # A module lists one fragment that carries the retry notes (this or amazon.bedrock.listing.named): ansible-test
    # wants each attribute of a fragment to be one literal string, so fragments cannot be composed of shared parts.
    DOCUMENTATION = r"""
options:
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
notes:
  - A request that is throttled, answered with a server error or whose connection is lost mid-response is sent
    again, and only that request (a listing resumes at the page that failed). The pauses grow 1, 2, 4 ... seconds
    up to 20 s, each drawn at random below that (full jitter), for up to 5 minutes of failures; then the task fails
    with one line naming the error, the number of attempts and how long they took. botocore's own retries are
    switched off, so this is the only retry layer.
  - An endpoint no connection can be made to (connection refused, host name not resolved, 5 s connect timeout,
    proxy or TLS failure) is not retried; the task fails at once naming its scheme, host and port.
  - A number of attempts you configured replaces the 5 minutes with that many attempts in all, the first included
    (C(1) retries nothing). The first of these that is set wins, as in botocore; the C(retries) of O(aws_config)
    (C(total_max_attempts), or C(max_attempts) retries), the E(AWS_MAX_ATTEMPTS) variable, the profile's
    C(max_attempts). A retry mode (C(mode) in O(aws_config), E(AWS_RETRY_MODE), the profile's C(retry_mode)) is
    passed to botocore, where C(adaptive) limits the request rate on the client; it does not change the retries.
  - While a task waits (C(wait=true)), each request is retried for the time the wait has left instead, whatever
    the number of attempts. So failures never end a wait before its C(wait_timeout), nor carry it past; a wait
    whose requests were still failing then ends as timed out.
"""

    # What waiting means for copy jobs (model_copy_job_info, model_copy_info, model_copy_job).
    COPY_JOBS = r"""
options: {}
notes:
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
