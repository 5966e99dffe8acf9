"""The E2B backend: a pool of hosted E2B sandboxes (microVMs from the cpforge template),
each running the runner (`sandbox.backends.remote.runner`) as a background process that is
spoken to over its stdin and stdout events. The e2b SDK is imported only when a backend is
made, so this package imports without it."""

from sandbox.backends.e2b.backend import DEFAULT_RUNNER, DEFAULT_TEMPLATE, E2BBackend

__all__ = ["DEFAULT_RUNNER", "DEFAULT_TEMPLATE", "E2BBackend"]
