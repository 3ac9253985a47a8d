# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

# How every module of the collection retries a request (plugins/module_utils/_bedrock.py, RetryPolicy): notes
# items, which the other fragments of the collection add to theirs, so a module lists one fragment of ours.
NOTES = r"""
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


class ModuleDocFragment:
    # Only notes; ansible-core wants a fragment to have options (or attributes), so it has none, explicitly.
    DOCUMENTATION = "options: {}\nnotes:" + NOTES
