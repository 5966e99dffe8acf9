# cpforge's reward server and sandbox runner, with every toolchain it judges.
#   scripts/docker_build.sh            (makes the wheelhouse, then builds this file)
# or by hand, from the project root:
#   pip wheel -w build/docker-wheels '.[server]'
#   docker build --build-arg BASE=debian:bookworm-slim -t cpforge .
# BASE is any Debian bookworm image; scripts/docker_base.sh makes one offline.
# cpforge is installed from its wheel (build/docker-wheels), with no index: the build needs
# Debian's mirror for apt and nothing else.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8
# One layer for the toolchains (most of the image), with apt's lists and caches removed.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
        bubblewrap gcc g++ libc6-dev python3 python3-venv pypy3 openjdk-17-jdk-headless \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/* /usr/share/doc/* /usr/share/man/*

# A non-root user: bubblewrap boxes inside the container need an unprivileged user namespace,
# and nothing in the image needs root at run time.
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin cpforge \
 && mkdir -p /opt/cpforge/cache && chown cpforge:cpforge /opt/cpforge/cache

COPY build/docker-wheels/ /tmp/wheels/
RUN python3 -m venv /opt/cpforge/venv \
 && /opt/cpforge/venv/bin/pip install -q --no-cache-dir --no-index --find-links /tmp/wheels 'cpforge[server]' \
 && rm -rf /tmp/wheels

ENV PATH=/opt/cpforge/venv/bin:$PATH \
    CPFORGE_CACHE_DIR=/opt/cpforge/cache \
    PYTHONDONTWRITEBYTECODE=1
USER cpforge
WORKDIR /home/cpforge
# The native launcher and the precompiled bits/stdc++.h, built once here so that every
# container starts warm (and a read-only root still has them).
RUN verifier prebuild

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["verifier"]
CMD ["serve", "--host", "0.0.0.0"]
