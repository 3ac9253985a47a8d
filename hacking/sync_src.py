"""Mirror the collection's files into .work/src/ansible_collections/amazon/bedrock.

The files are what git would see: tracked plus untracked-but-not-ignored (``git ls-files -co --exclude-standard``),
so a new file that is not committed yet is tested too, and nothing ignored (.work/, caches) leaks in.
Files are copied only when they changed; files that are no longer there are removed. ``tests/output/`` in the
destination belongs to ansible-test (results and its cached venvs) and ``.git/`` is the destination's own
repository (see hacking/sync-src.sh); both are left alone.

Usage: python sync_src.py SOURCE_ROOT DEST
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys

KEEP = ("tests/output/", ".git/")


def main() -> int:
    src, dest = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=src,
        check=True,
        capture_output=True,
    ).stdout.decode()
    # A tracked file deleted in the working tree is still listed; it is gone, so it is not synced.
    wanted = sorted({p for p in listing.split("\0") if p and os.path.lexists(os.path.join(src, p))})

    copied = 0
    for rel in wanted:
        s, d = os.path.join(src, rel), os.path.join(dest, rel)
        if os.path.islink(s) or not os.path.isfile(s):
            # Symlinks are copied as links; a directory here is a nested git repository, which is skipped.
            if os.path.islink(s):
                if os.path.lexists(d) and (not os.path.islink(d) or os.readlink(d) != os.readlink(s)):
                    remove(d)
                if not os.path.lexists(d):
                    os.makedirs(os.path.dirname(d), exist_ok=True)
                    os.symlink(os.readlink(s), d)
                    copied += 1
            continue
        if os.path.isdir(d) and not os.path.islink(d):
            shutil.rmtree(d)
        if os.path.islink(d) or not os.path.exists(d) or not filecmp.cmp(s, d, shallow=False):
            if os.path.lexists(d):
                os.unlink(d)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copy2(s, d)
            copied += 1
        elif (os.stat(s).st_mode & 0o777) != (os.stat(d).st_mode & 0o777):
            shutil.copymode(s, d)

    keep = set(wanted)
    removed = 0
    for dirpath, dirnames, filenames in os.walk(dest, topdown=True):
        rel_dir = os.path.relpath(dirpath, dest)
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = [n for n in dirnames if not any((rel_dir + n + "/").startswith(k) for k in KEEP)]
        for name in filenames + [n for n in dirnames if os.path.islink(os.path.join(dirpath, n))]:
            rel = rel_dir + name
            if rel not in keep:
                os.unlink(os.path.join(dirpath, name))
                removed += 1
    # Drop directories left empty (never the destination itself or what ansible-test keeps).
    for dirpath, _dirnames, _filenames in sorted(os.walk(dest), key=lambda w: -len(w[0])):
        rel = os.path.relpath(dirpath, dest) + "/"
        if (
            dirpath != dest
            and not any(rel.startswith(k) or k.startswith(rel) for k in KEEP)
            and not os.listdir(dirpath)
        ):
            os.rmdir(dirpath)

    print(f"synced {len(wanted)} files into {os.path.relpath(dest, src)} ({copied} copied, {removed} removed)")
    return 0


def remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
