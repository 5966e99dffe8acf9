#!/usr/bin/env bash
# Installs cpforge on a fresh Debian/Ubuntu machine: system packages where it can (as root
# or with sudo), then a virtual environment at .venv in the project root. Unless given
# --no-run, it then runs the main job on its embedded default (no network, no account).
set -euo pipefail
cd "$(dirname "$0")/.."

packages="bubblewrap gcc g++ libc6-dev python3 python3-venv pypy3 openjdk-17-jdk-headless"
if command -v apt-get >/dev/null; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="unavailable"; fi
    if [ "$sudo" != unavailable ]; then
        $sudo apt-get update -qq || echo "warning: apt-get update failed; using the package lists we have" >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null \
            || echo "warning: could not install some of: $packages (see 'verifier doctor')" >&2
    else
        echo "warning: not root and no sudo: install these yourself: $packages" >&2
    fi
else
    echo "warning: no apt-get: install bubblewrap, gcc/g++, python3, pypy3 and a JDK 17 with your package manager" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test,scrape,server,rl,docker,e2b,ray]'
# The RL frameworks' own client code, for the tests that run it (tests/server/framework_*).
# Their packages import torch at the top, so only their files are installed (--no-deps) and
# the tests load the modules they need directly; without them those tests replay only.
.venv/bin/python -m pip install -q --no-deps "verl==0.9.1" "openrlhf==0.11.2" \
    || echo "warning: could not install verl/openrlhf for the framework tests (they will skip)" >&2

if [ "${1:-}" != "--no-run" ]; then
    .venv/bin/verifier doctor || true
    # The main job: the bundled sample set through the whole pipeline -> ./cpforge-dataset
    exec .venv/bin/build-dataset run
fi
