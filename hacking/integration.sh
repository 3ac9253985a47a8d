#!/usr/bin/env bash
# Integration tests: each target in tests/integration/targets/ (ansible-test layout: tasks/main.yml, aliases) runs
# as a role in a generated playbook against the local endpoint, which is reset before every target.
# The collection under test is the built and installed tarball in .work/collections (hacking/build.sh), so a file
# missing from the tarball fails here; the targets themselves come from the source tree.
#
# Usage: hacking/integration.sh [TARGET...]
#   no TARGET: every target, except setup_*/prepare_* ones (dependencies, as in ansible-test) and those whose
#   aliases say "disabled". An endpoint already running can be used with BEDROCK_ENDPOINT_URL=http://127.0.0.1:PORT;
#   otherwise hacking/with-endpoint.sh starts one. BEDROCK_TEST_VENV=NAME runs ansible-playbook (and the modules) from
#   .work/venv-NAME instead of the default one (e.g. core217: ansible-core 2.17, hacking/core217.sh).
#   BEDROCK_INTEGRATION_JOBS=N runs N targets at once, each worker against an endpoint of its own (the targets spend
#   most of their time waiting on copies and throughputs, not on a CPU): the workers take the targets from one
#   queue, the largest first, each the next one when it is done with one; every target runs once.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "${1:-}" = --built ]; then
  shift
else
  bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
  log "build and install amazon.bedrock"
  bash "$HACKING/build.sh"
fi
targets_dir="$ROOT/tests/integration/targets"
[ -d "$targets_dir" ] || die "integration: no tests/integration/targets directory"
jobs=${BEDROCK_INTEGRATION_JOBS:-1}
if [ -z "${BEDROCK_ENDPOINT_URL:-}" ] && [ "$jobs" -gt 1 ]; then
  all=("$@")
  if [ ${#all[@]} -eq 0 ]; then
    for d in "$targets_dir"/*/; do
      case "$(basename "$d")" in setup_* | prepare_*) ;; *) all+=("$(basename "$d")") ;; esac
    done
  fi
  # One queue, largest target first (by the bytes of its tasks, a fair guess at its time); N workers, each against
  # an endpoint of its own, take the next target whenever they finish one, so a long target does not hold back the
  # ones a fixed split would have put behind it.
  logs="$WORK/logs/integration${BEDROCK_TEST_VENV:+-$BEDROCK_TEST_VENV}-$$"
  mkdir -p "$WORK/logs"
  queue="$logs.queue"
  for t in "${all[@]}"; do echo "$(cat "$targets_dir/$t"/tasks/*.yml 2>/dev/null | wc -c) $t"; done | sort -rn \
    | cut -d' ' -f2 >"$queue"
  echo "integration: ${#all[@]} targets, $jobs at a time (largest first): $(tr "\n" " " <"$queue")"
  # Each worker's output in .work/logs/integration<-venv>-<pid>-worker<N>.log, shown once all of them ended.
  pids=()
  for ((g = 1; g <= jobs; g++)); do
    BEDROCK_INTEGRATION_JOBS=1 BEDROCK_INTEGRATION_QUEUE="$queue" bash "$HACKING/with-endpoint.sh" \
      bash "${BASH_SOURCE[0]}" --built >"$logs-worker$g.log" 2>&1 &
    pids+=("$!:$g")
  done
  rc=0
  for entry in "${pids[@]}"; do wait "${entry%%:*}" || rc=1; done
  for entry in "${pids[@]}"; do
    printf '\n######## integration worker %s ########\n' "${entry##*:}"
    cat "$logs-worker${entry##*:}.log"
  done
  summary=$(for entry in "${pids[@]}"; do
    sed -n '/^integration targets:$/,$p' "$logs-worker${entry##*:}.log" | grep -E '^  (PASS|FAIL|SKIP)' || true
  done)
  printf '\nintegration targets (%s workers):\n%s\n' "${#pids[@]}" "$summary"
  ran=$(grep -cE '^  (PASS|FAIL|SKIP)' <<<"$summary" || true)
  echo "integration: $(grep -c '^  PASS' <<<"$summary" || true) passed, $(grep -c '^  FAIL' <<<"$summary" || true) failed," \
    "$(grep -c '^  SKIP' <<<"$summary" || true) skipped"
  [ "$ran" -eq "${#all[@]}" ] || { echo "integration: ${#all[@]} targets queued, $ran ran" >&2; rc=1; }
  rm -f "$queue" "$queue.lock"
  exit "$rc"
fi
if [ -z "${BEDROCK_ENDPOINT_URL:-}" ]; then
  exec bash "$HACKING/with-endpoint.sh" bash "${BASH_SOURCE[0]}" --built "$@"
fi

test_venv=${BEDROCK_TEST_VENV:-$DEFAULT_PY}
py=$(venv_python "$test_venv")

targets=()
if [ $# -gt 0 ]; then
  for t in "$@"; do
    [ -f "$targets_dir/$t/tasks/main.yml" ] || die "integration: no target $t (tests/integration/targets/$t/tasks/main.yml)"
    targets+=("$t")
  done
else
  for d in "$targets_dir"/*/; do
    t=$(basename "$d")
    case "$t" in setup_* | prepare_*) continue ;; esac
    targets+=("$t")
  done
fi

run_dir="$WORK/integration${BEDROCK_TEST_VENV:+-$BEDROCK_TEST_VENV}"
mkdir -p "$run_dir" "$TEST_HOME"
export ANSIBLE_ROLES_PATH="$targets_dir"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
# No ansible.cfg from wherever this was started (an empty one of our own); caches and ~/.aws lookups stay in
# .work/home.
printf '[defaults]\n' > "$run_dir/ansible.cfg"
export ANSIBLE_CONFIG="$run_dir/ansible.cfg" HOME="$TEST_HOME"
# async jobs write their results under HOME; the controller must look there too, not in the real home.
export ANSIBLE_ASYNC_DIR="$TEST_HOME/.ansible_async"
export ANSIBLE_CALLBACK_RESULT_FORMAT=yaml ANSIBLE_RETRY_FILES_ENABLED=false

reset_endpoint() {
  "$py" - "$BEDROCK_ENDPOINT_URL/moto-api/bedrock/reset" <<'EOF'
import sys, urllib.request
with urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"", method="POST"), timeout=30) as r:
    if r.status // 100 != 2:
        sys.exit(f"reset answered HTTP {r.status}")
EOF
}

# With BEDROCK_INTEGRATION_QUEUE (a worker of the launcher above), the targets come one at a time from the queue.
next_target() {
  local t
  exec 9>>"$BEDROCK_INTEGRATION_QUEUE.lock"
  flock 9
  t=$(head -n 1 "$BEDROCK_INTEGRATION_QUEUE")
  [ -z "$t" ] || sed -i 1d "$BEDROCK_INTEGRATION_QUEUE"
  exec 9>&-
  printf '%s' "$t"
}
if [ -n "${BEDROCK_INTEGRATION_QUEUE:-}" ]; then
  targets=()
  queued=true
else
  queued=false
fi

passed=0 failed=0 skipped=0
results=()
i=0
while true; do
  if $queued; then
    t=$(next_target)
    [ -n "$t" ] || break
  else
    [ "$i" -lt "${#targets[@]}" ] || break
    t=${targets[i]}
    i=$((i + 1))
  fi
  if [ -f "$targets_dir/$t/aliases" ] && grep -qw disabled "$targets_dir/$t/aliases"; then
    results+=("SKIP  $t (aliases: disabled)")
    skipped=$((skipped + 1))
    continue
  fi
  log "integration target $t"
  playbook="$run_dir/$t.yml"
  # JSON strings are valid YAML scalars, whatever the path or URL contains.
  cat > "$playbook" <<EOF
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "$py"
    bedrock_endpoint_url: "$BEDROCK_ENDPOINT_URL"
    bedrock_emulator: true
  roles:
    - "$t"
EOF
  start=$SECONDS
  rc=0
  if ! reset_endpoint; then
    echo "integration: could not reset the endpoint before $t" >&2
    rc=1
  else
    (cd "$run_dir" && "$(venv_bin "$test_venv")/ansible-playbook" -i localhost, "$playbook") || rc=$?
  fi
  took=$((SECONDS - start))
  if [ "$rc" -eq 0 ]; then
    results+=("PASS  $t  ${took}s")
    passed=$((passed + 1))
  else
    results+=("FAIL  $t  ${took}s (exit $rc)")
    failed=$((failed + 1))
  fi
done

printf '\nintegration targets:\n'
printf '  %s\n' "${results[@]}"
echo "integration: $passed passed, $failed failed, $skipped skipped"
$queued || [ $((passed + failed)) -gt 0 ] || die "integration: no target ran"
[ "$failed" -eq 0 ]
