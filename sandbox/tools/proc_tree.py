"""CPU used by a process tree, read from /proc, for the benches: how much the server, the
boxes' bubblewrap, supervisors and zygotes cost besides the programs they run."""

from __future__ import annotations

import os

_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int, *, include_root: bool = True, exclude: frozenset[int] = frozenset()) -> float:
    """CPU seconds used so far by every live process under `root` (and `root` itself unless
    `include_root` is false), each with its reaped children's (utime + stime + cutime +
    cstime from /proc/<pid>/stat), skipping the subtrees of `exclude`. A child reaped inside
    the tree moves from its own line to its parent's cutime, so a difference of two readings
    is what the tree used meanwhile, except what `root` itself reaped (RUSAGE_CHILDREN)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                raw = stat.read()
        except OSError:  # exited meanwhile
            continue
        fields = raw[raw.rindex(b")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(value) for value in fields[11:15]) / _TICK
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    total = cpu.get(root, 0.0) if include_root else 0.0
    pending = [pid for pid in children.get(root, []) if pid not in exclude]
    while pending:
        pid = pending.pop()
        total += cpu[pid]
        pending += [child for child in children.get(pid, []) if child not in exclude]
    return total
