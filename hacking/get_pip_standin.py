"""Offline stand-in for the get-pip.py script that ansible-test downloads to bootstrap pip in its venvs.

ansible-test (``sanity --venv`` and the per-test sanity venvs) creates a venv without pip and runs
``python <get-pip> --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]``. It first looks for a
cached script at ``~/.ansible/test/cache/get_pip_X_Y.py``; the host it would download it from is not reachable
here, so hacking/bootstrap.sh copies this file there (with HOME pointing into .work/, never the real home).

This stand-in installs pip with the interpreter's own ensurepip, then upgrades pip to the requested version from
the configured package index (falling back to the bundled pip, with a warning, if that is not possible).
"""

from __future__ import annotations

import os
import subprocess
import sys

GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel"}


def main() -> int:
    args = sys.argv[1:]
    pip_args = [a for a in args if a not in GET_PIP_ONLY_FLAGS]
    options = [a for a in pip_args if a.startswith("-")]
    packages = [a for a in pip_args if not a.startswith("-")]

    # ensurepip sets PIP_CONFIG_FILE=/dev/null for the pip it runs; never let that (or an inherited value) hide
    # the machine's pip configuration (index, find-links, certificates) from the upgrade below.
    env = dict(os.environ)
    env.pop("PIP_CONFIG_FILE", None)

    subprocess.run(
        [sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )

    if packages:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--upgrade", *options, *packages], env=env, check=False
        )
        if result.returncode != 0:
            print(
                f"get_pip_standin: could not install {' '.join(packages)}; keeping the pip bundled with "
                f"Python {sys.version.split()[0]}",
                file=sys.stderr,
            )

    # get-pip.py with --no-setuptools/--no-wheel leaves them out; ensurepip bundles setuptools up to Python 3.11.
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
