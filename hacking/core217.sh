#!/usr/bin/env bash
# The oldest supported ansible-core (meta/runtime.yml requires_ansible: >=2.17.0), proven: with ansible-core 2.17
# (newest patch, .work/venv-core217 on Python 3.11, hacking/core217-requirements.txt), amazon.aws 10.1.2 from the
# same ansible wheel as everywhere else and the same boto3/botocore, against the INSTALLED tarball:
#   1. the demo playbook (playbooks/demo.yml),
#   2. every integration target (hacking/integration.sh, BEDROCK_TEST_VENV=core217), in two groups at once, each
#      against an endpoint of its own (BEDROCK_INTEGRATION_JOBS=2; CORE217_JOBS=N for another number): the targets
#      mostly wait, so two groups take about half the time of one for little more CPU.
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
step "integration targets (ansible-core $core)" env BEDROCK_INTEGRATION_JOBS="${CORE217_JOBS:-2}" \
  bash "$HACKING/integration.sh" --built "$@"
steps_report
