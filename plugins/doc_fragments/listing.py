# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.amazon.bedrock.plugins.doc_fragments import wait
from ansible_collections.amazon.bedrock.plugins.doc_fragments.retries import NOTES as RETRY_NOTES

# The listing options of the info modules (model_copy_job_info, provisioned_model_throughput_info,
# custom_model_deployment_info): creation time, sort order and paging. Each module documents its own name, status
# and model filters.
OPTIONS = r"""
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


# The filters of an _info module over a named resource (module_utils/_task.py, named_info_args) besides its name
# and model filters; it adds its status choices.
NAMED_OPTIONS = r"""
  status:
    description: Return only those in this status (C(statusEquals)).
    type: str
  name_contains:
    description: Return only those whose name contains this text (C(nameContains)).
    type: str
"""


class ModuleDocFragment:
    # An _info module over a named resource (provisioned_model_throughput_info, custom_model_deployment_info): its
    # shared filters, the listing options and how requests are retried. COPY_JOBS (amazon.bedrock.listing.copy_jobs)
    # is model_copy_job_info's: the listing options, the wait options and what waiting means for copy jobs.
    DOCUMENTATION = "options:" + NAMED_OPTIONS + OPTIONS + "notes:" + RETRY_NOTES

    COPY_JOBS = "options:" + OPTIONS + wait.OPTIONS + "notes:" + RETRY_NOTES + wait.COPY_JOB_NOTES
