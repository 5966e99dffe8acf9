"""A bounded on-disk cache of compile results, shared by every judge process on a machine.

Datasets and RL runs judge the same solution many times (reruns, several problems per
source, resumed jobs); a compile costs 0.2-1 s and a cache hit about a millisecond.

Safety with many processes and threads and no coordinator:
- an entry is written to a private temporary file and renamed into place, so a reader sees
  a whole entry or none;
- every entry carries a SHA-256 of its contents; a reader that finds it wrong (a disk
  error, a crash before the data reached the disk, tampering) treats it as a miss and
  removes it;
- the size bound is kept by evicting the least recently used entries (a hit touches its
  file's mtime) under an `flock`, which also guards a small running total so that a full
  scan happens only when the bound is crossed.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import threading
import time
import uuid
from pathlib import Path

from sandbox.cache_dir import cache_root
from sandbox.compile.file_lock import exclusive
from sandbox.result import CompileResult, Executable, Verdict

FORMAT = 1
MAGIC = b"CPFC"
HEADER = struct.Struct(">4sB32sQ")  # magic, format, sha256 of the rest, length of the JSON part
DEFAULT_MAX_MB = 1024
LOW_WATER = 0.9  # eviction goes down to this fraction of the bound, so it runs rarely
ABANDONED_TEMP_SECONDS = 600.0
ENV_MAX_MB = "CPFORGE_COMPILE_CACHE_MB"


def default_max_mb() -> int:
    value = os.environ.get(ENV_MAX_MB)
    if value is None or not value.strip():
        return DEFAULT_MAX_MB
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(f"{ENV_MAX_MB} must be a whole number of MiB, got {value!r}") from None


def cache_key(*, backend: str, language: str, toolchain: str, argv: list[str], source: bytes,
              extra_files: dict[str, bytes], limits: str) -> str:
    """Everything that can change a compile's outcome. The compile limits are in it
    because a program that compiled under generous limits may not under tight ones."""
    hasher = hashlib.sha256()
    for part in (f"cpforge-compile-{FORMAT}", backend, language, toolchain, "\0".join(argv), limits):
        hasher.update(part.encode() + b"\0\1")
    hasher.update(hashlib.sha256(source).digest())
    for name in sorted(extra_files):
        hasher.update(name.encode() + b"\0" + hashlib.sha256(extra_files[name]).digest())
    return hasher.hexdigest()


def _encode(key: str, result: CompileResult) -> bytes:
    exe = result.executable
    names = sorted(exe.files) if exe is not None else []
    meta = {
        "key": key,
        "result": result.model_dump(mode="json", exclude={"executable", "cached"}),
        "executable": None if exe is None else {
            "language": exe.language, "entry": exe.entry, "digest": exe.digest, "toolchain": exe.toolchain,
            "files": [[name, len(exe.files[name])] for name in names],
        },
    }
    meta_bytes = json.dumps(meta, separators=(",", ":")).encode()
    payload = b"".join(exe.files[name] for name in names) if exe is not None else b""
    body = meta_bytes + payload
    return HEADER.pack(MAGIC, FORMAT, hashlib.sha256(body).digest(), len(meta_bytes)) + body


def _decode(key: str, data: bytes) -> CompileResult | None:
    if len(data) < HEADER.size:
        return None
    magic, version, digest, meta_length = HEADER.unpack_from(data)
    body = memoryview(data)[HEADER.size:]
    if magic != MAGIC or version != FORMAT or hashlib.sha256(body).digest() != digest or meta_length > len(body):
        return None
    try:
        meta = json.loads(bytes(body[:meta_length]))
        if meta["key"] != key:
            return None
        executable = None
        if meta["executable"] is not None:
            spec = meta["executable"]
            files, offset = {}, meta_length
            for name, size in spec["files"]:
                files[name] = bytes(body[offset:offset + size])
                offset += size
            if offset != len(body):
                return None
            executable = Executable(language=spec["language"], entry=spec["entry"], digest=spec["digest"],
                                    toolchain=spec["toolchain"], files=files)
        return CompileResult(**meta["result"], executable=executable, cached=True)
    except (KeyError, TypeError, ValueError):
        return None


class CompileCache:
    """`max_mb=0` disables the cache (no disk access at all); None reads
    `CPFORGE_COMPILE_CACHE_MB` (default 1024). `directory` defaults to `<cache>/compile`."""

    def __init__(self, directory: Path | None = None, max_mb: int | None = None) -> None:
        self.max_bytes = (default_max_mb() if max_mb is None else max(0, max_mb)) << 20
        self.directory = (Path(directory) if directory is not None else cache_root() / "compile") / f"v{FORMAT}"
        self._thread_lock = threading.Lock()  # cheap first line of defence inside one process

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    # ------------------------------------------------------------------ read
    def get(self, key: str) -> CompileResult | None:
        """The cached result (with `cached=True`), or None: missing, damaged or disabled."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                inode = os.fstat(handle.fileno()).st_ino
        except OSError:
            return None
        result = _decode(key, data)
        if result is None:
            self._discard(path, inode)
            return None
        try:
            os.utime(path)  # least recently *used*: a hit makes it young again
        except OSError:
            pass
        return result

    def _discard(self, path: Path, inode: int) -> None:
        """Removes a damaged entry, unless a writer has meanwhile replaced it with a good one."""
        try:
            if os.stat(path).st_ino == inode:
                os.unlink(path)
        except OSError:
            pass

    # ------------------------------------------------------------------ write
    @staticmethod
    def storable(result: CompileResult, deterministic: bool) -> bool:
        """Successes, and compile errors the compiler itself reported. Infrastructure
        failures and resource-limit failures (which depend on the machine's load) are
        never stored."""
        if result.status is Verdict.OK:
            return result.executable is not None
        return result.status is Verdict.CE and deterministic

    def put(self, key: str, result: CompileResult) -> None:
        if not self.enabled or result.status is Verdict.SANDBOX_ERROR:
            return
        data = _encode(key, result)
        if len(data) > self.max_bytes * LOW_WATER:
            return  # could never stay: storing it would only evict everything else
        path = self._path(key)
        temp = path.parent / f".tmp-{key[:16]}-{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
            self._account(len(data))
        except OSError:
            try:
                os.unlink(temp)
            except OSError:
                pass

    # ------------------------------------------------------------------ size bound
    def _account(self, added: int) -> None:
        """Adds to the running total and evicts once it passes the bound. The total only
        ever over-counts (an entry rewritten, a damaged one removed), so a scan may come
        early but never late; each scan resets it to the truth."""
        usage_file = self.directory / "usage"
        with self._thread_lock, exclusive(self.directory / ".lock"):
            try:
                total = int(usage_file.read_text() or "0")
            except (OSError, ValueError):
                total = None  # unknown: count from scratch
            total = self._evict() if total is None or total + added > self.max_bytes else total + added
            usage_file.write_text(str(total))

    def _evict(self) -> int:
        """Deletes least recently used entries until the total is under the low-water
        mark; returns the total left. Called with the lock held."""
        entries: list[tuple[int, int, Path]] = []
        now = time.time()
        for shard in self.directory.iterdir():
            if not shard.is_dir():
                continue
            for entry in os.scandir(shard):
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if entry.name.startswith(".tmp-"):
                    if now - info.st_mtime > ABANDONED_TEMP_SECONDS:  # a writer that died mid-write
                        _unlink(Path(entry.path))
                    continue
                entries.append((info.st_mtime_ns, info.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return total
        target = int(self.max_bytes * LOW_WATER)
        for _, size, path in sorted(entries, key=lambda item: item[0]):
            if total <= target:
                break
            if _unlink(path):
                total -= size
        return total

    def usage(self) -> tuple[int, int]:
        """(entries, bytes) on disk now, for reports."""
        count = size = 0
        if not self.directory.is_dir():
            return 0, 0
        for shard in self.directory.iterdir():
            if shard.is_dir():
                for entry in os.scandir(shard):
                    if not entry.name.startswith(".tmp-"):
                        count += 1
                        size += entry.stat(follow_symlinks=False).st_size
        return count, size


def _unlink(path: Path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
