"""A faster linker for GCC's languages: gold, where the toolchain has it.

Once the precompiled header has taken the parsing out of a contest compile, linking is a
sixth of what is left: an A+B C++ program links in about 40 ms with GNU ld (BFD) and in
about 20 ms with gold, measured on this project's machine. Both link the same objects
against the same libraries, so the program behaves the same; only the linker's own messages
differ. That is why any compile that fails at the link step with gold is redone with the
default linker (`retry_markers`): a submission's "undefined reference" then reads exactly as
GCC's default toolchain words it, and a gold of its own failing costs time, never a verdict.

Gold is part of Debian's binutils (so of every image that installs g++), but newer binutils
releases drop it, so it is probed once per compiler rather than assumed. `CPFORGE_FAST_LINK=off`
turns it off (the default linker for every compile)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

from sandbox.compile.aid import CompileAid
from sandbox.languages.base import Language
from sandbox.languages.native import NativeLanguage

GOLD_FLAG = "-fuse-ld=gold"
# collect2 reports every failed link (its own and the linker's) in one of these forms.
LINK_FAILURE_MARKERS = ("collect2: error:", "collect2: fatal error:")
PROBE_TIMEOUT = 20.0


def fast_link_wanted() -> bool:
    return os.environ.get("CPFORGE_FAST_LINK", "on").lower() not in ("off", "0", "no", "false")


@functools.cache
def gold_usable(compiler: str, path: str) -> bool:
    """Whether `compiler -fuse-ld=gold` reaches a working gold. The compiler asks the
    linker for its version, which links nothing and takes a few milliseconds."""
    found = shutil.which(compiler, path=path)
    if found is None:
        return False
    try:
        probe = subprocess.run([found, GOLD_FLAG, "-Wl,--version"], capture_output=True, timeout=PROBE_TIMEOUT,
                               env={"PATH": path, "LC_ALL": "C"}, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0 and b"GNU gold" in probe.stdout


def linker_aid(lang: Language, path: str) -> CompileAid | None:
    """The gold aid for a GCC language whose compiler (looked up on `path`, the boxes'
    PATH) can use it; None for every other language, or when turned off."""
    if not isinstance(lang, NativeLanguage) or not fast_link_wanted() or not gold_usable(lang.compiler, path):
        return None
    return CompileAid(flags=(GOLD_FLAG,), retry_markers=LINK_FAILURE_MARKERS, description="gold linker")
