"""The Docker backend: a warm pool of hardened containers from the cpforge image, each
running the runner (`sandbox.backends.remote.runner`) over its attached stdio."""

from sandbox.backends.docker.backend import DEFAULT_IMAGE, DockerBackend

__all__ = ["DEFAULT_IMAGE", "DockerBackend"]
