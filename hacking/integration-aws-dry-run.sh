#!/usr/bin/env bash
# A dry run of make integration-aws with every group, against the local endpoint instead of AWS: the checks send what
# they would send to AWS, but to the endpoint (BEDROCK_AWS_ENDPOINT_URL). hacking/with-endpoint.sh starts it (fake
# credentials, never a real account); this script first registers, through the endpoint's control API, what the
# groups expect to find in an account (a custom model in another region to copy, one in the region to serve, and a
# completed copy to gate on), then runs hacking/integration-aws.sh. The checks themselves never call the control API
# (make lint checks that). Not run by CI.
#
# Usage: hacking/integration-aws-dry-run.sh [ansible-playbook ARG...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -z "${BEDROCK_ENDPOINT_URL:-}" ]; then
  exec bash "$HACKING/with-endpoint.sh" --copy-duration 2 --provision-duration 2 bash "${BASH_SOURCE[0]}" "$@"
fi
region=us-west-2
inputs=$("$(venv_python "$DEFAULT_PY")" - "$BEDROCK_ENDPOINT_URL/moto-api/bedrock" "$region" <<'PY'
import json, sys, urllib.request

control, region = sys.argv[1], sys.argv[2]

def post(path, body):
    request = urllib.request.Request(control + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)

source = post("/models", {"region": "us-east-1", "model_name": "dry-run-source"})["model_arn"]
served = post("/models", {"region": region, "model_name": "dry-run-served"})["model_arn"]
post("/seed", {"region": region, "jobs": [{"source_model_arn": source, "target_model_name": "dry-run-copy",
                                            "status": "Completed"}]})
post("/custom-model-deployments/lifecycle", {"create_seconds": 2, "update_seconds": 2})
print(f"BEDROCK_AWS_SOURCE_MODEL_ARN={source}")
print(f"BEDROCK_AWS_MODEL_ARN={served}")
PY
)
while IFS= read -r line; do export "${line?}"; done <<<"$inputs"
export BEDROCK_AWS_REGION=$region BEDROCK_AWS_COPY_NAME=dry-run-copy BEDROCK_AWS_WAIT_TIMEOUT=300
export BEDROCK_AWS_CHECKS="${BEDROCK_AWS_CHECKS:-read_only gate copy_job provisioned_throughput deployment}"
rc=0
BEDROCK_AWS_ENDPOINT_URL=$BEDROCK_ENDPOINT_URL bash "$HACKING/integration-aws.sh" "$@" || rc=$?
# What the checks sent, per Bedrock operation (the endpoint's request counters): the requests AWS would have had.
"$(venv_python "$DEFAULT_PY")" - "$BEDROCK_ENDPOINT_URL/moto-api/bedrock/stats" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=30) as answer:
    sent = {op: n for op, n in json.load(answer)["requests"].items() if n}
print("integration-aws dry run: requests sent, per operation:", json.dumps(sent, sort_keys=True))
PY
exit "$rc"
