#!/usr/bin/env bash
# The oldest supported ansible-core (meta/runtime.yml requires_ansible: >=2.17.0), proven: with ansible-core 2.17
# (newest patch, .work/venv-core217 on Python 3.11, hacking/core217-requirements.txt), amazon.aws 10.1.2 from the
# same ansible wheel as everywhere else and the same boto3/botocore, against the INSTALLED tarball:
#   1. the demo playbook (playbooks/demo.yml),
#   2. the integration targets of what changes with ansible-core (hacking/integration.sh, BEDROCK_TEST_VENV=core217):
#      the two roles (templating, role argument specs, include and rescue, the role_inputs and model_rollout_step
#      actions) and model_copy_job_info (module_defaults on the action group, the wait action's rounds and progress
#      lines). The other module targets test the modules' own Python, which is the same on every core; they run on
#      2.19 in the integration stage, and the demo runs every module here. Give targets to run others
#      (`make core217 TARGETS="..."`). Two groups at once, each against an endpoint of its own
#      (BEDROCK_INTEGRATION_JOBS=2; CORE217_JOBS=N for another number): the targets mostly wait.
# The tarball is built and installed once, for both.
# ansible-test sanity of ansible-core 2.17 runs with the other cores' in hacking/sanity.sh.
# Usage: hacking/core217.sh [TARGET...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY" core217
bin=$(venv_bin core217)

# The same boto3/botocore as the other venvs: CI's support table says so.
for pkg in boto3 botocore; do
  want=$(grep -E "^$pkg==" "$ROOT/test-requirements.txt" | head -1 | cut -d' ' -f1)
  have=$(grep -E "^$pkg==" "$HACKING/core217-requirements.txt" | cut -d' ' -f1)
  [ "$want" = "$have" ] || die "core217: hacking/core217-requirements.txt pins $have, test-requirements.txt $want"
done
core=$("$bin/python" -c 'from ansible.release import __version__; print(__version__)')
case "$core" in 2.17.*) ;; *) die "core217: .work/venv-core217 has ansible-core $core, not 2.17" ;; esac
aws=$(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' "$COLLECTIONS/ansible_collections/amazon/aws/MANIFEST.json" | head -1)
versions "$bin" "$aws"

bash "$HACKING/build.sh" >/dev/null
export BEDROCK_TEST_VENV=core217
step "demo playbook (ansible-core $core)" bash "$HACKING/with-endpoint.sh" bash "$HACKING/demo.sh" --built
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(role_model_copy_gate role_model_rollout model_copy_job_info)
step "integration targets (ansible-core $core)" env BEDROCK_INTEGRATION_JOBS="${CORE217_JOBS:-2}" \
  bash "$HACKING/integration.sh" --built "${targets[@]}"
steps_report
