"""Precompiled system headers (C++'s `bits/stdc++.h`), built once per toolchain and flag set.

Parsing `bits/stdc++.h` is most of an A+B compile (about 1 s of 1.25 s here); loading a
precompiled copy takes a fraction of that. The header is built on the host, not in a box:
it compiles system headers only, never submitted code, so there is nothing to contain, and
the boxes then see the result read-only.

GCC guards a precompiled header only partly. It ignores, silently, one built by another
compiler or with other flags, and falls back to the real header, which is safe. But it
does not notice that the headers it was built from have changed (a libstdc++ update), and
it stops with a fatal error on a truncated file. So each built header carries a manifest
(the compiler's identity, the flags, and every header it read with size and mtime) and is
used only while all of them still match; the backend redoes a compile without it if GCC
ever reports a broken one anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sandbox.cache_dir import cache_root
from sandbox.compile.file_lock import exclusive
from sandbox.languages import Language

FORMAT = 1
MANIFEST = "manifest.json"
RECHECK_SECONDS = 60.0  # a validated header is trusted this long before its inputs are stat'ed again
FAILURE_MEMORY_SECONDS = 3600.0  # a failed build is not retried, by any process, for this long
LEFTOVER_SECONDS = 3600.0  # half-built or replaced directories older than this are removed
BUILD_TIMEOUT = 600.0
DAMAGE_CHECK_SECONDS = 600.0


class BuildFailed(Exception):
    """The header could not be built or the compiler would not use it."""


@dataclass(frozen=True)
class BuiltHeader:
    key: str
    directory: Path  # an include directory holding `<header>.gch`
    size: int


SYSTEM_ROOT = Path("/var/cache/cpforge/pch")


def default_root() -> Path:
    return Path(os.environ.get("CPFORGE_PCH_DIR") or cache_root() / "pch")


def reachable_by(path: Path, uid: int) -> bool:
    """Whether `uid` (with its own gid, no other groups: how boxes start) can enter the
    directory. bwrap resolves a bind source as that uid, and root's home is closed to it.
    Directories still missing do not count: `prepare` creates them open."""
    for directory in (path, *path.parents):
        try:
            info = directory.stat()
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if info.st_uid == uid:
            bits = info.st_mode >> 6
        elif info.st_gid == uid:
            bits = info.st_mode >> 3
        else:
            bits = info.st_mode
        if not bits & 1:
            return False
    return True


def root_for_boxes(box_uid: int | None) -> Path | None:
    """Where headers live so that boxes can mount them: the cache (CPFORGE_PCH_DIR, else
    `<cache>/pch`) when the boxes' uid can reach it, else, for root, the system cache
    /var/cache/cpforge/pch; None when neither works."""
    preferred = default_root()
    if box_uid is None or reachable_by(preferred, box_uid):
        return preferred
    if os.geteuid() == 0 and reachable_by(SYSTEM_ROOT, box_uid):
        return SYSTEM_ROOT
    return None


def _stamp(path: str) -> list | None:
    """What a changed file would differ in: size and modification time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [path, info.st_size, info.st_mtime_ns]


def _parse_make_deps(text: str) -> list[str]:
    """The prerequisites of a `-MD` dependency file (make syntax: continuation lines,
    backslash-escaped spaces)."""
    joined = text.replace("\\\n", " ")
    _, _, prerequisites = joined.partition(": ")
    tokens = re.findall(r"(?:\\ |\S)+", prerequisites)
    return [token.replace("\\ ", " ").replace("$$", "$") for token in tokens]


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _header_kind(compiler: str) -> tuple[str, str]:
    """GCC's `-x` names for a header and for a source of the compiler's language."""
    return ("c++-header", "c++") if compiler.endswith("++") else ("c-header", "c")


class PrecompiledHeaders:
    """Builds and finds precompiled headers under one directory (default
    `<cache>/pch/<key>/`). Thread- and process-safe: a file lock per key makes concurrent
    judges build a header once, and a header appears only complete (atomic rename)."""

    def __init__(self, root: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.env = dict(env or {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        self._known: dict[tuple, tuple[float, BuiltHeader | None]] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._damage_checked: dict[tuple, float] = {}
        self.last_error: str | None = None

    def prepare(self) -> None:
        """Creates the root and any missing parent open to all (mode 0755, whatever the
        umask), so that the unprivileged uid boxes run as can reach the headers."""
        for directory in (*reversed(self.root.parents), self.root):
            if not directory.exists():
                directory.mkdir(exist_ok=True)
                os.chmod(directory, 0o755)
        if self.root.stat().st_mode & 0o755 != 0o755:  # a read-only image has them right already
            os.chmod(self.root, 0o755)

    # ------------------------------------------------------------------ queries
    def ensure(self, lang: Language) -> BuiltHeader | None:
        """The language's precompiled header, built now if missing or stale; None when
        the language has none or it cannot be built (compiles then take the plain path)."""
        return self._resolve(lang, build=True)

    def lookup(self, lang: Language) -> BuiltHeader | None:
        """The header if it is already built and current; never builds."""
        return self._resolve(lang, build=False)

    def failure(self, lang: Language) -> str | None:
        """Why the last build failed, when that is still remembered."""
        key = self._key(lang)
        return self._recent_failure(key) if key else None

    def check_damage(self, lang: Language) -> bool:
        """Called when GCC reported a broken precompiled header. Compares the file with the
        checksum taken when it was built (at most once per DAMAGE_CHECK_SECONDS, since a
        submission can print GCC's words itself); a damaged header is removed, so the
        next compile rebuilds it. Returns whether it was damaged."""
        flags, header = lang.header_flags(), lang.precompiled_header
        if not flags or not header:
            return False
        memo = (flags, header)
        with self._lock_for(memo):
            now = time.monotonic()
            if now - self._damage_checked.get(memo, -DAMAGE_CHECK_SECONDS) < DAMAGE_CHECK_SECONDS:
                return False
            self._damage_checked[memo] = now
            known = self._known.get(memo)
            built = known[1] if known else None
            if built is None:
                return False
            try:
                manifest = json.loads((built.directory / MANIFEST).read_text())
                intact = _file_sha256(built.directory / f"{header}.gch") == manifest.get("gch_sha256")
            except (OSError, ValueError):
                intact = False
            if intact:
                return False
            self._known.pop(memo, None)
            try:
                self._remove(built.directory)
            except OSError:
                pass
            return True

    def _remove(self, target: Path) -> None:
        if target.exists():
            stale = self.root / f".stale-{target.name}-{uuid.uuid4().hex[:8]}"
            os.rename(target, stale)
            shutil.rmtree(stale, ignore_errors=True)

    def _resolve(self, lang: Language, build: bool) -> BuiltHeader | None:
        flags, header = lang.header_flags(), lang.precompiled_header
        if not flags or not header:
            return None
        memo = (flags, header)
        with self._lock_for(memo):
            known = self._known.get(memo)
            if known is not None and time.monotonic() - known[0] < RECHECK_SECONDS:
                return known[1]
            key = self._key(lang)
            if key is None:
                return None
            found = self._validate(self.root / key, key)
            if found is None and build:
                found = self._build_once(key, flags, header)
            if found is not None or build:
                self._known[memo] = (time.monotonic(), found)
            return found

    def _lock_for(self, memo: tuple) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(memo, threading.Lock())

    # ------------------------------------------------------------------ identity
    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(argv, capture_output=True, timeout=BUILD_TIMEOUT, env=self.env, **kwargs)

    def _identity(self, compiler: str) -> dict | None:
        """The compiler as files on disk: a new build of GCC changes these even where its
        version line stays the same."""
        path = shutil.which(compiler, path=self.env.get("PATH"))
        if path is None:
            return None
        try:
            version = self._run([path, "--version"]).stdout.decode(errors="replace")
            proper = "cc1plus" if compiler.endswith("++") else "cc1"
            internal = self._run([path, f"-print-prog-name={proper}"]).stdout.decode().strip()
        except (OSError, subprocess.SubprocessError):
            return None
        files = [os.path.realpath(path)]
        if os.path.isabs(internal):
            files.append(os.path.realpath(internal))
        return {"version": version, "files": [_stamp(name) for name in files]}

    def _key(self, lang: Language) -> str | None:
        flags, header = lang.header_flags(), lang.precompiled_header
        if not flags or not header:
            return None
        identity = self._identity(flags[0])
        if identity is None:
            self.last_error = f"{flags[0]} is not installed"
            return None
        blob = json.dumps({"format": FORMAT, "identity": identity, "flags": list(flags), "header": header},
                          sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:24]

    # ------------------------------------------------------------------ validity
    def _validate(self, directory: Path, key: str | None) -> BuiltHeader | None:
        try:
            manifest = json.loads((directory / MANIFEST).read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return None
        if key is not None and manifest.get("key") != key:
            return None
        gch = directory / f"{manifest.get('header')}.gch"
        try:
            size = gch.stat().st_size
        except OSError:
            return None
        if size != manifest.get("gch_size"):
            return None
        for stamp in manifest.get("deps", []):
            if _stamp(stamp[0]) != stamp:
                return None
        return BuiltHeader(key=manifest["key"], directory=directory, size=size)

    def _failure_marker(self, key: str) -> Path:
        return self.root / f".{key}.failed"

    def _recent_failure(self, key: str) -> str | None:
        marker = self._failure_marker(key)
        try:
            if time.time() - marker.stat().st_mtime < FAILURE_MEMORY_SECONDS:
                return marker.read_text()
        except OSError:
            pass
        return None

    # ------------------------------------------------------------------ building
    def _build_once(self, key: str, flags: tuple[str, ...], header: str) -> BuiltHeader | None:
        if self._recent_failure(key):
            return None
        try:
            self.prepare()
            with exclusive(self.root / f".{key}.lock"):
                found = self._validate(self.root / key, key)
                if found is not None or self._recent_failure(key):
                    return found  # another process built it (or failed) while we waited
                try:
                    return self._build(key, flags, header)
                except (BuildFailed, subprocess.SubprocessError) as exc:
                    self.last_error = str(exc) or type(exc).__name__
                    self._failure_marker(key).write_text(str(exc))
                    return None
        except OSError as exc:  # an unwritable cache: compiles just take the plain path
            self.last_error = f"cannot write {self.root}: {exc}"
            return None

    def _build(self, key: str, flags: tuple[str, ...], header: str) -> BuiltHeader:
        header_kind, source_kind = _header_kind(flags[0])
        identity = self._identity(flags[0])
        work = Path(tempfile.mkdtemp(prefix=f".build-{key}-", dir=self.root))
        try:
            source = self._locate(flags, header, source_kind)
            gch = work / f"{header}.gch"
            gch.parent.mkdir(parents=True, exist_ok=True)
            deps_file = work / "deps.d"
            built = self._run([*flags, "-x", header_kind, source, "-o", str(gch), "-MD", "-MF", str(deps_file)])
            if built.returncode != 0:
                raise BuildFailed(f"building {header} failed: {built.stderr.decode(errors='replace')[-2000:]}")
            deps = [_stamp(path) for path in _parse_make_deps(deps_file.read_text())]
            deps_file.unlink()
            if not deps or any(stamp is None for stamp in deps):
                raise BuildFailed(f"the headers {header} was built from could not be listed")
            self._check_accepted(flags, work, gch, header, source_kind)
            manifest = {"format": FORMAT, "key": key, "header": header, "flags": list(flags), "source": source,
                        "identity": identity, "deps": deps, "gch_size": gch.stat().st_size,
                        "gch_sha256": _file_sha256(gch),
                        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            (work / MANIFEST).write_text(json.dumps(manifest))
            for directory, _, files in os.walk(work):
                os.chmod(directory, 0o755)  # boxes run as another uid and must read it
                for name in files:
                    os.chmod(os.path.join(directory, name), 0o644)
            self._install(work, self.root / key)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        self._prune(keep=key)
        found = self._validate(self.root / key, key)
        if found is None:
            raise BuildFailed("the built header did not validate")
        return found

    def _locate(self, flags: tuple[str, ...], header: str, source_kind: str) -> str:
        """The system header's real path, as the compiler's own search finds it."""
        probe = self._run([*flags, "-x", source_kind, "-E", "-H", "-o", os.devnull, "-"],
                          input=f"#include <{header}>\n".encode())
        for line in probe.stderr.decode(errors="replace").splitlines():
            if line.startswith(". "):
                return line[2:].strip()
        raise BuildFailed(f"{flags[0]} cannot find <{header}>: {probe.stderr.decode(errors='replace')[-500:]}")

    def _check_accepted(self, flags: tuple[str, ...], include_dir: Path, gch: Path, header: str,
                        source_kind: str) -> None:
        """GCC marks a precompiled header it loads with `!` in `-H` output and one it
        rejects with `x`; a header the real compile would reject is not worth keeping."""
        probe = self._run([*flags, f"-I{include_dir}", "-H", "-Winvalid-pch", "-x", source_kind, "-c",
                           "-o", os.devnull, "-"], input=f"#include <{header}>\nint main() {{}}\n".encode())
        if f"! {gch}" not in probe.stderr.decode(errors="replace"):
            raise BuildFailed(f"{flags[0]} does not use the header it precompiled: "
                              f"{probe.stderr.decode(errors='replace')[-1000:]}")

    def _install(self, work: Path, target: Path) -> None:
        """Atomic for readers: a compile sees the old header, no header, or the new one,
        never a partial one (a missing include directory is simply skipped by GCC)."""
        stale = None
        if target.exists():
            stale = self.root / f".stale-{target.name}-{uuid.uuid4().hex[:8]}"
            os.rename(target, stale)
        os.rename(work, target)
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        """Removes headers whose inputs changed (an upgraded toolchain) and leftovers of
        interrupted builds, so the cache does not grow by 100 MB per upgrade."""
        now = time.time()
        for entry in self.root.iterdir():
            if entry.name == keep or not entry.is_dir():
                continue
            try:
                age = now - entry.stat().st_mtime
            except OSError:
                continue
            if entry.name.startswith("."):
                if age > LEFTOVER_SECONDS:
                    shutil.rmtree(entry, ignore_errors=True)
            elif self._validate(entry, None) is None:
                shutil.rmtree(entry, ignore_errors=True)
