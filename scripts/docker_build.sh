#!/usr/bin/env bash
# Builds the cpforge image from this checkout's wheel:
#   scripts/docker_build.sh [IMAGE]     IMAGE default: $CPFORGE_DOCKER_IMAGE or cpforge
# BASE (env) picks the base image; default: cpforge-base:bookworm, made offline from
# debootstrap by scripts/docker_base.sh when it is missing (no registry needed).
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:-${CPFORGE_DOCKER_IMAGE:-cpforge}}"
base="${BASE:-cpforge-base:bookworm}"
python="${PYTHON:-.venv/bin/python}"
if [ "$base" = cpforge-base:bookworm ]; then
    scripts/docker_base.sh "$base"
fi
rm -rf build/docker-wheels
# The wheel and those of its [server] dependencies: the build installs them with no index.
log=$(mktemp)
"$python" -m pip wheel -q -w build/docker-wheels '.[server]' >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
rm -f "$log"
docker build -q --build-arg BASE="$base" -t "$image" . >/dev/null
size=$(docker image inspect -f '{{.Size}}' "$image")
echo "built $image ($((size / 1000000)) MB)"
