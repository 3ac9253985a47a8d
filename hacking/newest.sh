#!/usr/bin/env bash
# The newest amazon.aws the collection allows (galaxy.yml: amazon.aws >=10.0.0), proven on the newest ansible-core
# CI has: amazon.aws 11.4.0 from the ansible 14.5.0 wheel with ansible-core 2.21 (.work/venv-3.12), in a
# collections tree of its own (.work/collections-newest), and:
#   1. the unit tests, beside amazon.aws 11.4.0 (the collection builds on its AnsibleAWSModule, AWSRetry, error
#      handlers, tagging helpers and doc fragments);
#   2. the tarball installed offline WITH dependency resolution (amazon.aws 11.4.0 must meet it), then the demo
#      playbook from it against the local endpoint.
# Everything else runs beside amazon.aws 10.1.2 (hacking/common.sh); the README's support table says which.
# Usage: hacking/newest.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
NEWEST_PY=3.12
NEWEST_AMAZON_AWS_VERSION=11.4.0
NEWEST_AMAZON_AWS_WHEEL=ansible==14.5.0
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY" "$NEWEST_PY"
bash "$HACKING/build.sh" >/dev/null
bin=$(venv_bin "$NEWEST_PY")
tree="$WORK/collections-newest"
aws_dir="$tree/ansible_collections/amazon/aws"
take_lock newest

core=$("$bin/python" -c 'from ansible.release import __version__; print(__version__)')
case "$core" in 2.21.*) ;; *) die "newest: .work/venv-$NEWEST_PY has ansible-core $core, not 2.21" ;; esac
if ! grep -qs "\"version\": \"$NEWEST_AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json"; then
  log "amazon.aws $NEWEST_AMAZON_AWS_VERSION from the $NEWEST_AMAZON_AWS_WHEEL wheel"
  # Not bootstrap's wheel cache: one wheel per cache.
  amazon_aws_from_wheel "$bin/python" "$NEWEST_AMAZON_AWS_WHEEL" "$WORK/cache/wheel-newest" "$tree"
  grep -q "\"version\": \"$NEWEST_AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json" \
    || die "newest: amazon.aws in $aws_dir is not version $NEWEST_AMAZON_AWS_VERSION"
fi
versions "$bin" "$NEWEST_AMAZON_AWS_VERSION"

# (step runs these in an || list, where set -e does not hold: each command's failure is checked.)
# shellcheck disable=SC2329  # invoked through step
unit() {
  # hacking/unit.sh in a tree of its own, beside this amazon.aws (it checks that the tests import that one).
  BEDROCK_SRC_ROOT="$WORK/src-newest" BEDROCK_AMAZON_AWS="$aws_dir" BEDROCK_TEST_VENV="$NEWEST_PY" \
    bash "$HACKING/unit.sh" -q -p no:cacheprovider
}

# shellcheck disable=SC2329  # invoked through step
install() {
  # No --no-deps: the dependency on amazon.aws must be met by the 11.4.0 already in the tree (offline, no Galaxy).
  rm -rf "$tree/ansible_collections/amazon/bedrock" || return 1
  ANSIBLE_COLLECTIONS_PATH="$tree" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
    "$bin/ansible-galaxy" collection install --offline -p "$tree" "$DIST"/amazon-bedrock-*.tar.gz || return 1
  grep -q "\"version\": \"$NEWEST_AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json" \
    || die "newest: installing amazon.bedrock replaced amazon.aws $NEWEST_AMAZON_AWS_VERSION"
}

step "unit tests (amazon.aws $NEWEST_AMAZON_AWS_VERSION, ansible-core $core)" unit
step "install the tarball beside amazon.aws $NEWEST_AMAZON_AWS_VERSION (offline, with dependencies)" install
# shellcheck disable=SC2154  # steps_status is set by step (hacking/common.sh)
if [ "$steps_status" -eq 0 ]; then
  step "demo playbook (amazon.aws $NEWEST_AMAZON_AWS_VERSION, ansible-core $core)" \
    env BEDROCK_COLLECTIONS="$tree" BEDROCK_TEST_VENV="$NEWEST_PY" bash "$HACKING/with-endpoint.sh" \
    bash "$HACKING/demo.sh" --built
fi
steps_report
