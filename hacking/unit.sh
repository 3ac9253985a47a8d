#!/usr/bin/env bash
# Unit tests: pytest tests/unit in the synced tree, with the 3.11 venv (ansible-core 2.19).
# Usage: hacking/unit.sh [PYTEST ARGS...]   (BEDROCK_TEST_VENV=NAME runs them with .work/venv-NAME;
#        BEDROCK_SRC_ROOT and BEDROCK_AMAZON_AWS sync them into another tree beside another amazon.aws)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bash "$HACKING/sync-src.sh"
cd "$SRC" || exit 1
[ -d tests/unit ] || die "unit: there is no tests/unit directory"
export PYTHONPATH="$SRC_ROOT${PYTHONPATH:+:$PYTHONPATH}"
export ANSIBLE_COLLECTIONS_PATH="$SRC_ROOT" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export HOME="$TEST_HOME" PYTHONDONTWRITEBYTECODE=1
py=$(venv_python "${BEDROCK_TEST_VENV:-$DEFAULT_PY}")
# The tests must import the amazon.aws synced beside them, not one that happens to be installed in the venv.
imported=$("$py" -c 'import ansible_collections.amazon.aws as aws; print(aws.__path__[0])')
[ "$imported" = "$SRC_ROOT/ansible_collections/amazon/aws" ] \
  || die "unit: the tests would import amazon.aws from $imported, not from $SRC_ROOT"
rc=0
"$py" -m pytest tests/unit "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
  die "unit: pytest collected no tests under tests/unit (exit 5); a unit stage that runs nothing is a failure"
fi
exit "$rc"
