#!/usr/bin/env bash
# Run a command against a fresh local Bedrock endpoint (tests/endpoint, module bedrock_endpoint):
# start it on a free loopback port, wait until it answers HTTP, export BEDROCK_ENDPOINT_URL, run the command,
# and always stop the endpoint afterwards. Exits with the command's status.
#
# Usage: hacking/with-endpoint.sh [--copy-duration SECONDS] [--provision-duration SECONDS] [--] CMD [ARG...]
#        hacking/with-endpoint.sh --foreground [--copy-duration SECONDS] [--provision-duration SECONDS]
#          just runs the endpoint on 127.0.0.1:${BEDROCK_ENDPOINT_PORT:-8000} (for `make endpoint`)
#
# The command also gets fake AWS credentials and a region (the endpoint does not check them; botocore needs some
# to sign requests), so no real account is ever used. The endpoint's log goes to .work/logs/endpoint-<pid>.log.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

endpoint_args=()
foreground=false
while [ $# -gt 0 ]; do
  case "$1" in
    --copy-duration) endpoint_args+=(--copy-duration "$2"); shift 2 ;;
    --copy-duration=*) endpoint_args+=(--copy-duration "${1#*=}"); shift ;;
    --provision-duration) endpoint_args+=(--provision-duration "$2"); shift 2 ;;
    --provision-duration=*) endpoint_args+=(--provision-duration "${1#*=}"); shift ;;
    --foreground) foreground=true; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
# BEDROCK_COPY_DURATION in the environment (e.g. `make demo BEDROCK_COPY_DURATION=5`) is the default --copy-duration.
if [ -n "${BEDROCK_COPY_DURATION:-}" ] && [[ " ${endpoint_args[*]-} " != *" --copy-duration "* ]]; then
  endpoint_args+=(--copy-duration "$BEDROCK_COPY_DURATION")
fi
# BEDROCK_PROVISION_DURATION likewise: how long a provisioned throughput stays Creating/Updating.
if [ -n "${BEDROCK_PROVISION_DURATION:-}" ] && [[ " ${endpoint_args[*]-} " != *" --provision-duration "* ]]; then
  endpoint_args+=(--provision-duration "$BEDROCK_PROVISION_DURATION")
fi
if ! $foreground && [ $# -eq 0 ]; then
  die "usage: hacking/with-endpoint.sh [--copy-duration SECONDS] [--] CMD [ARG...]"
fi

py=$(venv_python "$DEFAULT_PY")
[ -x "$py" ] || bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
[ -d "$ROOT/tests/endpoint/bedrock_endpoint" ] || die "no local endpoint: tests/endpoint/bedrock_endpoint is missing"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_REGION="${AWS_REGION:-$AWS_DEFAULT_REGION}"
unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE

if $foreground; then
  cd "$ROOT" || exit 1
  PYTHONPATH="$ROOT/tests/endpoint" exec "$py" -m bedrock_endpoint --host 127.0.0.1 --port "${BEDROCK_ENDPOINT_PORT:-8000}" \
    ${endpoint_args[@]+"${endpoint_args[@]}"}
fi

mkdir -p "$WORK/logs"
logfile="$WORK/logs/endpoint-$$.log"  # one per run: several may run at once
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bedrock-endpoint.XXXXXX")
port_file="$tmp/port"
endpoint_pid=

# shellcheck disable=SC2329  # called by the EXIT trap
stop_endpoint() {
  if [ -n "$endpoint_pid" ] && kill -0 "$endpoint_pid" 2>/dev/null; then
    kill "$endpoint_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$endpoint_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$endpoint_pid" 2>/dev/null || true
    wait "$endpoint_pid" 2>/dev/null || true
  fi
  endpoint_pid=
  rm -rf "$tmp"
}
trap stop_endpoint EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

(cd "$ROOT" && PYTHONPATH="$ROOT/tests/endpoint" exec "$py" -m bedrock_endpoint --host 127.0.0.1 --port 0 \
   --port-file "$port_file" ${endpoint_args[@]+"${endpoint_args[@]}"}) >"$logfile" 2>&1 &
endpoint_pid=$!

fail_start() {
  echo "with-endpoint: $1; last lines of ${logfile#"$ROOT"/}:" >&2
  tail -n 30 "$logfile" >&2 || true
  exit 1
}

# Wait for the port file (written once the socket is bound), then for an HTTP answer (any status will do).
for i in $(seq 300); do
  [ -s "$port_file" ] && break
  kill -0 "$endpoint_pid" 2>/dev/null || fail_start "the endpoint exited before it was listening"
  [ "$i" -lt 300 ] || fail_start "the endpoint did not write its port file within 30s"
  sleep 0.1
done
port=$(tr -dc '0-9' < "$port_file")
[ -n "$port" ] || fail_start "the port file is empty or not a number"
url="http://127.0.0.1:$port"
"$py" - "$url" <<'EOF' || fail_start "the endpoint at its port did not answer HTTP within 30s"
import sys, time, urllib.error, urllib.request
deadline = time.monotonic() + 30
while True:
    try:
        urllib.request.urlopen(sys.argv[1] + "/", timeout=2).close()
        break
    except urllib.error.HTTPError:
        break  # an HTTP error status is still an answer
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.1)
EOF

export BEDROCK_ENDPOINT_URL="$url"
# STS too (roles assumed by copies in other accounts; botocore honours AWS_ENDPOINT_URL_<SERVICE>).
export AWS_ENDPOINT_URL_STS="$url"
echo "with-endpoint: local endpoint at $BEDROCK_ENDPOINT_URL (log: ${logfile#"$ROOT"/})"
rc=0
"$@" || rc=$?
exit "$rc"
