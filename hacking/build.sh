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
dest="$COLLECTIONS/ansible_collections/amazon/bedrock"
# Install into a scratch path, then move it into place: a playbook someone else is running from .work/collections
# never sees a half-installed collection. Content identical to what is installed (same FILES.json) is left alone.
staging=$(mktemp -d "$WORK/install.XXXXXX")
trap 'rm -rf "$staging"' EXIT
ANSIBLE_COLLECTIONS_PATH="$staging" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
  "$bin/ansible-galaxy" collection install --offline --no-deps --force -p "$staging" "$tarball" >/dev/null
new="$staging/ansible_collections/amazon/bedrock"
grep -q '"name": "bedrock"' "$new/MANIFEST.json" || die "build: ansible-galaxy did not install amazon.bedrock"
if [ -f "$dest/FILES.json" ] && cmp -s "$new/FILES.json" "$dest/FILES.json"; then
  echo "amazon.bedrock in .work/collections is already this build"
else
  mkdir -p "$(dirname "$dest")"
  [ ! -e "$dest" ] || mv "$dest" "$staging/previous"
  mv "$new" "$dest"
  echo "installed amazon.bedrock $(basename "$tarball") into .work/collections"
fi
