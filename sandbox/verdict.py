"""Turns raw measurements into a status. One place, shared by every backend, so a TLE means
the same thing whether the program ran in bubblewrap, Docker or E2B."""

from __future__ import annotations

import errno
import signal as signals

from sandbox.execution import ExecOutcome
from sandbox.limits import Limits, MiB
from sandbox.result import LimitName, Verdict


def signal_name(number: int | None) -> str | None:
    if number is None:
        return None
    try:
        return signals.Signals(number).name
    except ValueError:
        return f"signal {number}"


def classify(outcome: ExecOutcome, limits: Limits, memory_markers: tuple[bytes, ...] = (),
             output_files: tuple[str, ...] = (),
             process_markers: tuple[bytes, ...] = ()) -> tuple[Verdict, LimitName | None, str]:
    """Order matters: the sandbox's own failure first, then the limits the program broke
    (output, memory, time), then a plain crash. A program that dies of bad_alloc or
    MemoryError at its address-space cap is MLE, not RE; one whose image cannot even be
    mapped within its limit, or that exec refuses for want of memory, is MLE too. A crash
    after the process limit refused a thread is RE, and says so (Java calls it OutOfMemory)."""
    if outcome.sandbox_error:
        return Verdict.SANDBOX_ERROR, None, outcome.sandbox_error
    memory_cap = limits.memory_bytes
    if outcome.image_bytes is not None:
        return Verdict.MLE, "memory", (f"the program's static memory ({_mib(outcome.image_bytes)}) does not fit "
                                      f"the memory limit of {_mib(memory_cap)}")
    if outcome.exec_error:
        if outcome.exec_errno in (errno.ENOMEM, errno.E2BIG):
            return Verdict.MLE, "memory", f"the program cannot start within {_mib(memory_cap)} ({outcome.exec_error})"
        return Verdict.SANDBOX_ERROR, None, f"could not start the program: {outcome.exec_error}"
    wrote = [outcome.stdout_size or 0, *(outcome.file_sizes.get(name, 0) for name in output_files)]
    if max(wrote) > limits.output_bytes or outcome.signal == signals.SIGXFSZ:
        return Verdict.OLE, "output", f"output exceeded {limits.output_bytes} bytes"
    if outcome.oom_killed or outcome.memory_bytes > memory_cap or outcome.killed_by == "memory":
        return Verdict.MLE, "memory", f"peak memory {_mib(outcome.memory_bytes)} > {_mib(memory_cap)}"
    if outcome.killed_by == "wall":
        return Verdict.TLE, "wall", f"wall time limit {limits.effective_wall_time:g} s exceeded"
    if outcome.killed_by == "cpu" or outcome.cpu_time > limits.cpu_time or outcome.signal == signals.SIGXCPU:
        return Verdict.TLE, "cpu", f"CPU time {outcome.cpu_time:.3f} s > {limits.cpu_time:g} s"
    crashed = outcome.signal is not None or outcome.exit_code not in (0, None)
    if crashed and (outcome.process_limit_hit or any(marker in outcome.stderr for marker in process_markers)):
        return Verdict.RE, "processes", (f"the program reached its limit of {limits.processes} processes and threads "
                                        f"and then {_ended(outcome)}")
    if crashed and any(marker in outcome.stderr for marker in memory_markers):
        return Verdict.MLE, "memory", "the program ran out of memory at its limit"
    if outcome.signal is not None:
        return Verdict.RE, None, f"killed by {signal_name(outcome.signal)}"
    if outcome.exit_code not in (0, None):
        return Verdict.RE, None, f"exit code {outcome.exit_code}"
    return Verdict.OK, None, ""


def _ended(outcome: ExecOutcome) -> str:
    if outcome.signal is not None:
        return f"was killed by {signal_name(outcome.signal)}"
    return f"exited with code {outcome.exit_code}"


def _mib(size: int) -> str:
    """Sizes as people read them: 0.5 KiB limits are real (DMOJ's grace tests)."""
    if size < MiB:
        return f"{size / 1024:.1f} KiB"
    return f"{size / MiB:.1f} MiB"
