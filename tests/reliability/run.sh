#!/usr/bin/env bash
# The reliability suite, short version (the "reliability" stage of `make test`): builds and installs the
# collection, then runs pytest over tests/reliability against a fresh local endpoint. What it covers and the
# published figures: docs/docsite/rst/reliability.rst. The long fault soak is `make soak`.
# Usage: tests/reliability/run.sh [PYTEST ARGS...]     e.g. -k bad_input
source "$(dirname "${BASH_SOURCE[0]}")/../../hacking/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bash "$HACKING/build.sh" >/dev/null
cd "$ROOT" || exit 1
export PYTHONDONTWRITEBYTECODE=1
# Each ansible-playbook run leaves its files in .work/reliability for a look after a failure; drop old ones (not
# all: someone else's run may be going on in this tree).
if [ -d "$WORK/reliability" ]; then
  find "$WORK/reliability" -mindepth 1 -maxdepth 1 -mmin +120 -exec rm -rf {} +
fi
rc=0
bash "$HACKING/with-endpoint.sh" "$(venv_python "$DEFAULT_PY")" -m pytest tests/reliability -rxX --durations=5 "$@" \
  || rc=$?
if [ "$rc" -eq 5 ]; then
  die "reliability: pytest collected no tests under tests/reliability (exit 5)"
fi
exit "$rc"
