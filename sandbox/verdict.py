"""Turns raw measurements into a status. One place, shared by every backend, so a TLE means
the same thing whether the program ran in bubblewrap, Docker or E2B."""

from __future__ import annotations

import signal as signals

from .execution import ExecOutcome
from .limits import Limits, MiB
from .result import LimitName, Status


def signal_name(number: int | None) -> str | None:
    if number is None:
        return None
    try:
        return signals.Signals(number).name
    except ValueError:
        return f"signal {number}"


def classify(outcome: ExecOutcome, limits: Limits, memory_markers: tuple[bytes, ...] = (),
             output_files: tuple[str, ...] = ()) -> tuple[Status, LimitName | None, str]:
    """Order matters: the sandbox's own failure first, then the limits the program broke
    (output, memory, time), then a plain crash. A program that dies of bad_alloc or
    MemoryError at its address-space cap is MLE, not RE."""
    if outcome.sandbox_error:
        return Status.SANDBOX_ERROR, None, outcome.sandbox_error
    if outcome.exec_error:
        return Status.SANDBOX_ERROR, None, f"could not start the program: {outcome.exec_error}"
    wrote = [outcome.stdout_size or 0, *(outcome.file_sizes.get(name, 0) for name in output_files)]
    if max(wrote) > limits.output_bytes or outcome.signal == signals.SIGXFSZ:
        return Status.OLE, "output", f"output exceeded {limits.output_bytes} bytes"
    memory_cap = limits.memory_mb * MiB
    if outcome.oom_killed or outcome.memory_bytes > memory_cap:
        return Status.MLE, "memory", f"peak memory {outcome.memory_bytes / MiB:.1f} MiB > {limits.memory_mb} MiB"
    if outcome.killed_by == "wall":
        return Status.TLE, "wall", f"wall time limit {limits.effective_wall_time:g} s exceeded"
    if outcome.killed_by == "cpu" or outcome.cpu_time > limits.cpu_time or outcome.signal == signals.SIGXCPU:
        return Status.TLE, "cpu", f"CPU time {outcome.cpu_time:.3f} s > {limits.cpu_time:g} s"
    crashed = outcome.signal is not None or outcome.exit_code not in (0, None)
    if crashed and any(marker in outcome.stderr for marker in memory_markers):
        return Status.MLE, "memory", "the program ran out of memory at its limit"
    if outcome.signal is not None:
        return Status.RE, None, f"killed by {signal_name(outcome.signal)}"
    if outcome.exit_code not in (0, None):
        return Status.RE, None, f"exit code {outcome.exit_code}"
    return Status.OK, None, ""
