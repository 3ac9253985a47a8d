#!/usr/bin/env bash
# Everything `make test` (and CI, through .ci/run) runs, in order, stopping at the first failure:
#   bootstrap, lint, unit, endpoint-test, integration, reliability, eda-e2e, sanity, ansible-lint
# then a summary of the stages with pass/fail and durations. Each stage's output is also kept in
# .work/logs/<stage>.log.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
stages=(bootstrap lint unit endpoint-test integration reliability eda-e2e sanity ansible-lint)
declare -A cmd=(
  [bootstrap]="bootstrap.sh 3.11 3.12"
  [lint]="lint.sh"
  [unit]="unit.sh"
  [endpoint-test]="endpoint-test.sh"
  [integration]="integration.sh"
  [reliability]="../tests/reliability/run.sh"
  [eda-e2e]="eda-e2e.sh"
  [sanity]="sanity.sh"
  [ansible-lint]="ansible-lint.sh"
)
mkdir -p "$WORK/logs"
summary=()
passed=0 failed=0
total_start=$SECONDS
for stage in "${stages[@]}"; do
  printf '\n######## %s ########\n' "$stage"
  start=$SECONDS
  rc=0
  # shellcheck disable=SC2086  # the command line is split on purpose
  bash "$HACKING"/${cmd[$stage]} 2>&1 | tee "$WORK/logs/$stage.log" || rc=$?
  took=$((SECONDS - start))
  if [ "$rc" -eq 0 ]; then
    summary+=("$(printf 'PASS  %-14s %5ss' "$stage" "$took")")
    passed=$((passed + 1))
  else
    summary+=("$(printf 'FAIL  %-14s %5ss  (exit %s; log: .work/logs/%s.log)' "$stage" "$took" "$rc" "$stage")")
    failed=$((failed + 1))
    break
  fi
done
for stage in "${stages[@]:$((passed + failed))}"; do
  summary+=("$(printf '%s  %-14s  not run' '----' "$stage")")
done
printf '\n######## summary (%ss in all) ########\n' "$((SECONDS - total_start))"
printf '%s\n' "${summary[@]}"
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
