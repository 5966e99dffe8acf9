"""CPU time used by this process and everything it started, sandboxed programs included.

``getrusage(RUSAGE_CHILDREN)`` only counts children that were waited for, and a sandbox box
that is killed at shutdown takes its programs' CPU time with it. So the figure is taken
while the boxes are still alive: this process's own time, its reaped children's, and for
each live descendant its own time plus that of the children it reaped (a box's supervisor
reaps every program it ran). Each CPU second is then counted exactly once.

Caveat seen on the current sandbox: a box whose supervisor is not a descendant of this
process (reparented to init) is invisible here, so the figure is a lower bound; the
pipeline also reports the programs' CPU time as the sandbox measured it, per test.
"""

from __future__ import annotations

import resource

__all__ = ["tree_cpu_seconds"]


def tree_cpu_seconds() -> float:
    """CPU seconds (user + system) of this process tree so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    try:
        import psutil
    except ImportError:  # without psutil the figure misses live sandboxes; say so by returning what we know
        return total
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total
