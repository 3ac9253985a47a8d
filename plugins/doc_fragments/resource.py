# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options every module over a named resource (module_utils/_bedrock.py, NamedResource) shares:
    # provisioned_model_throughput and custom_model_deployment. Each documents its own name, model and token.
    # (ansible-test wants every attribute of a fragment to be one literal string: fragments cannot be composed.)
    DOCUMENTATION = r"""
options:
  state:
    description: V(present) creates or updates it, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  tags:
    description: Tags as a dict. When not set, the tags are not changed.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove tags not in O(tags). Has no effect unless O(tags) is set.
    type: bool
    default: true
"""
