#!/usr/bin/env bash
# ansible-lint (production profile, offline; config in .ansible-lint) over roles/, playbooks/ and the integration
# targets, with amazon.aws and the built amazon.bedrock resolvable from .work/collections, so module names and
# arguments are checked against the collection as shipped.
# Usage: hacking/ansible-lint.sh [PATH...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bash "$HACKING/build.sh" >/dev/null
cd "$ROOT" || exit 1
paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
  for p in roles playbooks tests/integration/targets tests/integration/aws; do [ -d "$p" ] && paths+=("$p/"); done
fi
[ ${#paths[@]} -gt 0 ] || die "ansible-lint: nothing to lint"
opts=(--offline --profile production)
[ -t 1 ] && [ "${CI:-}" != true ] || opts+=(--nocolor)
mkdir -p "$TEST_HOME"
HOME="$TEST_HOME" PATH="$(venv_bin "$DEFAULT_PY"):$PATH" ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" \
  "$(venv_bin "$DEFAULT_PY")/ansible-lint" "${opts[@]}" "${paths[@]}"
