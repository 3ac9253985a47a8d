#!/usr/bin/env bash
# galaxy-importer, what Galaxy runs on an uploaded collection, on the built tarball (.work/dist), configured by
# tests/galaxy-importer.cfg (offline: no ansible-test container, ansible-lint --offline). It must import cleanly:
# the importer's exit status, and no WARNING or ERROR line (Galaxy shows those on the collection's import log).
# The importer's result is kept in .work/galaxy-importer/importer_result.json.
# Usage: hacking/galaxy-importer.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$HACKING/bootstrap.sh" "$DEFAULT_PY" galaxy-importer
bash "$HACKING/build.sh" >/dev/null
bin=$(venv_bin galaxy-importer)
tarball=$(ls "$DIST"/amazon-bedrock-*.tar.gz)
out="$WORK/galaxy-importer"
rm -rf "$out" && mkdir -p "$out" "$TEST_HOME"
log "galaxy-importer $("$bin/python" -c 'from importlib.metadata import version; print(version("galaxy-importer"))')" \
  "on $(basename "$tarball")"
rc=0
# The venv's bin first on PATH: the importer runs ansible-doc and ansible-lint by name. HOME: ansible's temp files.
(cd "$out" && HOME="$TEST_HOME" PATH="$bin:$PATH" GALAXY_IMPORTER_CONFIG="$ROOT/tests/galaxy-importer.cfg" \
   "$bin/python" -m galaxy_importer.main "$tarball") >"$out/import.log" 2>&1 || rc=$?
cat "$out/import.log"
[ "$rc" -eq 0 ] || die "galaxy-importer: the import failed (exit $rc)"
if grep -E '^(WARNING|ERROR):' "$out/import.log" >/dev/null; then
  die "galaxy-importer: the import logged warnings or errors (above)"
fi
echo "galaxy-importer: $(basename "$tarball") imports cleanly"
