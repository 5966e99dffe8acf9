"""What the container cpforge runs in (if any) enforces, read from the kernel's own view of
this process rather than from how the container was meant to be started: `verifier doctor`
inside the image then says which walls really stand around the boxes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# The capability bits that would let a process in the container undo the others.
_DANGEROUS_CAPS = {21: "CAP_SYS_ADMIN", 12: "CAP_NET_ADMIN", 19: "CAP_SYS_PTRACE", 16: "CAP_SYS_MODULE",
                   7: "CAP_SETUID", 6: "CAP_SETGID", 1: "CAP_DAC_OVERRIDE"}


@dataclass
class ContainerFacts:
    in_container: bool
    engine: str = ""
    facts: list[str] = field(default_factory=list)


def _status() -> dict[str, str]:
    fields: dict[str, str] = {}
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except OSError:
        pass
    return fields


def _engine() -> str:
    if os.path.exists("/.dockerenv"):
        return "docker"
    if os.path.exists("/run/.containerenv"):
        return "podman"
    try:
        with open("/proc/1/cgroup") as handle:
            text = handle.read()
    except OSError:
        return ""
    for name in ("docker", "containerd", "kubepods", "lxc"):
        if name in text:
            return name
    return ""


def _interfaces() -> list[str]:
    try:
        return sorted(os.listdir("/sys/class/net"))
    except OSError:
        return []


def probe_container() -> ContainerFacts:
    engine = _engine()
    if not engine:
        return ContainerFacts(in_container=False)
    found = ContainerFacts(in_container=True, engine=engine)
    status = _status()
    interfaces = _interfaces()
    found.facts.append("network: " + ("none (loopback only)" if interfaces in ([], ["lo"]) else
                                      f"interfaces {', '.join(interfaces)} (the boxes still get none)"))
    try:
        read_only = bool(os.statvfs("/").f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    found.facts.append("root filesystem: " + ("read-only" if read_only else "writable"))
    effective = int(status.get("CapEff", "0"), 16)
    bounding = int(status.get("CapBnd", "0"), 16)
    held = [name for bit, name in sorted(_DANGEROUS_CAPS.items()) if bounding >> bit & 1]
    found.facts.append("capabilities: " + ("none effective" if effective == 0 else f"effective mask {effective:#x}")
                       + ("; none that matter in the bounding set" if not held else
                          f"; bounding set still holds {', '.join(held)}"))
    found.facts.append("no-new-privileges: " + ("on" if status.get("NoNewPrivs") == "1" else "off"))
    seccomp = {"0": "off (seccomp=unconfined: bubblewrap may make namespaces)", "1": "strict",
               "2": "a filter is in force"}.get(status.get("Seccomp", ""), "unknown")
    found.facts.append(f"seccomp: {seccomp}")
    found.facts.append(f"user: uid {os.getuid()}" + (" (root!)" if os.getuid() == 0 else ""))
    masked = os.path.exists("/proc/kcore") and os.stat("/proc/kcore").st_size == 0 and _is_overmounted("/proc/kcore")
    found.facts.append("/proc: " + ("engine's masked paths in force" if masked else
                                    "unmasked (systempaths=unconfined: boxes can mount their own /proc)"))
    return found


def _is_overmounted(path: str) -> bool:
    try:
        with open("/proc/self/mountinfo") as handle:
            return any(line.split()[4] == path for line in handle if len(line.split()) > 4)
    except OSError:
        return False


__all__ = ["ContainerFacts", "probe_container"]
