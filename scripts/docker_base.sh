#!/usr/bin/env bash
# Makes a Debian bookworm base image without pulling from a registry (for machines that
# cannot reach Docker Hub): debootstrap a minimal root, then `docker import` it.
#   scripts/docker_base.sh [IMAGE]      default IMAGE: cpforge-base:bookworm
# A no-op when IMAGE exists. Then: docker build --build-arg BASE=IMAGE -t cpforge .
set -euo pipefail
image="${1:-cpforge-base:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if docker image inspect "$image" >/dev/null 2>&1; then
    echo "$image exists"
    exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed: apt-get install debootstrap" >&2; exit 1; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
# The image's apt must use the same mirror debootstrap could reach.
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$image" >/dev/null
echo "built $image"
