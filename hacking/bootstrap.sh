#!/usr/bin/env bash
# Install everything the demo and tests need, on a fresh machine, idempotently:
#   - a venv per Python version (default 3.11) with test-requirements.txt
#   - amazon.aws in .work/collections (Galaxy first; offline fallback: the ansible wheel from PyPI)
#   - the get-pip stand-in that ansible-test's venv bootstrap finds in its cache (.work/home, see get_pip_standin.py)
#   - named venvs with a requirements file of their own (NAMED_VENVS below): docs (make docs), core217 (make core217),
#     galaxy-importer (make galaxy-importer)
# Usage: hacking/bootstrap.sh [PYVER|NAME ...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mkdir -p "$WORK/cache"
# NAME -> "PYTHON-VERSION REQUIREMENTS-FILE": .work/venv-NAME
declare -A NAMED_VENVS=(
  [docs]="3.11 hacking/docs-requirements.txt"
  [core217]="3.11 hacking/core217-requirements.txt"
  [galaxy-importer]="3.11 hacking/galaxy-importer-requirements.txt"
)

for ver in "${@:-$DEFAULT_PY}"; do
  venv=$(venv_dir "$ver")
  requirements="$ROOT/test-requirements.txt"
  pyver=$ver
  if [ -n "${NAMED_VENVS[$ver]:-}" ]; then
    read -r pyver req <<<"${NAMED_VENVS[$ver]}"
    requirements="$ROOT/$req"
  fi
  stamp="$venv/.requirements.sha"
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  # One builder per venv at a time (make test's stages run side by side and each bootstraps what it needs): a
  # second one waits, then finds the venv ready.
  (
    flock 8
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
      py=$(find_python "$pyver") || die "bootstrap: python$pyver not found"
      log "venv $(basename "$venv") for Python $pyver ($(basename "$requirements"))"
      start=$SECONDS
      rm -rf "$venv"
      "$py" -m venv "$venv"
      "$venv/bin/python" -m pip install -q --upgrade pip 2>&1 | quiet_pip_filter
      "$venv/bin/python" -m pip install -q -r "$requirements" 2>&1 | quiet_pip_filter
      echo "$want" > "$stamp"
      echo "venv $(basename "$venv") ready in $((SECONDS - start))s"
    fi
  ) 8>"$WORK/.bootstrap-$ver.lock"
  case "$ver" in docs | galaxy-importer) continue ;; esac   # no ansible-test run from there

  # ansible-test bootstraps pip in its venvs from ~/.ansible/test/cache/get_pip_<pip version with _>.py;
  # the pip version is the one this venv's ansible-test asks for.
  pip_ver=$("$venv/bin/python" - "$pyver" <<'EOF'
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
exec 7>"$WORK/.bootstrap-amazon-aws.lock"   # one installer at a time (bootstraps run side by side in make test)
flock 7
if [ ! -f "$aws_dir/MANIFEST.json" ] || ! grep -q "\"version\": \"$AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json"; then
  log "amazon.aws $AMAZON_AWS_VERSION"
  venv=$(venv_dir "${1:-$DEFAULT_PY}")
  if ! timeout 120 "$venv/bin/ansible-galaxy" collection install "amazon.aws:==$AMAZON_AWS_VERSION" -p "$COLLECTIONS" \
         --no-deps --force >/dev/null 2>&1 \
     || [ ! -f "$aws_dir/MANIFEST.json" ]; then
    echo "Galaxy unreachable; taking amazon.aws from the $AMAZON_AWS_WHEEL wheel"
    amazon_aws_from_wheel "$venv/bin/python" "$AMAZON_AWS_WHEEL" "$WORK/cache/wheel" "$COLLECTIONS"
  fi
  grep -q "\"version\": \"$AMAZON_AWS_VERSION\"" "$aws_dir/MANIFEST.json" \
    || die "amazon.aws in $aws_dir is not version $AMAZON_AWS_VERSION"
fi
