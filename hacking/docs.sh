#!/usr/bin/env bash
# The collection's HTML documentation, built offline into .work/docs/html (open .work/docs/html/index.html):
#   1. antsibull-docs lint-collection-docs --plugin-docs on the synced source tree (plugin and role docs, the
#      guides in docs/docsite/rst, links.yml, extra-docs.yml);
#   2. antsibull-docs collection: rst pages of the modules and roles of the INSTALLED tarball (hacking/build.sh),
#      the guides and measurement pages (docs/docsite/extra-docs.yml) into .work/docs/rst;
#   3. the event source pages (hacking/docs_event_sources.py; antsibull-docs has no event source support);
#   4. sphinx-build -W: any warning fails the build.
# The toolchain lives in its own venv, .work/venv-docs (hacking/docs-requirements.txt).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY" docs
bash "$HACKING/build.sh" >/dev/null
bin=$(venv_bin docs)
export PATH="$bin:$PATH" HOME="$TEST_HOME"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
# antsibull-docs copies a collection that is inside a git work tree with `git ls-files`, which sees nothing of the
# git-ignored .work/: it must not find this checkout's repository above .work/src or .work/collections.
export GIT_CEILING_DIRECTORIES="$ROOT"
out="$WORK/docs"
take_lock docs

log "antsibull-docs lint-collection-docs --plugin-docs"
(cd "$SRC" && antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all \
   --disallow-unknown-collection-refs .)
echo "ok: lint-collection-docs"

log "rst pages into .work/docs/rst"
rm -rf "$out/rst" "$out/html" "$out/doctrees"
mkdir -p "$out/rst"
chmod og-w "$out/rst"   # antsibull-docs wants its destination writable only by itself
antsibull-docs --config-file "$HACKING/sphinx/antsibull-docs.cfg" collection --use-current --squash-hierarchy \
  --fail-on-error --cleanup everything --dest-dir "$out/rst" amazon.bedrock
"$bin/python" "$HACKING/docs_event_sources.py" "$COLLECTIONS/ansible_collections/amazon/bedrock" "$out/rst"
# antsibull-docs copies only the .rst files of docs/docsite/rst; the benchmark figures (make bench) go along.
if [ -d "$COLLECTIONS/ansible_collections/amazon/bedrock/docs/docsite/rst/figures" ]; then
  cp -r "$COLLECTIONS/ansible_collections/amazon/bedrock/docs/docsite/rst/figures" "$out/rst/docsite/"
fi

log "sphinx-build -W into .work/docs/html"
sphinx-build -b html -c "$HACKING/sphinx" -d "$out/doctrees" -W --keep-going -q "$out/rst" "$out/html"
echo "docs: $(find "$out/html" -name '*.html' | wc -l) HTML pages in .work/docs/html (start at index.html)"
