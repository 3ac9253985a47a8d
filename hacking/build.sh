#!/usr/bin/env bash
# Build the collection tarball from the synced tree and install it (offline, without deps) into .work/collections,
# next to amazon.aws. Integration tests and the demo use this installed copy, so a file left out of the tarball
# (build_ignore in galaxy.yml) shows up as a failure.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bash "$HACKING/sync-src.sh"
take_lock build
bin=$(venv_bin "$DEFAULT_PY")
rm -f "$DIST"/amazon-bedrock-*.tar.gz
# tests/output in the synced tree is ansible-test's (excluded by build_ignore: tests), nothing else is extra.
(cd "$SRC" && "$bin/ansible-galaxy" collection build --output-path "$DIST" --force)
tarball=$(ls "$DIST"/amazon-bedrock-*.tar.gz)
rm -rf "$COLLECTIONS/ansible_collections/amazon/bedrock"
with_collections "$bin/ansible-galaxy" collection install --offline --no-deps --force -p "$COLLECTIONS" "$tarball"
grep -q '"name": "bedrock"' "$COLLECTIONS/ansible_collections/amazon/bedrock/MANIFEST.json" \
  || die "build: amazon.bedrock was not installed into .work/collections"
