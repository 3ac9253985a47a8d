"""Offline stand-in for the get-pip.py script that ansible-test downloads to bootstrap pip in its venvs.

ansible-test (``sanity --venv`` and the per-test sanity venvs) creates a venv without pip and runs
``python <get-pip> --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]``. It first looks for a
cached script at ``~/.ansible/test/cache/get_pip_X_Y.py``; the host it would download it from is not reachable
here, so hacking/bootstrap.sh copies this file there (with HOME pointing into .work/, never the real home).

Like get-pip.py, it installs pip (and setuptools and wheel unless told not to) without a pip in the venv: it runs
the pip that Python bundles for ensurepip, unpacked once. The wheels come from ``get-pip-wheels/`` beside this
script: the first call downloads them there from the configured package index, every later call installs from
there without the index. A sanity run makes about 30 venvs, so this is seconds instead of minutes.
If the wheels cannot be had, it falls back to ensurepip's bundled pip, with a warning.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
import zipfile

GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel"}
WHEELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "get-pip-wheels")


def bundled_pip() -> str | None:
    """The pip that this Python bundles for ensurepip, unpacked once beside the wheels (``python <dir>/pip`` runs it).

    Unpacked, its modules are compiled once; run from the zip, every call would compile them again.
    """
    import ensurepip

    found = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))
    if not found:
        return None
    runner = os.path.join(WHEELS, "runner-" + os.path.basename(found[-1])[: -len(".whl")])
    if not os.path.isdir(runner):
        os.makedirs(WHEELS, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=WHEELS) as fresh, zipfile.ZipFile(found[-1]) as wheel:
            wheel.extractall(fresh)
            try:
                os.rename(fresh, runner)
            except OSError:  # another venv's call unpacked it first
                pass
            os.makedirs(fresh, exist_ok=True)  # for TemporaryDirectory's cleanup
    return runner


def pip_from(runner: str, *args: str, env: dict[str, str], quiet: bool = False) -> int:
    out = subprocess.DEVNULL if quiet else None
    command = [sys.executable, os.path.join(runner, "pip"), *args]
    return subprocess.run(command, env=env, check=False, stdout=out, stderr=out).returncode


def install_from_wheels(wanted: list[str], options: list[str], env: dict[str, str]) -> bool:
    """Install ``wanted`` from the wheel cache, filling it from the index first when it lacks one of them."""
    runner = bundled_pip()
    if runner is None:
        return False
    # --no-compile: a venv compiles what it imports when it imports it, not all of setuptools up front.
    offline = ["install", "--no-index", "--find-links", WHEELS, "--no-compile", "--quiet", *options, *wanted]
    if pip_from(runner, *offline, env=env, quiet=True) == 0:  # not yet in the cache: no need to say so
        return True
    os.makedirs(WHEELS, exist_ok=True)
    # Download into a directory of our own, then move the wheels in: two venvs made at once never see half a file.
    with tempfile.TemporaryDirectory(dir=WHEELS) as fresh:
        if pip_from(runner, "download", "--only-binary", ":all:", "--dest", fresh, "--quiet", *wanted, env=env) != 0:
            return False
        for name in os.listdir(fresh):
            os.replace(os.path.join(fresh, name), os.path.join(WHEELS, name))
    return pip_from(runner, *offline, env=env) == 0


def main() -> int:
    args = sys.argv[1:]
    pip_args = [a for a in args if a not in GET_PIP_ONLY_FLAGS]
    options = [a for a in pip_args if a.startswith("-")]
    packages = [a for a in pip_args if not a.startswith("-")] or ["pip"]
    wanted = packages + [
        name for flag, name in (("--no-setuptools", "setuptools"), ("--no-wheel", "wheel")) if flag not in args
    ]

    # ensurepip sets PIP_CONFIG_FILE=/dev/null for the pip it runs; never let that (or an inherited value) hide
    # the machine's pip configuration (index, find-links, certificates) from the pip below.
    env = dict(os.environ)
    env.pop("PIP_CONFIG_FILE", None)

    if install_from_wheels(wanted, options, env):
        return 0

    print(
        f"get_pip_standin: could not install {' '.join(wanted)} from wheels; using ensurepip of Python "
        f"{sys.version.split()[0]}",
        file=sys.stderr,
    )
    subprocess.run(
        [sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    # ensurepip bundles setuptools up to Python 3.11; get-pip.py with --no-setuptools/--no-wheel leaves them out.
    unwanted = [name for flag, name in (("--no-setuptools", "setuptools"), ("--no-wheel", "wheel")) if flag in args]
    if unwanted:
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "-y", "-q", *unwanted],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
