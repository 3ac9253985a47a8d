#!/usr/bin/env bash
# ansible-test sanity on the synced tree (.work/src/ansible_collections/amazon/bedrock), once per supported
# ansible-core that CI runs: 2.17 (venv core217, the oldest that meta/runtime.yml accepts) and 2.19 (venv 3.11),
# both with --python 3.11, and 2.21 (venv 3.12) with --python 3.12.
# The project's own tooling (the local endpoint, the reliability suite, the benches, these scripts) is Python that
# runs in this project's venvs, never under another ansible-core: ansible-test checks it once, with the default
# core (2.19), and ruff with every `make lint`. The other cores check what ships (plugins, roles, the event source,
# docs, meta) and its unit and integration tests, which is where an ansible-core version makes a difference.
# Each run uses --venv (ansible-test makes its own venvs, cached under .work/home/.ansible/test/venv) and must pass
# with the empty ignore files tests/sanity/ignore-2.17.txt, ignore-2.19.txt and ignore-2.21.txt.
# Usage: hacking/sanity.sh [ANSIBLE-TEST SANITY ARGS...]   e.g. --test validate-modules
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" 3.11 3.12 core217
bash "$HACKING/sync-src.sh"

# HOME is where ansible-test caches its venvs and finds the get-pip stand-in (hacking/get_pip_standin.py).
export HOME="$TEST_HOME"
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS

# venv -> "ansible-core Python"
declare -A RUNS=([core217]="2.17 3.11" [3.11]="2.19 3.11" [3.12]="2.21 3.12")
TOOLING=(bench/ hacking/ tests/endpoint/ tests/reliability/)
status=0
summary=()
for venv in core217 3.11 3.12; do
  read -r core ver <<<"${RUNS[$venv]}"
  have=$("$(venv_bin "$venv")/python" -c 'from ansible.release import __version__; print(__version__)')
  case "$have" in "$core".*) ;; *) die "sanity: venv $venv has ansible-core $have, not $core" ;; esac
  [ -f "$SRC/tests/sanity/ignore-$core.txt" ] || die "tests/sanity/ignore-$core.txt is missing"
  [ ! -s "$SRC/tests/sanity/ignore-$core.txt" ] || die "tests/sanity/ignore-$core.txt must stay empty: fix the code instead"
  log "ansible-test sanity, ansible-core $have, Python $ver"
  start=$SECONDS
  rc=0
  # The venv's bin comes first on PATH: ansible-test looks up "python$ver" there, and a pyenv shim of that name
  # may not work; ansible-test then makes its venvs from the real interpreter behind the venv.
  scope=()
  if [ "$venv" != "$DEFAULT_PY" ]; then
    for dir in "${TOOLING[@]}"; do scope+=(--exclude "$dir"); done
  fi
  (cd "$SRC" && PATH="$(venv_bin "$venv"):$PATH" "$(venv_bin "$venv")/ansible-test" sanity --venv --python "$ver" \
     --color no ${scope[@]+"${scope[@]}"} "$@") || rc=$?
  took=$((SECONDS - start))
  what=${scope[*]:+", without the project's tooling"}
  if [ "$rc" -eq 0 ]; then summary+=("PASS  sanity ansible-core $have / Python $ver$what  ${took}s")
  else summary+=("FAIL  sanity ansible-core $have / Python $ver$what  ${took}s (exit $rc)"); status=1; fi
done
printf '\n%s\n' "${summary[@]}"
exit "$status"
