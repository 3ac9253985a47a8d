#!/usr/bin/env bash
# Static checks over the repository: ruff format --check, ruff check, mypy on plugins/module_utils and the event source,
# antsibull-changelog lint (fragments and changelogs/changelog.yaml), shellcheck on the scripts (warnings and worse),
# and that no task make integration-aws runs reaches the local endpoint's control API (hacking/check_aws_tasks.py).
# Runs every check, then fails if any failed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bin=$(venv_bin "$DEFAULT_PY")
cd "$ROOT" || exit 1
export HOME="$TEST_HOME"
failed=()
check() {
  local name=$1; shift
  log "$name"
  if "$@"; then echo "ok: $name"; else failed+=("$name"); fi
}
check "ruff format --check" "$bin/ruff" format --check --diff .
check "ruff check" "$bin/ruff" check .
# The module_utils import amazon.aws and each other as ansible_collections.*: the synced tree has both.
bash "$HACKING/sync-src.sh" >/dev/null
check "mypy plugins/module_utils extensions/eda" env MYPYPATH="$SRC_ROOT" "$bin/mypy" --cache-dir "$WORK/cache/mypy" \
  plugins/module_utils extensions/eda/plugins/event_source
check "antsibull-changelog lint" "$bin/antsibull-changelog" lint
check "shellcheck (warnings)" "$bin/shellcheck" -S warning hacking/*.sh tests/reliability/run.sh .ci/run
check "integration-aws reaches no control API" "$bin/python" "$HACKING/check_aws_tasks.py" "$ROOT"
check "antsibull-changelog lint-changelog-yaml" "$bin/antsibull-changelog" lint-changelog-yaml changelogs/changelog.yaml
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nlint failed: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nlint: all checks passed\n'
