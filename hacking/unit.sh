#!/usr/bin/env bash
# Unit tests: pytest tests/unit in the synced tree, with the 3.11 venv (ansible-core 2.19).
# Usage: hacking/unit.sh [PYTEST ARGS...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bash "$HACKING/sync-src.sh"
cd "$SRC" || exit 1
[ -d tests/unit ] || die "unit: there is no tests/unit directory"
export PYTHONPATH="$SRC_ROOT${PYTHONPATH:+:$PYTHONPATH}"
export ANSIBLE_COLLECTIONS_PATH="$SRC_ROOT" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export HOME="$TEST_HOME" PYTHONDONTWRITEBYTECODE=1
rc=0
"$(venv_python "$DEFAULT_PY")" -m pytest tests/unit "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
  die "unit: pytest collected no tests under tests/unit (exit 5); a unit stage that runs nothing is a failure"
fi
exit "$rc"
