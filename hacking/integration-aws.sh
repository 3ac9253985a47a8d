#!/usr/bin/env bash
# The read-only integration checks against a real AWS account (tests/integration/aws/read_only.yml): the installed
# tarball, your credentials as boto3 finds them, and BEDROCK_AWS_REGION. Never run by CI; see that playbook for what
# it calls (List* and Get* only: it creates nothing and costs nothing).
#
# Usage: BEDROCK_AWS_REGION=us-west-2 [AWS_PROFILE=...] hacking/integration-aws.sh
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
log "read-only checks against AWS in $BEDROCK_AWS_REGION"
cd "$run_dir" || exit 1
exec "$(venv_bin "$DEFAULT_PY")/ansible-playbook" -i localhost, \
  -e "ansible_python_interpreter=$(venv_python "$DEFAULT_PY")" "$ROOT/tests/integration/aws/read_only.yml" "$@"
