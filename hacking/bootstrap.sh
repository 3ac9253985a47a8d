#!/usr/bin/env bash
# Install everything the demo and tests need, on a fresh machine, idempotently:
#   - a venv per Python version (default 3.11) with test-requirements.txt
#   - amazon.aws in .work/collections (Galaxy first; offline fallback: the ansible wheel from PyPI)
#   - the get-pip stand-in that ansible-test's venv bootstrap finds in its cache (.work/home, see get_pip_standin.py)
# Usage: hacking/bootstrap.sh [PYVER ...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$WORK/cache"

for ver in "${@:-$DEFAULT_PY}"; do
  venv=$(venv_dir "$ver")
  stamp="$venv/.requirements.sha"
  want=$(sha256sum "$ROOT/test-requirements.txt" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    py=$(find_python "$ver") || die "bootstrap: python$ver not found"
    log "venv for Python $ver ($venv)"
    start=$SECONDS
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip 2>&1 | quiet_pip_filter
    "$venv/bin/python" -m pip install -q -r "$ROOT/test-requirements.txt" 2>&1 | quiet_pip_filter
    echo "$want" > "$stamp"
    echo "venv for Python $ver ready in $((SECONDS - start))s"
  fi

  # ansible-test bootstraps pip in its venvs from ~/.ansible/test/cache/get_pip_<pip version with _>.py;
  # the pip version is the one this venv's ansible-test asks for.
  pip_ver=$("$venv/bin/python" - "$ver" <<'EOF'
import sys, types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))["pip"])
EOF
  )
  cached="$TEST_HOME/.ansible/test/cache/get_pip_${pip_ver//./_}.py"
  if ! cmp -s "$HACKING/get_pip_standin.py" "$cached"; then
    mkdir -p "$(dirname "$cached")"
    cp "$HACKING/get_pip_standin.py" "$cached"
    echo "get-pip stand-in for pip $pip_ver installed for ansible-test (HOME=.work/home)"
  fi
done

aws_dir="$COLLECTIONS/ansible_collections/amazon/aws"
if [ ! -f "$aws_dir/MANIFEST.json" ] || ! grep -q "\"version\": \"$AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json"; then
  log "amazon.aws $AMAZON_AWS_VERSION"
  venv=$(venv_dir "${1:-$DEFAULT_PY}")
  if ! timeout 120 "$venv/bin/ansible-galaxy" collection install "amazon.aws:==$AMAZON_AWS_VERSION" -p "$COLLECTIONS" \
         --no-deps --force >/dev/null 2>&1 \
     || [ ! -f "$aws_dir/MANIFEST.json" ]; then
    echo "Galaxy unreachable; taking amazon.aws from the $AMAZON_AWS_WHEEL wheel"
    whl_dir="$WORK/cache/wheel"
    ls "$whl_dir"/ansible-*.whl >/dev/null 2>&1 || \
      "$venv/bin/python" -m pip download -q --no-deps -d "$whl_dir" "$AMAZON_AWS_WHEEL" 2>&1 | quiet_pip_filter
    rm -rf "$aws_dir" && mkdir -p "$COLLECTIONS"
    (cd "$COLLECTIONS" && unzip -q -o "$whl_dir"/ansible-*.whl 'ansible_collections/amazon/aws/*')
  fi
  grep -q "\"version\": \"$AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json" \
    || die "amazon.aws in $aws_dir is not version $AMAZON_AWS_VERSION"
fi
