"""A crash-safe, compressed cache of raw HTTP responses keyed by URL.

The cache is what makes a scrape resumable and re-normalisable offline: every useful
response is stored before it is parsed, so a crash, a kill or Ctrl-C loses at most the
requests in flight, and changing the parser never needs the network again. Each entry is
one gzip file written to a temporary name, fsynced and atomically renamed into place, so
a reader sees either the whole entry or none of it — never a torn file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

__all__ = ["CachedResponse", "ResponseCache", "cache_key"]

#: Query parameters that differ between calls for the same resource (signing) or that
#: must never be written to disk (the API key and secret-derived signature).
VOLATILE_PARAMS = frozenset({"apiKey", "apiSig", "time"})


def cache_key(url: str) -> str:
    """Canonical form of a URL used as the cache key.

    Only path and sorted query count (signing parameters removed): the host is left out
    so a cache filled through a mirror or a test server serves codeforces.com URLs too.
    """
    parts = urlsplit(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in VOLATILE_PARAMS)
    return urlunsplit(("", "", parts.path or "/", urlencode(query), ""))


class CachedResponse(BaseModel):
    """One stored response: the body exactly as received plus what is needed to reuse it."""

    model_config = ConfigDict(frozen=True)

    url: str
    status: int
    content_type: str | None = None
    fetched_at: datetime
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class ResponseCache:
    """Directory of gzip entries, ``<dir>/<2 hex>/<sha256 of key>.gz``.

    File layout of an entry: one JSON header line (url, status, content type, fetch time)
    followed by the raw body bytes, the whole gzip-compressed.
    """

    def __init__(self, directory: str | os.PathLike[str], compresslevel: int = 6) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.compresslevel = compresslevel

    def path_for(self, url: str) -> Path:
        digest = hashlib.sha256(cache_key(url).encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.gz"

    def __contains__(self, url: str) -> bool:
        return self.path_for(url).is_file()

    def get(self, url: str) -> CachedResponse | None:
        """Return the stored response for ``url``, or ``None``; a damaged entry is dropped."""
        path = self.path_for(url)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = gzip.decompress(raw)
            header, _, body = data.partition(b"\n")
            meta = json.loads(header)
            return CachedResponse(
                url=meta["url"],
                status=meta["status"],
                content_type=meta.get("content_type"),
                fetched_at=datetime.fromisoformat(meta["fetched_at"]),
                body=body,
            )
        except (OSError, EOFError, zlib.error, ValueError, KeyError):
            # Cannot happen through put() (atomic rename), but a disk error or a manual
            # edit can; refetching is always safe, trusting a damaged entry is not.
            path.unlink(missing_ok=True)
            return None

    def put(
        self,
        url: str,
        body: bytes,
        *,
        status: int = 200,
        content_type: str | None = None,
        fetched_at: datetime | None = None,
    ) -> CachedResponse:
        """Store a response atomically (temp file + fsync + rename) and return it."""
        fetched_at = fetched_at or datetime.now(timezone.utc)
        key = cache_key(url)
        header = json.dumps(
            {"url": key, "status": status, "content_type": content_type, "fetched_at": fetched_at.isoformat()},
            ensure_ascii=True,
        ).encode("ascii")
        payload = gzip.compress(header + b"\n" + body, compresslevel=self.compresslevel, mtime=0)
        path = self.path_for(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return CachedResponse(url=key, status=status, content_type=content_type, fetched_at=fetched_at, body=body)

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("??/*.gz"))

    def clean_partials(self) -> int:
        """Remove temp files left by a process killed mid-write; returns how many."""
        removed = 0
        for tmp in self.directory.glob("??/.tmp-*.part"):
            tmp.unlink(missing_ok=True)
            removed += 1
        return removed
