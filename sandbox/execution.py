"""The backend-neutral description of one process to run and what came back.

Everything is plain data (argv, env, file bytes, numeric limits): a backend materialises the
files wherever its boxes live (a tmpfs in a bubblewrap namespace, a container, a VM) and
reports raw measurements. Turning those into a verdict happens once, above the backends."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class PipeEnd:
    """A file descriptor the caller wires to a program's stdin or stdout (interactors).

    With `owned`, the backend takes the descriptor over and closes it as soon as the box
    holds its own copy: a pipe's reader sees end-of-file only when every write end is
    closed, so a judge that kept its copy open would leave an interactor waiting forever
    after the solution exits."""

    fd: int
    owned: bool = False
    closed: bool = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)


def release_pipes(request: "ExecRequest") -> None:
    """Closes the descriptors a request owns (idempotent; called on every path out)."""
    for end in (request.stdin, request.stdout):
        if isinstance(end, PipeEnd) and end.owned:
            end.close()


@dataclass
class ExecRequest:
    argv: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    executable_files: frozenset[str] = frozenset()
    stdin: bytes | PipeEnd | None = None
    stdout: PipeEnd | None = None
    env: dict[str, str] = field(default_factory=dict)
    cpu_limit: float | None = None
    wall_limit: float = 10.0
    address_space: int | None = None
    stack: int | None = None  # None: unlimited (bounded by the address space)
    processes: int = 64
    file_size: int = 64 << 20
    open_files: int = 128
    stdout_capture: int = 64 << 20
    stderr_capture: int = 64 << 10
    merge_stdout_into_stderr: bool = False
    collect: tuple[str, ...] = ()
    collect_capture: int = 256 << 20
    # The program's memory limit: the tree's measured peak is held to it, and the cgroup
    # (where the host offers one) caps the box well above it as a backstop.
    memory_limit: int | None = None
    # Runs beside a request that already holds a slot (an interactor next to its solution);
    # backends must not make it wait for a slot, or two halves of a pair could deadlock.
    companion: bool = False
    # The interpreter command argv starts with, when a backend may fork the run from a
    # pre-started interpreter of it (Language.zygote_command); empty: a cold start.
    zygote: tuple[str, ...] = ()


@dataclass
class ExecOutcome:
    exit_code: int | None = None
    signal: int | None = None
    cpu_time: float = 0.0
    wall_time: float = 0.0
    memory_bytes: int = 0
    killed_by: str | None = None  # "cpu" | "wall" when the supervisor killed the program
    oom_killed: bool = False
    stdout: bytes = b""
    stdout_size: int | None = None
    stderr: bytes = b""
    stderr_size: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    file_sizes: dict[str, int] = field(default_factory=dict)
    exec_error: str | None = None
    exec_errno: int | None = None  # why exec failed: ENOMEM means it cannot start within its limits
    image_bytes: int | None = None  # set when the executable's image alone exceeds the memory limit
    max_tasks: int = 0  # most threads and processes seen at once (sampled)
    process_limit_hit: bool = False  # the pids cgroup refused a fork or a thread
    # Where the run's time went inside the box, phase by phase (seconds), and what the
    # watchdog's samples of the process tree cost: for benchmarks, not for verdicts.
    phases: dict[str, float] = field(default_factory=dict)
    tree_samples: int = 0
    tree_sample_seconds: float = 0.0
    sandbox_error: str | None = None
    prestarted: bool = False  # forked from a pre-started interpreter: no start-up in cpu_time
