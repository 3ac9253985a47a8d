#!/usr/bin/env bash
# ansible-test sanity on the synced tree (.work/src/ansible_collections/amazon/bedrock), twice:
#   ansible-core 2.19 (venv 3.11) with --python 3.11, and ansible-core 2.21 (venv 3.12) with --python 3.12.
# Each run uses --venv (ansible-test makes its own venvs, cached under .work/home/.ansible/test/venv) and must pass
# with the empty ignore files tests/sanity/ignore-2.19.txt and ignore-2.21.txt.
# Usage: hacking/sanity.sh [ANSIBLE-TEST SANITY ARGS...]   e.g. --test validate-modules
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" 3.11 3.12
bash "$HACKING/sync-src.sh"

# HOME is where ansible-test caches its venvs and finds the get-pip stand-in (hacking/get_pip_standin.py).
export HOME="$TEST_HOME"
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS

declare -A CORE=([3.11]=2.19 [3.12]=2.21)
status=0
summary=()
for ver in 3.11 3.12; do
  core=${CORE[$ver]}
  [ -f "$SRC/tests/sanity/ignore-$core.txt" ] || die "tests/sanity/ignore-$core.txt is missing"
  [ ! -s "$SRC/tests/sanity/ignore-$core.txt" ] || die "tests/sanity/ignore-$core.txt must stay empty: fix the code instead"
  log "ansible-test sanity, ansible-core $core, Python $ver"
  start=$SECONDS
  rc=0
  # The venv's bin comes first on PATH: ansible-test looks up "python$ver" there, and a pyenv shim of that name
  # may not work; ansible-test then makes its venvs from the real interpreter behind the venv.
  (cd "$SRC" && PATH="$(venv_bin "$ver"):$PATH" "$(venv_bin "$ver")/ansible-test" sanity --venv --python "$ver" \
     --color no "$@") || rc=$?
  took=$((SECONDS - start))
  if [ "$rc" -eq 0 ]; then summary+=("PASS  sanity ansible-core $core / Python $ver  ${took}s")
  else summary+=("FAIL  sanity ansible-core $core / Python $ver  ${took}s (exit $rc)"); status=1; fi
done
printf '\n%s\n' "${summary[@]}"
exit "$status"
