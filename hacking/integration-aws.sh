#!/usr/bin/env bash
# Integration checks against a real AWS account (tests/integration/aws/checks.yml): the installed tarball, your
# credentials as boto3 finds them, and BEDROCK_AWS_REGION. Never run by CI. By default only the read-only checks
# (List* and Get* requests: they create nothing and cost nothing); BEDROCK_AWS_CHECKS adds groups that create, and
# delete, billed resources. That playbook's header lists every group, its inputs, what it creates and how it is billed.
#
# Usage: BEDROCK_AWS_REGION=us-west-2 [AWS_PROFILE=...] [BEDROCK_AWS_CHECKS="read_only gate copy_job deployment
#        provisioned_throughput"] [BEDROCK_AWS_SOURCE_MODEL_ARN=...] [BEDROCK_AWS_MODEL_ARN=...]
#        [BEDROCK_AWS_COPY_NAME=...] [BEDROCK_AWS_WAIT_TIMEOUT=3600] hacking/integration-aws.sh [ansible-playbook ARG...]
#   BEDROCK_AWS_ENDPOINT_URL, for dry runs only: every request goes there instead of to AWS (exported as
#   AWS_ENDPOINT_URL, which boto3 reads), e.g. to the local endpoint:
#   hacking/with-endpoint.sh bash -c 'BEDROCK_AWS_ENDPOINT_URL=$BEDROCK_ENDPOINT_URL hacking/integration-aws.sh'
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ -n "${BEDROCK_AWS_REGION:-}" ] || die "integration-aws: set BEDROCK_AWS_REGION to a region with Amazon Bedrock"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
log "build and install amazon.bedrock"
bash "$HACKING/build.sh"

run_dir="$WORK/integration-aws"
mkdir -p "$run_dir"
printf '[defaults]\n' > "$run_dir/ansible.cfg"
# HOME stays yours: boto3 reads ~/.aws for a profile.
export ANSIBLE_CONFIG="$run_dir/ansible.cfg" ANSIBLE_ROLES_PATH="$ROOT/tests/integration/targets"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ANSIBLE_CALLBACK_RESULT_FORMAT=yaml ANSIBLE_RETRY_FILES_ENABLED=false
where="AWS in $BEDROCK_AWS_REGION"
if [ -n "${BEDROCK_AWS_ENDPOINT_URL:-}" ]; then
  export AWS_ENDPOINT_URL="$BEDROCK_AWS_ENDPOINT_URL"
  where="$BEDROCK_AWS_ENDPOINT_URL (dry run: BEDROCK_AWS_ENDPOINT_URL), region $BEDROCK_AWS_REGION"
fi
log "checks ${BEDROCK_AWS_CHECKS:-read_only} against $where"
cd "$run_dir" || exit 1
exec "$(venv_bin "$DEFAULT_PY")/ansible-playbook" -i localhost, \
  -e "ansible_python_interpreter=$(venv_python "$DEFAULT_PY")" "$ROOT/tests/integration/aws/checks.yml" "$@"
