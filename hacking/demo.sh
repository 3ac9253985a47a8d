#!/usr/bin/env bash
# The demo: build and install the collection, start the local endpoint, run playbooks/demo.yml against it.
# Usage: hacking/demo.sh [ANSIBLE-PLAYBOOK ARGS...]   (BEDROCK_COPY_DURATION=SECONDS sets how long copies take;
#        BEDROCK_TEST_VENV=NAME runs it with .work/venv-NAME, e.g. core217; BEDROCK_COLLECTIONS=DIR takes the
#        collections from DIR instead of .work/collections, with --built only, e.g. hacking/newest.sh's tree)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "${1:-}" != --built ]; then
  bash "$HACKING/bootstrap.sh" "$DEFAULT_PY"
  log "build and install amazon.bedrock"
  bash "$HACKING/build.sh" >/dev/null
  exec bash "$HACKING/with-endpoint.sh" bash "${BASH_SOURCE[0]}" --built "$@"
fi
shift
cd "$ROOT" || exit 1
[ -f playbooks/demo.yml ] || die "demo: playbooks/demo.yml does not exist yet"
test_venv=${BEDROCK_TEST_VENV:-$DEFAULT_PY}
py=$(venv_python "$test_venv")
mkdir -p "$TEST_HOME"
HOME="$TEST_HOME" ANSIBLE_COLLECTIONS_PATH="${BEDROCK_COLLECTIONS:-$COLLECTIONS}" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
  "$(venv_bin "$test_venv")/ansible-playbook" -i localhost, playbooks/demo.yml \
  -e "bedrock_endpoint_url=$BEDROCK_ENDPOINT_URL" -e "ansible_python_interpreter=$py" "$@"
