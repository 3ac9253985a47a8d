#!/usr/bin/env bash
# End to end test of the event source: ansible-rulebook runs the example rulebook amazon.bedrock.deploy_on_copy
# from the built and INSTALLED collection (.work/collections) against a fresh local endpoint. The driver and what it
# asserts: tests/eda/test_e2e.py. Needs Java 17 for ansible-rulebook (JAVA_HOME, else the java on PATH, else
# /usr/lib/jvm/java-17-*); output of each ansible-rulebook run stays in .work/eda-e2e/run-<pid>/<scenario>/.
# Usage: hacking/eda-e2e.sh [PYTEST ARGS...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
bash "$HACKING/build.sh" >/dev/null
bin=$(venv_bin "$DEFAULT_PY")
[ -x "$bin/ansible-rulebook" ] || die "eda-e2e: ansible-rulebook is not in the venv (test-requirements.txt pins it)"

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" != 17 ]; then
  JAVA_HOME=
  for cand in "$(command -v java || true)" /usr/lib/jvm/java-17-*/bin/java; do
    [ -n "$cand" ] && [ -x "$cand" ] || continue
    if [ "$(java_major "$cand")" = 17 ]; then
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$cand")")")
      break
    fi
  done
  [ -n "$JAVA_HOME" ] || die "eda-e2e: ansible-rulebook needs Java 17 (e.g. apt-get install openjdk-17-jre-headless)"
fi
export JAVA_HOME PATH="$bin:$JAVA_HOME/bin:$PATH"

cd "$ROOT" || exit 1
export PYTHONDONTWRITEBYTECODE=1
# Each run keeps its files in .work/eda-e2e/run-<pid> for a look after a failure; drop old ones (not all: someone
# else's run may be going on in this tree).
if [ -d "$WORK/eda-e2e" ]; then
  find "$WORK/eda-e2e" -mindepth 1 -maxdepth 1 -mmin +120 -exec rm -rf {} +
fi
rc=0
bash "$HACKING/with-endpoint.sh" "$bin/python" -m pytest tests/eda -rA --durations=3 "$@" || rc=$?
[ "$rc" -ne 5 ] || die "eda-e2e: pytest collected no tests under tests/eda (exit 5)"
exit "$rc"
