# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The listing options of the info modules: creation time, sort order and paging. Each module documents its own
    # name, status and model filters. model_copy_job_info lists this and amazon.bedrock.wait (which says how
    # requests are retried); provisioned_model_throughput_info and custom_model_deployment_info, which do not wait,
    # list NAMED (amazon.bedrock.listing.named): the same options with those notes. ansible-test wants each
    # attribute of a fragment to be one literal string, so fragments cannot be composed of shared parts.
    DOCUMENTATION = r"""
options:
  creation_time_after:
    description:
      - Return only those created after this time.
      - An ISO-8601 date or date-time, for example V(2024-05-01) or V(2024-05-01T12:00:00Z). Without a time zone it
        is UTC.
    type: str
  creation_time_before:
    description:
      - Return only those created before this time. Same format as O(creation_time_after), and must be later than it.
    type: str
  sort_by:
    description: Field to sort by (C(sortBy)).
    type: str
    choices: [CreationTime]
  sort_order:
    description: Sort order (C(sortOrder)).
    type: str
    choices: [Ascending, Descending]
  max_results:
    description:
      - The total number to return, at least 1; without it every match is returned.
      - The module picks the page size itself (at most 1000 per request).
      - When more match, RV(next_token) is returned; pass it to O(next_token) to continue.
    type: int
  next_token:
    description:
      - Continue a listing that O(max_results) cut short, from an earlier RV(next_token).
      - A token expires, and continues only a listing with the same filters, sort order and region; when
        Bedrock refuses it, the task fails with a message that names O(next_token).
    type: str
"""

    NAMED = r"""
options:
  creation_time_after:
    description:
      - Return only those created after this time.
      - An ISO-8601 date or date-time, for example V(2024-05-01) or V(2024-05-01T12:00:00Z). Without a time zone it
        is UTC.
    type: str
  creation_time_before:
    description:
      - Return only those created before this time. Same format as O(creation_time_after), and must be later than it.
    type: str
  sort_by:
    description: Field to sort by (C(sortBy)).
    type: str
    choices: [CreationTime]
  sort_order:
    description: Sort order (C(sortOrder)).
    type: str
    choices: [Ascending, Descending]
  max_results:
    description:
      - The total number to return, at least 1; without it every match is returned.
      - The module picks the page size itself (at most 1000 per request).
      - When more match, RV(next_token) is returned; pass it to O(next_token) to continue.
    type: int
  next_token:
    description:
      - Continue a listing that O(max_results) cut short, from an earlier RV(next_token).
      - A token expires, and continues only a listing with the same filters, sort order and region; when
        Bedrock refuses it, the task fails with a message that names O(next_token).
    type: str
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
