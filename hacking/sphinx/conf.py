# Sphinx configuration for `make docs` (hacking/docs.sh): the collection's HTML docs, built offline.
# Derived from what `antsibull-docs sphinx-init` writes, with one change: no intersphinx (it downloads
# inventories). References into the Ansible documentation that antsibull-docs writes into every plugin page
# (common return values, configuration settings, ansible.builtin plugins) become plain links to
# docs.ansible.com instead (resolve_ansible_docs_refs below); any other unresolved reference stays a warning,
# and the build runs with -W, so it fails.
from __future__ import annotations

import re

project = "amazon.bedrock"
copyright = "Contributors to the amazon.bedrock collection"
title = "amazon.bedrock collection documentation"
html_short_title = "amazon.bedrock"

extensions = ["sphinx_antsibull_ext"]

pygments_style = "ansible"
highlight_language = "YAML+Jinja"

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = "any"
nitpicky = True

ANSIBLE_DOCS = "https://docs.ansible.com/ansible/latest/"
# Labels of the Ansible documentation that antsibull-docs' templates refer to, and their pages.
ANSIBLE_LABELS = {
    "common_return_values": "reference_appendices/common_return_values.html",
    "ansible_configuration_settings": "reference_appendices/config.html",
    "action_plugins": "plugins/action.html",  # "This module has a corresponding action plugin."
}
# ansible_collections.<namespace>.<name>.<plugin>_<type>: a plugin of a collection not documented here.
PLUGIN_LABEL = re.compile(r"^ansible_collections\.(ansible)\.(builtin)\.(\w+)_(module|lookup|filter|test)$")


def resolve_ansible_docs_refs(app, env, node, contnode):
    from docutils import nodes

    if node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None
    target = node.get("reftarget", "")
    url = None
    if target in ANSIBLE_LABELS:
        url = ANSIBLE_DOCS + ANSIBLE_LABELS[target]
    elif match := PLUGIN_LABEL.match(target):
        namespace, name, plugin, kind = match.groups()
        url = f"{ANSIBLE_DOCS}collections/{namespace}/{name}/{plugin}_{kind}.html"
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url)
    reference += contnode
    return reference


def setup(app):
    app.connect("missing-reference", resolve_ansible_docs_refs)
