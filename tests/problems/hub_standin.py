"""A stand-in for huggingface.co, for tests: a small real HTTP server on 127.0.0.1.

It is NOT the Hugging Face Hub. It follows the Hub's public HTTP protocol for the few endpoints
that ``huggingface_hub`` calls to create a dataset repo and commit files to it, so that the real
client code (``HfApi.create_repo``, ``HfApi.create_commit``, the LFS upload code) runs end to end
in tests, without a network. Endpoints (as called by huggingface_hub 2.x):

* ``GET  /api/whoami-v2``                                  who the bearer token belongs to
* ``POST /api/repos/create``                               ``{name, organization, visibility, type}``
* ``POST /api/validate-yaml``                              checks the YAML block of ``README.md``
* ``GET  /api/{type}s/{ns}/{name}[/revision/{rev}]``       repo info (used after a no-op commit)
* ``POST /api/{type}s/{ns}/{name}/preupload/{rev}``        per file: ``regular`` or ``lfs`` and the remote oid
* ``POST /api/{type}s/{ns}/{name}/commit/{rev}``           NDJSON: ``header``, ``file`` (base64 inline),
  ``lfsFile`` (sha256 pointer), ``deletedFile``, ``deletedFolder``
* ``POST /[{type}s/]{ns}/{name}.git/info/lfs/objects/batch``  git-lfs batch API, ``basic`` transfer only
* ``POST /[{type}s/]{ns}/{name}.git/info/lfs/objects/verify``
* ``PUT  /_standin/lfs-upload/{ticket}``                   the presigned upload URL the batch answer hands out
  (the real Hub hands out an object-store URL; the ticket plays the role of its signature)

Xet: recent ``huggingface_hub`` releases upload large files through the Xet storage protocol
(``hf_xet``) whenever that package is importable, whatever the server says. The stand-in does not
speak Xet: it never sends Xet headers, offers only the classic ``basic`` LFS transfer, and answers
the Xet token route with 501. Tests must run the client with Xet disabled
(``HF_HUB_DISABLE_XET=1``, or ``huggingface_hub.constants.HF_HUB_DISABLE_XET = True``).

Like the Hub, a new repo starts with one commit holding a default ``.gitattributes``; whether a file
is stored as LFS follows that file's ``filter=lfs`` patterns, a 10 MiB size limit, and whether the
file's first bytes look binary. Every request (bar the presigned upload) needs
``Authorization: Bearer <token>``: an unknown token gets 401. Private repos are invisible (404) to
other users. Files are stored under a temporary directory, one folder per repo, and can be read
back with :meth:`HubStandIn.files`. Faults can be injected with :meth:`HubStandIn.fail_next`.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_TOKEN = "hf_standin_write_token"
DEFAULT_USER = "standin-user"
REGULAR_MAX_BYTES = 10 * 1024 * 1024  # the Hub refuses plain git files above 10 MiB

# A short default .gitattributes in the spirit of the one the Hub puts in every new repo.
DEFAULT_GITATTRIBUTES = "".join(
    f"*.{ext} filter=lfs diff=lfs merge=lfs -text\n"
    for ext in (
        "7z arrow bin bz2 ckpt gz h5 jpeg jpg joblib lz4 mp3 mp4 msgpack npy npz onnx ot parquet pb pickle pkl"
        " png pt pth rar safetensors tar tflite tgz wav webp xz zip zst"
    ).split()
)

_REPO_TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
_URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
_SEG = r"[^/]+"
_OID = re.compile(r"[0-9a-f]{64}")


def git_blob_oid(data: bytes) -> str:
    """The id git gives a blob: sha1 of ``blob <len>\\0`` + content."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


@dataclass
class RequestRecord:
    method: str
    path: str
    route: str  # a name such as "commit", or "unhandled"
    status: int


@dataclass
class FileEntry:
    lfs: bool
    size: int
    oid: str  # sha256 for LFS files, the git blob id otherwise


@dataclass
class Commit:
    oid: str
    summary: str
    description: str
    changed: list[str]


@dataclass
class StandInRepo:
    repo_type: str
    repo_id: str
    private: bool
    root: Path
    created_at: str
    entries: dict[str, FileEntry] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)

    @property
    def tree(self) -> Path:
        return self.root / "tree"

    @property
    def lfs_store(self) -> Path:
        return self.root / "lfs"

    @property
    def head(self) -> str:
        return self.commits[-1].oid


class _HttpError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, body: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.body = status, message, code, body


class HubStandIn:
    """The server and its state. Use as a context manager, or call :meth:`start` / :meth:`stop`."""

    def __init__(
        self,
        *,
        tokens: dict[str, tuple[str, str]] | None = None,
        orgs: dict[str, list[str]] | None = None,
    ) -> None:
        # token -> (user name, role "write" | "read")
        self.tokens = tokens if tokens is not None else {DEFAULT_TOKEN: (DEFAULT_USER, "write")}
        self.orgs = orgs or {}  # user -> organizations the user may write to
        self.requests: list[RequestRecord] = []
        self.repos: dict[tuple[str, str], StandInRepo] = {}
        self._tickets: dict[str, tuple[tuple[str, str], str, int]] = {}
        self._faults: list[list] = []  # [route, status, message, requests to let through, failures left]
        self._lock = threading.RLock()
        self._tmp: Path | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "HubStandIn":
        self._tmp = Path(tempfile.mkdtemp(prefix="hub-standin-"))
        handler = type("_BoundHandler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="hub-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "HubStandIn":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "stand-in not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ------------------------------------------------------------------ inspection helpers for tests

    def repo(self, repo_id: str, repo_type: str = "dataset") -> StandInRepo:
        return self.repos[(repo_type, repo_id)]

    def files(self, repo_id: str, repo_type: str = "dataset") -> dict[str, bytes]:
        """Every file at the head of the repo, path -> bytes, read back from the stored tree."""
        repo = self.repo(repo_id, repo_type)
        with self._lock:
            return {path: (repo.tree / path).read_bytes() for path in sorted(repo.entries)}

    def routes(self) -> list[str]:
        with self._lock:
            return [r.route for r in self.requests]

    def unhandled(self) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.route == "unhandled"]

    def fail_next(
        self, route: str, status: int = 500, message: str = "stand-in: injected failure", *, times: int = 1,
        after: int = 0,
    ) -> None:
        """Let ``after`` requests to ``route`` (e.g. "commit") through, then fail the next ``times`` with ``status``."""
        with self._lock:
            self._faults.append([route, status, message, after, times])

    def _take_fault(self, route: str) -> tuple[int, str] | None:
        with self._lock:
            for fault in self._faults:
                if fault[0] != route:
                    continue
                if fault[3] > 0:
                    fault[3] -= 1
                    return None
                fault[4] -= 1
                if fault[4] <= 0:
                    self._faults.remove(fault)
                return fault[1], fault[2]
        return None

    # ------------------------------------------------------------------ auth and lookups

    def _user(self, handler: "_Handler") -> tuple[str, str]:
        auth = handler.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            raise _HttpError(401, "Invalid username or password.")
        found = self.tokens.get(auth[len("Bearer "):].strip())
        if found is None:
            raise _HttpError(401, "Invalid credentials in Authorization header")
        return found

    def _namespaces(self, user: str) -> set[str]:
        return {user, *self.orgs.get(user, [])}

    def _find_repo(self, repo_type: str, repo_id: str, user: str) -> StandInRepo:
        repo = self.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and repo_id.split("/")[0] not in self._namespaces(user)):
            raise _HttpError(404, "Repository not found", code="RepoNotFound")
        return repo

    def _writable_repo(self, repo_type: str, repo_id: str, user: str, role: str) -> StandInRepo:
        repo = self._find_repo(repo_type, repo_id, user)
        if role != "write" or repo_id.split("/")[0] not in self._namespaces(user):
            raise _HttpError(403, f"You don't have the rights to write to {repo_type} {repo_id}")
        return repo

    @staticmethod
    def _check_revision(rev: str) -> None:
        if unquote(rev) not in ("main", "refs/heads/main"):
            raise _HttpError(404, f"Invalid rev id: {unquote(rev)}", code="RevisionNotFound")

    # ------------------------------------------------------------------ routing

    def routes_table(self):
        repo = rf"(?P<kind>models|datasets|spaces)/(?P<ns>{_SEG})/(?P<name>{_SEG})"
        git = rf"(?:(?P<prefix>datasets|spaces)/)?(?P<ns>{_SEG})/(?P<name>{_SEG})\.git/info/lfs/objects"
        return [
            ("GET", r"/api/whoami-v2", "whoami", self._whoami),
            ("POST", r"/api/repos/create", "create_repo", self._create_repo),
            ("POST", r"/api/validate-yaml", "validate_yaml", self._validate_yaml),
            ("GET", rf"/api/{repo}(?:/revision/(?P<rev>.+))?", "repo_info", self._repo_info),
            ("POST", rf"/api/{repo}/preupload/(?P<rev>.+)", "preupload", self._preupload),
            ("POST", rf"/api/{repo}/commit/(?P<rev>.+)", "commit", self._commit),
            ("GET", rf"/api/{repo}/xet-(?:read|write)-token/(?P<rev>.+)", "xet_token", self._xet_token),
            ("POST", rf"/{git}/batch", "lfs_batch", self._lfs_batch),
            ("POST", rf"/{git}/verify", "lfs_verify", self._lfs_verify),
            ("PUT", r"/_standin/lfs-upload/(?P<ticket>[A-Za-z0-9_-]+)", "lfs_upload", self._lfs_upload),
        ]

    def dispatch(self, handler: "_Handler") -> None:
        path = urlsplit(handler.path).path
        route_name, status = "unhandled", 404
        try:
            for method, pattern, name, fn in self.routes_table():
                match = re.fullmatch(pattern, path)
                if match and method == handler.command:
                    route_name = name
                    fault = self._take_fault(name)
                    if fault is not None:
                        handler.read_body()
                        raise _HttpError(fault[0], fault[1])
                    status, payload, headers = fn(handler, **match.groupdict())
                    handler.send_json(status, payload, headers)
                    return
            handler.read_body()
            raise _HttpError(404, f"stand-in: no route for {handler.command} {path}")
        except _HttpError as err:
            status = err.status
            handler.send_error_json(err)
        except Exception as exc:  # a bug in the stand-in: answer 500 and keep serving
            status = 500
            handler.send_error_json(_HttpError(500, f"stand-in internal error: {type(exc).__name__}: {exc}"))
        finally:
            with self._lock:
                self.requests.append(RequestRecord(handler.command, path, route_name, status))

    # ------------------------------------------------------------------ endpoints

    def _whoami(self, handler: "_Handler"):
        user, role = self._user(handler)
        return 200, {
            "type": "user",
            "id": hashlib.sha1(user.encode()).hexdigest()[:24],
            "name": user,
            "fullname": user,
            "orgs": [{"type": "org", "name": org} for org in self.orgs.get(user, [])],
            "auth": {"type": "access_token", "accessToken": {"displayName": "stand-in", "role": role}},
        }, {}

    def _create_repo(self, handler: "_Handler"):
        user, role = self._user(handler)
        body = handler.read_json()
        name, org = body.get("name"), body.get("organization")
        repo_type = body.get("type") or "model"
        if not isinstance(name, str) or repo_type not in _URL_PREFIX:
            raise _HttpError(400, "Invalid repo name or type")
        namespace = org or user
        repo_id = f"{namespace}/{name}"
        if role != "write" or namespace not in self._namespaces(user):
            raise _HttpError(403, f"You don't have the rights to create a {repo_type} under the namespace {namespace}")
        url = f"{self.endpoint}/{_URL_PREFIX[repo_type]}{repo_id}"
        with self._lock:
            if (repo_type, repo_id) in self.repos:
                raise _HttpError(409, f"You already created this {repo_type} repo", body={"url": url})
            assert self._tmp is not None
            root = self._tmp / f"{repo_type}s" / namespace / name
            repo = StandInRepo(
                repo_type=repo_type,
                repo_id=repo_id,
                private=body.get("visibility") == "private" or body.get("private") is True,
                root=root,
                created_at=_now(),
            )
            repo.tree.mkdir(parents=True)
            repo.lfs_store.mkdir(parents=True)
            self.repos[(repo_type, repo_id)] = repo
            self._apply_commit(repo, "initial commit", "", [("file", ".gitattributes", DEFAULT_GITATTRIBUTES.encode())])
        return 200, {"url": url, "name": repo_id, "id": repo_id}, {}

    def _validate_yaml(self, handler: "_Handler"):
        self._user(handler)
        body = handler.read_json()
        content = body.get("content")
        if not isinstance(content, str):
            raise _HttpError(400, "content must be a string", body={"errors": [{"message": "missing content"}]})
        match = re.match(r"^---\s*\n(.*?)\n---\s*(\n|$)", content, re.S)
        if match is None:
            return 200, {"errors": [], "warnings": [{"message": "Empty or missing yaml metadata in repo card"}]}, {}
        try:
            import yaml

            data = yaml.safe_load(match.group(1))
        except ImportError:  # pragma: no cover - pyyaml ships with huggingface_hub
            data = {}
        except Exception as exc:
            errors = [{"message": f"Invalid YAML in metadata: {exc}"}]
            raise _HttpError(400, "Invalid metadata in README.md", body={"errors": errors}) from None
        if data is not None and not isinstance(data, dict):
            errors = [{"message": "YAML metadata must be a mapping"}]
            raise _HttpError(400, "Invalid metadata in README.md", body={"errors": errors})
        return 200, {"errors": [], "warnings": []}, {}

    def _repo_info(self, handler: "_Handler", kind: str, ns: str, name: str, rev: str | None = None):
        user, _ = self._user(handler)
        repo = self._find_repo(_REPO_TYPES[kind], f"{ns}/{name}", user)
        if rev is not None:
            self._check_revision(rev)
        with self._lock:
            siblings = [{"rfilename": p} for p in sorted(repo.entries)]
            return 200, {
                "_id": hashlib.sha1(repo.repo_id.encode()).hexdigest()[:24],
                "id": repo.repo_id,
                "author": ns,
                "sha": repo.head,
                "private": repo.private,
                "gated": False,
                "disabled": False,
                "downloads": 0,
                "likes": 0,
                "tags": [],
                "createdAt": repo.created_at,
                "lastModified": _now(),
                "siblings": siblings,
            }, {}

    def _preupload(self, handler: "_Handler", kind: str, ns: str, name: str, rev: str):
        user, role = self._user(handler)
        repo = self._writable_repo(_REPO_TYPES[kind], f"{ns}/{name}", user, role)
        self._check_revision(rev)
        body = handler.read_json()
        files = body.get("files")
        if not isinstance(files, list) or len(files) > 256:
            raise _HttpError(400, "files must be a list of at most 256 entries")
        with self._lock:
            patterns = self._lfs_patterns(repo)
            answer = []
            for item in files:
                path, size, sample = item.get("path"), item.get("size"), item.get("sample", "")
                if not isinstance(path, str) or not isinstance(size, int):
                    raise _HttpError(400, "each file needs a path and a size")
                head = base64.b64decode(sample) if sample else b""
                lfs = size > REGULAR_MAX_BYTES or b"\x00" in head or _matches(path, patterns)
                existing = repo.entries.get(path)
                answer.append(
                    {
                        "path": path,
                        "uploadMode": "lfs" if lfs else "regular",
                        "shouldIgnore": False,
                        "oid": existing.oid if existing is not None else None,
                    }
                )
        return 200, {"files": answer, "commitOid": repo.head}, {}

    def _lfs_patterns(self, repo: StandInRepo) -> list[str]:
        text = None
        if ".gitattributes" in repo.entries:
            text = (repo.tree / ".gitattributes").read_text()
        patterns = []
        for line in (text or "").splitlines():
            parts = line.split()
            if len(parts) >= 2 and "filter=lfs" in parts[1:]:
                patterns.append(parts[0])
        return patterns

    def _commit(self, handler: "_Handler", kind: str, ns: str, name: str, rev: str):
        user, role = self._user(handler)
        repo = self._writable_repo(_REPO_TYPES[kind], f"{ns}/{name}", user, role)
        self._check_revision(rev)
        if "ndjson" not in handler.headers.get("Content-Type", ""):
            raise _HttpError(400, "commit body must be application/x-ndjson")
        lines = [json.loads(line) for line in handler.read_body().decode().splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header":
            raise _HttpError(400, "the first NDJSON line must be the commit header")
        header = lines[0].get("value") or {}
        summary = header.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            raise _HttpError(400, "commit summary must be a non-empty string")
        operations: list[tuple[str, str, bytes | str]] = []
        with self._lock:
            parent = header.get("parentCommit")
            if parent is not None and not repo.head.startswith(parent):
                raise _HttpError(412, f"A commit has happened since. Please refresh and try again. ({repo.head})")
            for line in lines[1:]:
                key, value = line.get("key"), line.get("value") or {}
                path = value.get("path")
                if not isinstance(path, str) or not _valid_repo_path(path):
                    raise _HttpError(400, f"invalid path in commit: {path!r}")
                if key == "file":
                    if value.get("encoding") != "base64":
                        raise _HttpError(400, "inline files must be base64")
                    content = base64.b64decode(value.get("content", ""))
                    if len(content) > REGULAR_MAX_BYTES:
                        raise _HttpError(400, f"{path} is larger than 10 MiB: it must be uploaded with LFS")
                    operations.append(("file", path, content))
                elif key == "lfsFile":
                    oid, size = value.get("oid"), value.get("size")
                    stored = repo.lfs_store / str(oid)
                    if value.get("algo") != "sha256" or not _OID.fullmatch(str(oid)) or not stored.is_file():
                        raise _HttpError(422, f"LFS object {oid} for {path} was not uploaded to this repo")
                    if size is not None and stored.stat().st_size != size:
                        raise _HttpError(422, f"LFS object {oid} for {path} does not have size {size}")
                    operations.append(("lfs", path, str(oid)))
                elif key in ("deletedFile", "deletedFolder"):
                    operations.append((key, path, b""))
                else:
                    raise _HttpError(400, f"unknown commit operation {key!r}")
            commit = self._apply_commit(repo, summary, header.get("description") or "", operations)
        prefix = _URL_PREFIX[repo.repo_type]
        return 200, {
            "success": True,
            "commitOid": commit.oid,
            "commitUrl": f"{self.endpoint}/{prefix}{repo.repo_id}/commit/{commit.oid}",
            "hookOutput": "",
            "pullRequestUrl": None,
        }, {}

    def _apply_commit(self, repo: StandInRepo, summary: str, description: str, operations) -> Commit:
        changed = []
        for key, path, data in operations:
            target = repo.tree / path
            if key == "file":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                repo.entries[path] = FileEntry(lfs=False, size=len(data), oid=git_blob_oid(data))
            elif key == "lfs":
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(repo.lfs_store / data, target)
                repo.entries[path] = FileEntry(lfs=True, size=target.stat().st_size, oid=data)
            elif key == "deletedFile":
                repo.entries.pop(path, None)
                target.unlink(missing_ok=True)
            else:  # deletedFolder
                prefix = path.rstrip("/") + "/"
                for p in [p for p in repo.entries if p.startswith(prefix)]:
                    repo.entries.pop(p)
                    (repo.tree / p).unlink(missing_ok=True)
            changed.append(path)
        parent = repo.commits[-1].oid if repo.commits else ""
        digest = hashlib.sha1(f"{parent}\n{summary}\n{time.time_ns()}\n{sorted(changed)}".encode()).hexdigest()
        commit = Commit(oid=digest, summary=summary, description=description, changed=changed)
        repo.commits.append(commit)
        return commit

    def _xet_token(self, handler: "_Handler", **_: str):
        self._user(handler)
        raise _HttpError(
            501,
            "this stand-in does not implement Xet storage: run huggingface_hub with HF_HUB_DISABLE_XET=1",
        )

    def _lfs_batch(self, handler: "_Handler", ns: str, name: str, prefix: str | None = None):
        user, role = self._user(handler)
        repo_type = {"datasets": "dataset", "spaces": "space"}.get(prefix or "", "model")
        repo = self._writable_repo(repo_type, f"{ns}/{name}", user, role)
        body = handler.read_json()
        if body.get("operation") != "upload":
            raise _HttpError(422, "the stand-in only accepts LFS upload batches")
        if "basic" not in (body.get("transfers") or ["basic"]):
            raise _HttpError(422, "the stand-in only offers the basic transfer")
        objects = []
        with self._lock:
            for obj in body.get("objects") or []:
                oid, size = obj.get("oid"), obj.get("size")
                if not isinstance(oid, str) or not _OID.fullmatch(oid) or not isinstance(size, int) or size < 0:
                    error = {"code": 422, "message": "oid must be 64 hex digits and size a non-negative integer"}
                    objects.append({"oid": str(oid), "size": size if isinstance(size, int) else 0, "error": error})
                    continue
                stored = repo.lfs_store / oid
                if stored.is_file() and stored.stat().st_size == size:
                    objects.append({"oid": oid, "size": size})  # already there: no actions, nothing to send
                    continue
                ticket = secrets.token_urlsafe(16)
                self._tickets[ticket] = ((repo.repo_type, repo.repo_id), oid, size)
                git_base = f"{self.endpoint}/{_URL_PREFIX[repo.repo_type]}{repo.repo_id}.git/info/lfs/objects"
                objects.append(
                    {
                        "oid": oid,
                        "size": size,
                        "authenticated": True,
                        "actions": {
                            "upload": {"href": f"{self.endpoint}/_standin/lfs-upload/{ticket}", "expires_in": 900},
                            "verify": {"href": f"{git_base}/verify"},
                        },
                    }
                )
        return 200, {"transfer": "basic", "objects": objects, "hash_algo": "sha256"}, {
            "Content-Type": "application/vnd.git-lfs+json"
        }

    def _lfs_upload(self, handler: "_Handler", ticket: str):
        with self._lock:
            grant = self._tickets.get(ticket)
        if grant is None:
            handler.read_body()
            raise _HttpError(403, "SignatureDoesNotMatch: unknown or used upload URL")
        repo_key, oid, size = grant
        data = handler.read_body()
        if len(data) != size or hashlib.sha256(data).hexdigest() != oid:
            raise _HttpError(400, f"uploaded content does not match oid {oid} and size {size}")
        with self._lock:
            repo = self.repos[repo_key]
            partial = repo.lfs_store / f".{oid}.{secrets.token_hex(4)}"
            partial.write_bytes(data)
            partial.replace(repo.lfs_store / oid)
            self._tickets.pop(ticket, None)
        return 200, None, {"ETag": f'"{hashlib.md5(data).hexdigest()}"'}

    def _lfs_verify(self, handler: "_Handler", ns: str, name: str, prefix: str | None = None):
        user, _ = self._user(handler)
        repo_type = {"datasets": "dataset", "spaces": "space"}.get(prefix or "", "model")
        repo = self._find_repo(repo_type, f"{ns}/{name}", user)
        body = handler.read_json()
        stored = repo.lfs_store / str(body.get("oid"))
        valid = _OID.fullmatch(str(body.get("oid"))) and stored.is_file()
        if not valid or stored.stat().st_size != body.get("size"):
            raise _HttpError(404, "Object not found")
        return 200, {"success": True}, {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    standin: HubStandIn  # set on the bound subclass
    server_version = "hub-standin/1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def _handle(self) -> None:
        self._body: bytes | None = None
        self.standin.dispatch(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def read_body(self) -> bytes:
        if getattr(self, "_body", None) is not None:
            return self._body
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
            body = b"".join(chunks)
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._body = body
        return body

    def read_json(self) -> dict:
        try:
            data = json.loads(self.read_body() or b"{}")
        except ValueError:
            raise _HttpError(400, "request body is not JSON") from None
        if not isinstance(data, dict):
            raise _HttpError(400, "request body must be a JSON object")
        return data

    def send_json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        self.read_body()  # drain whatever the client sent, so the connection can be reused
        raw = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/json")
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(raw)

    def send_error_json(self, err: _HttpError) -> None:
        payload = dict(err.body or {})
        payload.setdefault("error", err.message)
        headers = {"X-Error-Message": err.message.encode("ascii", "replace").decode()}
        if err.code:
            headers["X-Error-Code"] = err.code
        self.send_json(err.status, payload, headers)


def _matches(path: str, patterns: list[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    for pattern in patterns:
        target = path if "/" in pattern else name
        if fnmatch.fnmatchcase(target, pattern.lstrip("/")):
            return True
    return False


def _valid_repo_path(path: str) -> bool:
    parts = path.split("/")
    return parts[0] != ".git" and all(p not in ("", ".", "..") for p in parts)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
