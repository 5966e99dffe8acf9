"""The local backend: warm bubblewrap boxes on this machine (the embedded default).

- `backend`: `LocalBackend`, the pool of boxes behind the `Backend` interface.
- `box`: one warm box, started with bubblewrap, talking to its supervisor over a socket.
- `supervisor`: the in-box PID 1 (standalone source, handed to the box's own python3).
- `launcher` and `native/launcher.c`: the tiny static program that starts each run as a
  fresh process with its rlimits, keyrings and OOM preference.
- `cgroups`: the pids and memory controllers, used only where a probe shows they work.
"""

from sandbox.backends.local.backend import DEFAULT_SANDBOX_UID, LocalBackend, default_sandbox_uid

__all__ = ["DEFAULT_SANDBOX_UID", "LocalBackend", "default_sandbox_uid"]
