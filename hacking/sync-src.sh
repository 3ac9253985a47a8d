#!/usr/bin/env bash
# Lay out .work/src/ansible_collections/amazon/{bedrock,aws}: the working tree's files (tracked + untracked,
# not ignored) as amazon.bedrock, and a copy of the bootstrapped amazon.aws beside it, so that
# `ansible_collections.amazon.*` imports resolve and ansible-test sees a collection with its dependency.
# Usage: hacking/sync-src.sh   (expects hacking/bootstrap.sh to have run)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
aws_src="${BEDROCK_AMAZON_AWS:-$COLLECTIONS/ansible_collections/amazon/aws}"  # DIR: another amazon.aws
aws_dst="$SRC_ROOT/ansible_collections/amazon/aws"
[ -f "$aws_src/MANIFEST.json" ] || die "amazon.aws is not installed; run hacking/bootstrap.sh"
take_lock src
mkdir -p "$SRC"
"$(venv_python "$DEFAULT_PY")" "$HACKING/sync_src.py" "$ROOT" "$SRC"
# ansible-test lists a collection's files with git when it finds a .git directory at or above the collection root.
# Above this one is the project's repository, where .work/ is ignored, so ansible-test would see no files at all.
# An empty repository of its own (nothing committed; `git ls-files --others --exclude-standard` then lists the
# synced files, honouring the synced .gitignore) makes ansible-test see exactly what was synced.
[ -d "$SRC/.git" ] || git -C "$SRC" init -q
if ! cmp -s "$aws_src/MANIFEST.json" "$aws_dst/MANIFEST.json"; then
  rm -rf "$aws_dst"
  cp -a "$aws_src" "$aws_dst"
  echo "copied amazon.aws $(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' "$aws_dst/MANIFEST.json" | head -1) into ${SRC_ROOT#"$ROOT"/}"
fi
