"""The runner's line protocol: one JSON object per line, each way.

Why JSON lines and not pickle: the runner's side is where untrusted code runs, and the host
must not deserialise anything that could execute. Why lines of text: E2B hands a process's
stdout over as text events, and one encoding should serve every transport.

Host to runner: `{"id": N, "op": OP, ...}` with OP one of
- `execute` (`request`), `many` (`requests`, run independently), `pair` (`requests`:
  solution then interactor, wired to each other inside), `compile_aid` (`language`),
  `aid_broke` (`language`), `ping`.
Runner to host: first `{"ready": INFO}` (or `{"fatal": MESSAGE}` and exit), then per call
`{"id": N, "outcome": ...}`, `{"id": N, "outcomes": [...]}`, `{"id": N, "aid": ...}`,
`{"id": N, "pong": INFO}`, `{"id": N, "missing": [SHA, ...]}` (send those files' bytes
again) or `{"id": N, "error": MESSAGE}`.

Program files travel once per runner: a file is sent as `{"sha": ..., "data": ...}` the
first time and as `{"sha": ...}` after, and the runner keeps recent ones by digest."""

from __future__ import annotations

import base64
import hashlib
import json
from collections import OrderedDict
from dataclasses import fields
from typing import Any

from sandbox.compile.aid import CompileAid
from sandbox.execution import ExecOutcome, ExecRequest, PipeEnd

FILE_STORE_BYTES = 512 << 20


class WireError(ValueError):
    """A message that does not follow the protocol (a broken or tampered runner)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise WireError(f"expected base64 text, got {type(text).__name__}")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise WireError(f"bad base64: {exc}") from None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_recent_digests: OrderedDict[int, tuple[bytes, str]] = OrderedDict()


def file_digest(data: bytes) -> str:
    """`digest`, remembered for the last few hundred objects: a compiled program is the
    same bytes object for every test of a submission, and hashing megabytes per run would
    cost more than the run. The entry holds the object, so its id cannot be reused."""
    key = id(data)
    known = _recent_digests.get(key)
    if known is not None and known[0] is data:
        return known[1]
    sha = digest(data)
    _recent_digests[key] = (data, sha)
    while len(_recent_digests) > 256:
        _recent_digests.popitem(last=False)
    return sha


def dumps(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def loads(line: bytes) -> dict[str, Any]:
    try:
        message = json.loads(line)
    except ValueError as exc:
        raise WireError(f"not JSON: {exc}: {line[:200]!r}") from None
    if not isinstance(message, dict):
        raise WireError(f"not a JSON object: {line[:200]!r}")
    return message


# ---------------------------------------------------------------------- requests
_REQUEST_PLAIN = ("argv", "env", "cpu_limit", "wall_limit", "address_space", "stack", "processes", "file_size",
                  "open_files", "stdout_capture", "stderr_capture", "merge_stdout_into_stderr", "collect_capture",
                  "memory_limit", "companion")


def encode_request(request: ExecRequest, known: set[str] | None = None) -> dict[str, Any]:
    """The request as a message; files whose digest is in `known` go without their bytes."""
    if isinstance(request.stdin, PipeEnd) or isinstance(request.stdout, PipeEnd):
        raise ValueError("a request with pipes cannot leave this machine: use execute_pair")
    message: dict[str, Any] = {name: getattr(request, name) for name in _REQUEST_PLAIN}
    files: dict[str, dict[str, str]] = {}
    for name, data in request.files.items():
        sha = file_digest(data)
        files[name] = {"sha": sha} if known is not None and sha in known else {"sha": sha, "data": _b64(data)}
    message["files"] = files
    message["executable_files"] = sorted(request.executable_files)
    message["stdin"] = None if request.stdin is None else _b64(request.stdin)
    message["collect"] = list(request.collect)
    message["zygote"] = list(request.zygote)
    return message


class FileStore:
    """The runner's recent program files by digest, least recently used out first, so a
    compiled program is sent once and then named by its digest for every test."""

    def __init__(self, capacity: int = FILE_STORE_BYTES) -> None:
        self.capacity = capacity
        self._files: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    def put(self, data: bytes) -> str:
        sha = digest(data)
        if sha not in self._files:
            self._files[sha] = data
            self._size += len(data)
            while self._size > self.capacity and len(self._files) > 1:
                _, dropped = self._files.popitem(last=False)
                self._size -= len(dropped)
        self._files.move_to_end(sha)
        return sha

    def get(self, sha: str) -> bytes | None:
        data = self._files.get(sha)
        if data is not None:
            self._files.move_to_end(sha)
        return data


class MissingFiles(Exception):
    def __init__(self, digests: list[str]) -> None:
        super().__init__(f"{len(digests)} file(s) not in the runner's store")
        self.digests = digests


def decode_request(message: Any, store: FileStore) -> ExecRequest:
    """The request a message describes; raises MissingFiles for files named only by a digest
    the store no longer has, WireError for anything malformed."""
    if not isinstance(message, dict):
        raise WireError("a request must be an object")
    try:
        plain = {name: message[name] for name in _REQUEST_PLAIN}
        files: dict[str, bytes] = {}
        missing: list[str] = []
        for name, entry in message["files"].items():
            if "data" in entry:
                data = _unb64(entry["data"])
                if digest(data) != entry["sha"]:
                    raise WireError(f"file {name!r} does not match its digest")
                store.put(data)
            else:
                found = store.get(entry["sha"])
                if found is None:
                    missing.append(entry["sha"])
                    continue
                data = found
            files[name] = data
        if missing:
            raise MissingFiles(missing)
        stdin = message["stdin"]
        request = ExecRequest(**plain, files=files, executable_files=frozenset(message["executable_files"]),
                              stdin=None if stdin is None else _unb64(stdin), collect=tuple(message["collect"]),
                              zygote=tuple(message["zygote"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise WireError(f"malformed request: {exc!r}") from None
    return request


# ---------------------------------------------------------------------- outcomes
_OUTCOME_BYTES = ("stdout", "stderr")


def encode_outcome(outcome: ExecOutcome) -> dict[str, Any]:
    message: dict[str, Any] = {}
    for spec in fields(ExecOutcome):
        value = getattr(outcome, spec.name)
        if spec.name in _OUTCOME_BYTES:
            value = _b64(value)
        elif spec.name == "files":
            value = {name: _b64(data) for name, data in value.items()}
        message[spec.name] = value
    return message


def decode_outcome(message: Any) -> ExecOutcome:
    """An outcome from the runner. Every field is type-checked: a runner that lies about its
    shape is broken, and a broken runner's word must not become a verdict."""
    if not isinstance(message, dict):
        raise WireError("an outcome must be an object")
    values: dict[str, Any] = {}
    defaults = ExecOutcome()
    for spec in fields(ExecOutcome):
        if spec.name not in message:
            continue
        value = message[spec.name]
        if spec.name in _OUTCOME_BYTES:
            value = _unb64(value)
        elif spec.name == "files":
            if not isinstance(value, dict):
                raise WireError("outcome files must be an object")
            value = {str(name): _unb64(data) for name, data in value.items()}
        else:
            expected = getattr(defaults, spec.name)
            if not _same_kind(value, expected, spec.type):
                raise WireError(f"outcome field {spec.name} has the wrong type: {value!r}")
        values[spec.name] = value
    return ExecOutcome(**values)


def _same_kind(value: Any, default: Any, annotation: Any) -> bool:
    text = str(annotation)
    if value is None:
        return "None" in text
    if isinstance(value, bool):
        return "bool" in text
    if isinstance(value, (int, float)):
        return "int" in text or "float" in text
    if isinstance(value, str):
        return "str" in text and not text.startswith("dict")
    if isinstance(value, dict):
        return text.startswith("dict") and all(isinstance(key, str) for key in value)
    return False


# ---------------------------------------------------------------------- compile aids
def encode_aid(aid: CompileAid | None) -> dict[str, Any] | None:
    if aid is None:
        return None
    return {"flags": list(aid.flags), "failure_markers": list(aid.failure_markers),
            "retry_markers": list(aid.retry_markers), "description": aid.description,
            "precompiled_header": aid.precompiled_header}


def decode_aid(message: Any) -> CompileAid | None:
    if message is None:
        return None
    try:
        return CompileAid(flags=tuple(str(flag) for flag in message["flags"]),
                          failure_markers=tuple(str(marker) for marker in message["failure_markers"]),
                          retry_markers=tuple(str(marker) for marker in message.get("retry_markers", ())),
                          description=str(message["description"]),
                          precompiled_header=(None if message.get("precompiled_header") is None
                                              else str(message["precompiled_header"])))
    except (AttributeError, KeyError, TypeError) as exc:
        raise WireError(f"malformed compile aid: {exc!r}") from None


__all__ = ["FILE_STORE_BYTES", "FileStore", "MissingFiles", "WireError", "decode_aid", "decode_outcome",
           "decode_request", "digest", "dumps", "encode_aid", "encode_outcome", "encode_request", "file_digest",
           "loads"]
