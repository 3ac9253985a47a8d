# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are for the scripts that source this file
# Sourced by the hacking/ scripts: where things live. Everything generated goes under .work/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HACKING="$ROOT/hacking"
WORK="$ROOT/.work"
# One collections tree for amazon.aws and the installed amazon.bedrock (ansible-test wants them side by side).
COLLECTIONS="$WORK/collections"
# The synced source tree (tracked + untracked-not-ignored files) that unit tests, sanity and the build use.
# BEDROCK_SRC_ROOT=DIR (with BEDROCK_AMAZON_AWS, for hacking/unit.sh) lays out another one, e.g. hacking/newest.sh's.
SRC_ROOT="${BEDROCK_SRC_ROOT:-$WORK/src}"
SRC="$SRC_ROOT/ansible_collections/amazon/bedrock"
DIST="$WORK/dist"
# HOME for ansible-test and ansible-lint: caches land here, never in the real home directory.
TEST_HOME="$WORK/home"
AMAZON_AWS_VERSION=10.1.2        # shipped in the ansible 12.3.0 wheel, the fallback when Galaxy is unreachable
AMAZON_AWS_WHEEL=ansible==12.3.0
# Which venv runs what: ansible-core 2.19 on 3.11 (the tools: lint, unit, integration, demo), 2.21 on 3.12.
DEFAULT_PY=3.11

# find_python 3.12 -> path of a working python3.12 (pyenv shims may exist but fail).
find_python() {
  local v=$1 cand
  for cand in "python$v" $(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/"$v"*/bin/python"$v" 2>/dev/null); do
    if "$cand" -c 'import sys' >/dev/null 2>&1; then command -v "$cand" || echo "$cand"; return 0; fi
  done
  return 1
}

venv_dir() { echo "$WORK/venv-$1"; }
venv_bin() { echo "$WORK/venv-$1/bin"; }
venv_python() { echo "$WORK/venv-$1/bin/python"; }

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# pip on this kind of machine warns once per package about configured index locations it cannot read;
# the warnings say nothing about the install, so they are dropped (the exit status is kept by pipefail).
quiet_pip_filter() { grep -v "^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$" || true; }

# take_lock NAME: hold an exclusive lock on .work/.NAME.lock until this script exits. Several people may run the
# scripts in one tree at once; this keeps one sync or build+install from tearing another's copy apart.
take_lock() {
  mkdir -p "$WORK"
  exec 9>"$WORK/.$1.lock"
  flock 9
}

# Run a command with the environment ansible needs to resolve amazon.aws and the installed amazon.bedrock.
with_collections() {
  ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false "$@"
}

# amazon_aws_from_wheel PYTHON WHEEL WHEEL_DIR TREE: amazon.aws out of an ansible wheel (Galaxy is unreachable here)
# into the collections tree TREE, replacing the one there; the wheel is downloaded into WHEEL_DIR once (one wheel
# per WHEEL_DIR). The caller checks the version it wanted.
amazon_aws_from_wheel() {
  local python=$1 wheel=$2 whl_dir tree=$4
  whl_dir=$(mkdir -p "$3" && cd "$3" && pwd)
  ls "$whl_dir"/ansible-*.whl >/dev/null 2>&1 || \
    "$python" -m pip download -q --no-deps -d "$whl_dir" "$wheel" 2>&1 | quiet_pip_filter
  rm -rf "$tree/ansible_collections/amazon/aws" && mkdir -p "$tree"
  (cd "$tree" && unzip -q -o "$whl_dir"/ansible-*.whl 'ansible_collections/amazon/aws/*')
}

# versions BIN AMAZON_AWS_VERSION: one line naming what a venv runs with.
versions() {
  local bin=$1
  echo "ansible-core $("$bin/python" -c 'from ansible.release import __version__; print(__version__)')," \
    "Python $("$bin/python" -c 'import platform; print(platform.python_version())'), amazon.aws $2," \
    "boto3 $("$bin/python" -c 'import boto3; print(boto3.__version__)')," \
    "botocore $("$bin/python" -c 'import botocore; print(botocore.__version__)')"
}

# step NAME CMD...: run CMD under a heading and record "PASS|FAIL  NAME  Ns" in steps_summary (a failure also sets
# steps_status to 1); steps_report prints the lines and returns steps_status. For scripts of several checks that
# all run even when one fails (hacking/core217.sh, hacking/newest.sh). CMD runs in an || list, where set -e does
# not hold: a function given as CMD checks its own commands.
steps_summary=()
steps_status=0
step() {
  local name=$1 start=$SECONDS rc=0
  shift
  log "$(basename "$0" .sh): $name"
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then steps_summary+=("PASS  $name  $((SECONDS - start))s")
  else steps_summary+=("FAIL  $name  $((SECONDS - start))s (exit $rc)"); steps_status=1; fi
}
steps_report() {
  printf '\n%s\n' "${steps_summary[@]}"
  return "$steps_status"
}
