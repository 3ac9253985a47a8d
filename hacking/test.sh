#!/usr/bin/env bash
# Everything `make test` (and CI, through .ci/run) runs, stopping at the first failure:
#   bootstrap, lint, unit, endpoint-test, then four lanes side by side:
#     integration, ansible-lint, eda-e2e  |  sanity, docs, galaxy-importer  |  reliability, newest  |  core217
# The lanes that run playbooks against the local endpoint (integration, reliability, core217) spend most of their
# time waiting on lifecycles and timeouts, not on a CPU; sanity is the one that keeps a core busy.
# then a summary of the stages with pass/fail and durations. Each stage's output is in .work/logs/<stage>.log
# (the first, serial stages are also shown as they run; a lane's stages are shown only when one fails). When a
# stage fails, the stages still running are stopped (their whole process group: endpoints, ansible-test, ...) and
# the rest are not run. Each stage starts its own local endpoint on a free port, so lanes do not meet.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# endpoint-test runs alone: it times the endpoint's pages (a page of 50,000 jobs under 50 ms), which a busy CPU fails.
serial=(bootstrap lint unit endpoint-test)
# The integration targets mostly wait on lifecycles (copies, throughputs, deployments): two at a time, each against
# an endpoint of its own, taken from one queue (hacking/integration.sh). Three at a time was slower on two cores:
# with the other lanes, the machine is short of CPU, not of parallel waits (822 s against 749 s for all of make test).
export BEDROCK_INTEGRATION_JOBS=${BEDROCK_INTEGRATION_JOBS:-2}
lanes=("integration ansible-lint eda-e2e" "sanity docs galaxy-importer" "reliability newest" "core217")
declare -A cmd=(
  [bootstrap]="bootstrap-all"
  [lint]="lint.sh"
  [unit]="unit.sh"
  [endpoint-test]="endpoint-test.sh"
  [integration]="integration.sh"
  [reliability]="../tests/reliability/run.sh"
  [eda-e2e]="eda-e2e.sh"
  [sanity]="sanity.sh"
  [ansible-lint]="ansible-lint.sh"
  [docs]="docs.sh"
  [core217]="core217.sh"
  [newest]="newest.sh"
  [galaxy-importer]="galaxy-importer.sh"
)
logs="$WORK/logs"
state="$logs/.test-state"   # <stage>.rc and <stage>.took per finished stage
mkdir -p "$logs"
rm -rf "$state" && mkdir -p "$state"
total_start=$SECONDS

# Every venv at once (one pip's downloads overlap another's installs); 3.11, the longest, in the foreground.
bootstrap_all() {
  local pids=() v rc=0
  for v in 3.12 docs core217 galaxy-importer; do
    bash "$HACKING/bootstrap.sh" "$v" >"$logs/bootstrap-$v.log" 2>&1 &
    pids+=($!)
  done
  bash "$HACKING/bootstrap.sh" "$DEFAULT_PY" || rc=1
  for v in "${!pids[@]}"; do wait "${pids[$v]}" || rc=1; done
  cat "$logs"/bootstrap-{3.12,docs,core217,galaxy-importer}.log
  return "$rc"
}

# run_stage STAGE [show]: run it, its output to .work/logs/STAGE.log (and the terminal with "show"); record rc.
run_stage() {
  local stage=$1 show=${2:-} start=$SECONDS rc=0
  date +%s >"$state/$stage.start"
  if [ "${cmd[$stage]}" = bootstrap-all ]; then
    if [ -n "$show" ]; then bootstrap_all 2>&1 | tee "$logs/$stage.log" || rc=$?
    else bootstrap_all >"$logs/$stage.log" 2>&1 || rc=$?; fi
  elif [ -n "$show" ]; then
    # shellcheck disable=SC2086  # the command line is split on purpose
    bash "$HACKING"/${cmd[$stage]} 2>&1 | tee "$logs/$stage.log" || rc=$?
  else
    # shellcheck disable=SC2086
    bash "$HACKING"/${cmd[$stage]} >"$logs/$stage.log" 2>&1 </dev/null || rc=$?
  fi
  echo $((SECONDS - start)) >"$state/$stage.took"
  echo "$rc" >"$state/$stage.rc"
  return "$rc"
}

# What a lane (a separate process) needs of this script.
{ declare -p cmd logs state HACKING DEFAULT_PY; declare -f run_stage bootstrap_all; } >"$logs/.test-functions"

failed_stage=
for stage in "${serial[@]}"; do
  printf '\n######## %s ########\n' "$stage"
  if ! run_stage "$stage" show; then failed_stage=$stage; break; fi
done

if [ -z "$failed_stage" ]; then
  printf '\n######## side by side: %s ########\n' "$(printf '[%s] ' "${lanes[@]}")"
  declare -A lane_of=()
  pids=()
  for lane in "${lanes[@]}"; do
    # Each lane in a process group of its own (setsid), so that a failure elsewhere can stop all of it. The script
    # is expanded by the lane's bash; $lane is split into its stages on purpose.
    # shellcheck disable=SC2016,SC2086
    setsid bash -c '
      source "$1"; shift
      for stage in "$@"; do
        echo "started  $stage"
        if run_stage "$stage"; then echo "passed   $stage ($(cat "$state/$stage.took")s)"
        else echo "FAILED   $stage ($(cat "$state/$stage.took")s; log: .work/logs/$stage.log)"; exit 1; fi
      done' lane "$logs/.test-functions" $lane &
    pids+=($!)
    lane_of[$!]=$lane
  done
  running=("${pids[@]}")
  # Interrupted (Ctrl-C, CI's timeout): the lanes are sessions of their own and would go on; stop them too.
  trap 'for pid in ${running[@]+"${running[@]}"}; do kill -TERM -- "-$pid" 2>/dev/null || true; done; exit 130' INT
  trap 'for pid in ${running[@]+"${running[@]}"}; do kill -TERM -- "-$pid" 2>/dev/null || true; done; exit 143' TERM
  while [ ${#running[@]} -gt 0 ]; do
    rc=0 done_pid=
    wait -n -p done_pid "${running[@]}" || rc=$?
    [ -n "$done_pid" ] || { echo "test.sh: lost track of a lane (wait: $rc)"; failed_stage=${failed_stage:-lanes}; break; }
    left=()
    for pid in "${running[@]}"; do [ "$pid" = "$done_pid" ] || left+=("$pid"); done
    running=(${left[@]+"${left[@]}"})
    if [ "$rc" -ne 0 ]; then
      for stage in ${lane_of[$done_pid]}; do
        [ -f "$state/$stage.rc" ] && [ "$(cat "$state/$stage.rc")" != 0 ] && failed_stage=$stage
      done
      failed_stage=${failed_stage:-${lane_of[$done_pid]%% *}}
      echo "stopping the other lanes: $failed_stage failed"
      for pid in ${running[@]+"${running[@]}"}; do kill -TERM -- "-$pid" 2>/dev/null || true; done
      for pid in ${running[@]+"${running[@]}"}; do wait "$pid" 2>/dev/null || true; done
      break
    fi
  done
  if [ -n "$failed_stage" ]; then
    printf '\n######## %s failed: last lines of .work/logs/%s.log ########\n' "$failed_stage" "$failed_stage"
    tail -n 60 "$logs/$failed_stage.log"
  fi
fi

summary=()
passed=0 failed=0
for stage in "${serial[@]}" $(printf '%s ' "${lanes[@]}"); do
  if [ -f "$state/$stage.rc" ]; then
    took=$(cat "$state/$stage.took")
    if [ "$(cat "$state/$stage.rc")" = 0 ]; then
      summary+=("$(printf 'PASS  %-15s %5ss' "$stage" "$took")")
      passed=$((passed + 1))
    elif [ "$stage" = "$failed_stage" ]; then
      summary+=("$(printf 'FAIL  %-15s %5ss  (exit %s; log: .work/logs/%s.log)' "$stage" "$took" \
        "$(cat "$state/$stage.rc")" "$stage")")
      failed=$((failed + 1))
    else
      summary+=("$(printf 'STOP  %-15s %5ss  (stopped: %s failed)' "$stage" "$took" "$failed_stage")")
    fi
  elif [ -f "$state/$stage.start" ]; then
    took=$(($(date +%s) - $(cat "$state/$stage.start")))
    summary+=("$(printf 'STOP  %-15s %5ss  (stopped: %s failed)' "$stage" "$took" "$failed_stage")")
  else
    summary+=("$(printf '%s  %-15s  not run' '----' "$stage")")
  fi
done
printf '\n######## summary (%ss in all; the lanes ran side by side) ########\n' "$((SECONDS - total_start))"
printf '%s\n' "${summary[@]}"
echo "stages: $passed passed, $failed failed"
[ -z "$failed_stage" ] && [ "$failed" -eq 0 ]
