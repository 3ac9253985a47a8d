#!/usr/bin/env bash
# The local endpoint's own tests: pytest over tests/endpoint (the bedrock_endpoint package is importable with
# PYTHONPATH=tests/endpoint), with the 3.11 venv. Runs in the repository, not the synced collection tree:
# the endpoint is test infrastructure and is not shipped in the collection.
# Usage: hacking/endpoint-test.sh [PYTEST ARGS...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
cd "$ROOT" || exit 1
[ -d tests/endpoint ] || die "endpoint-test: there is no tests/endpoint directory"
export PYTHONPATH="$ROOT/tests/endpoint${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 HOME="$TEST_HOME"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE
rc=0
"$(venv_python "$DEFAULT_PY")" -m pytest tests/endpoint "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
  die "endpoint-test: pytest collected no tests under tests/endpoint (exit 5); a stage that runs nothing is a failure"
fi
exit "$rc"
