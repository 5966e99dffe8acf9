"""Publish a built dataset folder to the Hugging Face Hub (``build-dataset --push-to OWNER/NAME``).

The work is done by the real ``huggingface_hub`` client (the ``hub`` extra):

1. a short *preflight* ``GET /api/whoami-v2`` with a bounded connect timeout, so that a missing
   network, a dead ``HF_ENDPOINT`` or a rejected token fails at once with a readable
   :class:`HubPushError` instead of a traceback or a long retry loop;
2. ``HfApi.create_repo(repo_type="dataset", exist_ok=True, private=...)``;
3. the folder's files, split into batches (``files_per_commit`` files, and a cap on the bytes of
   small files, which the Hub inlines base64 in the commit body), each committed with
   ``HfApi.create_commit``. ``README.md`` (the dataset card, whose YAML points at the data files)
   goes in the last batch, so the card never names data that is not there yet.

Resuming. A push that stopped half way (network, Ctrl-C, a Hub error) is resumed by running the
same command again: for every batch ``create_commit`` asks the Hub (``preupload``) for the remote
id of each path and drops files whose content is already there, so batches committed earlier
become no-ops (no upload, no commit); large files uploaded but not yet committed are not sent
again either (the LFS batch API, or Xet deduplication, reports them present). Because a batch
commit is idempotent in that way, a batch that fails with a transient error (HTTP 429/5xx, a
dropped connection) is simply retried a few times before giving up.

Why not ``upload_folder``: in ``huggingface_hub`` 2.x it only splits into several commits and
resumes when ``hf_xet`` is active, and falls back to one single commit otherwise. Batching here
gives the same behaviour on both transfer paths (Xet, or classic LFS with ``HF_HUB_DISABLE_XET=1``).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
NO_TOKEN_MESSAGE = "no Hugging Face token: set HF_TOKEN or run `hf auth login`"

#: Files per commit. The Hub's own multi-commit uploader starts around 256.
FILES_PER_COMMIT = 200
#: Files at most this big may be stored as plain git blobs, sent base64 inside the commit body.
INLINE_FILE_MAX_BYTES = 10 * 1024 * 1024
#: Budget of such (possibly inlined) bytes in one commit, to keep commit payloads small.
INLINE_BYTES_PER_COMMIT = 64 * 1024 * 1024
#: Preflight timeouts (seconds): the rest of the upload uses huggingface_hub's own settings.
PREFLIGHT_CONNECT_TIMEOUT = 10.0
PREFLIGHT_READ_TIMEOUT = 30.0
#: Waits before retrying a batch that failed with a transient error (one retry per entry).
BATCH_RETRY_DELAYS: tuple[float, ...] = (5.0, 20.0)
_TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})

_NAME_PART = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_MAX_NAME_LEN = 96
# Paths that are never part of a dataset: git metadata and huggingface_hub's local upload cache.
_SKIPPED_DIRS = (".git", ".cache/huggingface")


class HubPushError(RuntimeError):
    """A push to the Hub could not be done; the message says why, in words meant for the user."""


@dataclass(frozen=True)
class _LocalFile:
    path_in_repo: str  # posix, relative to the folder
    path: Path
    size: int


def validate_repo_id(repo_id: str) -> str:
    """Check that ``repo_id`` is ``OWNER/NAME`` as the Hub accepts it; return it unchanged."""
    if not isinstance(repo_id, str) or repo_id.count("/") != 1:
        raise HubPushError(f"invalid dataset repo id {repo_id!r}: expected OWNER/NAME, e.g. my-user/cf-problems")
    for part in repo_id.split("/"):
        if not _NAME_PART.fullmatch(part) or "--" in part or ".." in part or len(part) > _MAX_NAME_LEN:
            raise HubPushError(
                f"invalid dataset repo id {repo_id!r}: OWNER and NAME may use letters, digits, '-', '_' and '.',"
                f" must start and end with a letter or digit, may not contain '--' or '..',"
                f" and are at most {_MAX_NAME_LEN} characters"
            )
    if repo_id.endswith(".git"):
        raise HubPushError(f"invalid dataset repo id {repo_id!r}: the name may not end in .git")
    return repo_id


def resolve_token(token: str | None = None) -> tuple[str, str]:
    """The token to use and where it came from: the argument, ``HF_TOKEN``, or the saved login."""
    if token and token.strip():
        return token.strip(), "the given token"
    env_token = os.environ.get("HF_TOKEN", "").strip()
    if env_token:
        return env_token, "the token in HF_TOKEN"
    get_token: Callable[[], str | None] | None
    try:
        from huggingface_hub import get_token
    except ImportError:  # pragma: no cover - the import error is reported by push_dataset_folder
        get_token = None
    try:
        saved = get_token() if get_token is not None else None
    except Exception as exc:  # e.g. a failed OIDC exchange when HF_OIDC_RESOURCE is set
        raise HubPushError(f"could not read the saved Hugging Face login: {exc}") from exc
    if saved:
        return saved, "the saved login token (`hf auth login`)"
    raise HubPushError(NO_TOKEN_MESSAGE)


def resolve_endpoint(endpoint: str | None = None) -> str:
    """The Hub base URL: the argument, else ``HF_ENDPOINT``, else https://huggingface.co."""
    value = (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", value):
        raise HubPushError(f"invalid Hub endpoint {value!r}: expected an http(s) URL such as {DEFAULT_ENDPOINT}")
    return value


def list_dataset_files(folder: Path) -> list[_LocalFile]:
    """Files to upload, sorted, with the top-level ``README.md`` last."""
    files: list[_LocalFile] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = Path(dirpath).relative_to(folder).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        kept = []
        for name in dirnames:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name == ".git" or rel in _SKIPPED_DIRS:
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            path = Path(dirpath) / name
            if not path.is_file():  # dangling symlink, socket, ...
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            files.append(_LocalFile(rel, path, path.stat().st_size))
    files.sort(key=lambda f: (f.path_in_repo == "README.md", f.path_in_repo))
    return files


def plan_batches(
    files: Iterable[_LocalFile],
    files_per_commit: int = FILES_PER_COMMIT,
    inline_bytes_per_commit: int = INLINE_BYTES_PER_COMMIT,
) -> list[list[_LocalFile]]:
    """Split ``files`` (in order) into commit batches by file count and by small-file bytes."""
    if files_per_commit < 1:
        raise ValueError("files_per_commit must be at least 1")
    batches: list[list[_LocalFile]] = []
    current: list[_LocalFile] = []
    inline = 0
    for item in files:
        small = item.size if item.size <= INLINE_FILE_MAX_BYTES else 0
        if current and (len(current) >= files_per_commit or inline + small > inline_bytes_per_commit):
            batches.append(current)
            current, inline = [], 0
        current.append(item)
        inline += small
    if current:
        batches.append(current)
    return batches


def push_dataset_folder(
    folder: Path,
    repo_id: str,
    *,
    private: bool = False,
    token: str | None = None,
    endpoint: str | None = None,
    commit_message: str | None = None,
    progress: bool = True,
    files_per_commit: int = FILES_PER_COMMIT,
) -> str:
    """Create the dataset repo ``repo_id`` if needed and upload ``folder`` to it; return its URL.

    Re-running after an interruption resumes: unchanged files are skipped (see the module doc).
    ``private`` applies when the repo is created; an existing repo keeps its visibility.
    Raises :class:`HubPushError` with a readable message for every expected failure.
    """
    validate_repo_id(repo_id)
    folder = Path(folder)
    if not folder.is_dir():
        raise HubPushError(f"dataset folder {folder} does not exist or is not a directory")
    files = list_dataset_files(folder)
    if not files:
        raise HubPushError(f"dataset folder {folder} has no files to upload")
    if not any(f.path_in_repo == "README.md" for f in files):
        logger.warning("%s has no README.md: the Hub will show the dataset without a card", folder)

    if importlib.util.find_spec("huggingface_hub") is None:
        raise HubPushError("pushing needs huggingface_hub: pip install 'cpforge[hub]'")

    hub_token, token_source = resolve_token(token)
    base = resolve_endpoint(endpoint)
    batches = plan_batches(files, files_per_commit=files_per_commit)
    message = commit_message or "Upload dataset with cpforge"

    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars

    # huggingface_hub's own bars (per LFS file) are unnamed, so only its global switch silences them.
    silenced = not progress and not are_progress_bars_disabled()
    if silenced:
        disable_progress_bars()
    try:
        return _push(folder, repo_id, files, batches, private, hub_token, token_source, base, message, progress)
    finally:
        if silenced:
            enable_progress_bars()


def _push(
    folder: Path,
    repo_id: str,
    files: list[_LocalFile],
    batches: list[list[_LocalFile]],
    private: bool,
    token: str,
    token_source: str,
    endpoint: str,
    message: str,
    progress: bool,
) -> str:
    from huggingface_hub import CommitOperationAdd, HfApi
    from tqdm.auto import tqdm

    _preflight(endpoint, token, token_source)
    api = HfApi(endpoint=endpoint, token=token, library_name="cpforge")

    with _explained(endpoint, repo_id, token_source, "creating the dataset repo"):
        repo_url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)

    bar = tqdm(total=len(files), unit="file", desc=f"Pushing {repo_id}", disable=not progress)
    unchanged = _NoOpCommitFilter()
    hf_api_logger = logging.getLogger("huggingface_hub.hf_api")
    hf_api_logger.addFilter(unchanged)
    try:
        for index, batch in enumerate(batches, start=1):
            summary = message if len(batches) == 1 else f"{message} (part {index}/{len(batches)})"
            stage = f"committing part {index}/{len(batches)} ({len(batch)} files)"
            delays = list(BATCH_RETRY_DELAYS)
            while True:
                try:
                    with _explained(endpoint, repo_id, token_source, stage):
                        # Fresh operations on every attempt: huggingface_hub keeps state on them.
                        operations = [CommitOperationAdd(f.path_in_repo, str(f.path)) for f in batch]
                        info = api.create_commit(
                            repo_id, operations, commit_message=summary, repo_type="dataset"
                        )
                    break
                except _TransientHubError as exc:
                    if not delays:
                        raise HubPushError(str(exc)) from exc.__cause__
                    wait = delays.pop(0)
                    logger.warning("%s; retrying in %.0f s", exc, wait)
                    time.sleep(wait)
            logger.info("%s: %s", stage, info.commit_url)
            bar.update(len(batch))
    finally:
        hf_api_logger.removeFilter(unchanged)
        bar.close()
    logger.info(
        "pushed %d files from %s to %s in %d batch(es), %d of them already up to date on the Hub",
        len(files), folder, repo_url, len(batches), unchanged.count,
    )
    return str(repo_url)


def _preflight(endpoint: str, token: str, token_source: str) -> dict:
    """``whoami`` with bounded timeouts: fails fast on no network, a dead endpoint or a bad token."""
    import httpx2
    from huggingface_hub import get_session
    from huggingface_hub.utils import build_hf_headers

    url = f"{endpoint}/api/whoami-v2"
    try:
        response = get_session().get(
            url,
            headers=build_hf_headers(token=token, library_name="cpforge"),
            timeout=httpx2.Timeout(PREFLIGHT_READ_TIMEOUT, connect=PREFLIGHT_CONNECT_TIMEOUT),
        )
    except httpx2.TransportError as exc:
        raise HubPushError(
            f"cannot reach the Hugging Face Hub at {endpoint} ({_reason(exc)}): check the network connection"
            " or HF_ENDPOINT"
        ) from exc
    except Exception as exc:  # e.g. OfflineModeIsEnabled from the client's request hook
        raise _explain(exc, endpoint, "", token_source, "checking the token") from exc
    if response.status_code == 401:
        raise HubPushError(
            f"the Hub at {endpoint} rejected {token_source} (401 Unauthorized): set a valid write"
            " token in HF_TOKEN or run `hf auth login` again"
        )
    if response.status_code >= 400:
        raise HubPushError(
            f"the Hub at {endpoint} answered {response.status_code} to {url}: {_server_message(response)}"
        )
    try:
        whoami = response.json()
    except ValueError as exc:
        raise HubPushError(f"{endpoint} did not answer like the Hugging Face Hub (no JSON from {url})") from exc
    role = (((whoami.get("auth") or {}).get("accessToken")) or {}).get("role")
    if role == "read":
        raise HubPushError(
            f"{token_source} is read-only (user {whoami.get('name')!r}): pushing needs a write token"
        )
    return whoami


class _NoOpCommitFilter(logging.Filter):
    """Counts, and keeps quiet, huggingface_hub's per-batch "nothing changed" warning (a resumed push
    prints one per batch already on the Hub; the summary line reports the count instead)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("No files have been modified since last commit"):
            self.count += 1
            return False
        return True


class _TransientHubError(Exception):
    """Internal: a failure worth retrying the batch for (the message is already user-facing)."""


@contextmanager
def _explained(endpoint: str, repo_id: str, token_source: str, stage: str) -> Iterator[None]:
    """Turn huggingface_hub / transport exceptions raised inside into HubPushError (or a retryable one)."""
    try:
        yield
    except (HubPushError, _TransientHubError):
        raise
    except Exception as exc:
        error = _explain(exc, endpoint, repo_id, token_source, stage)
        if _is_transient(exc):
            raise _TransientHubError(str(error)) from exc
        raise error from exc


def _is_transient(exc: BaseException) -> bool:
    import httpx2

    if isinstance(exc, httpx2.TransportError):
        return True
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None) in _TRANSIENT_STATUS


def _explain(exc: BaseException, endpoint: str, repo_id: str, token_source: str, stage: str) -> HubPushError:
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    resume = " Run the same command again to resume: files already on the Hub are skipped."
    where = f"{stage} on {endpoint}" + (f" for {repo_id}" if repo_id else "")
    if isinstance(exc, OfflineModeIsEnabled):
        return HubPushError(f"HF_HUB_OFFLINE is set, so nothing can be pushed to {endpoint}: unset it to push")
    if isinstance(exc, httpx2.TransportError):
        return HubPushError(f"lost the connection to the Hub while {where} ({_reason(exc)}).{resume}")
    if isinstance(exc, HfHubHTTPError):
        response = exc.response
        status = getattr(response, "status_code", None)
        detail = _server_message(response) if response is not None else str(exc)
        if status == 401:
            return HubPushError(
                f"the Hub rejected {token_source} while {where} (401 Unauthorized): {detail}"
            )
        if status == 403:
            return HubPushError(
                f"{token_source} may not write to dataset {repo_id} on {endpoint} (403 Forbidden):"
                f" {detail}. Use a write token of OWNER or of a member of that organization"
            )
        if status == 404:
            return HubPushError(f"not found while {where} (404): {detail}")
        suffix = resume if status in _TRANSIENT_STATUS else ""
        return HubPushError(f"the Hub answered {status} while {where}: {detail}.{suffix}")
    if isinstance(exc, ValueError) and "README.md" in str(exc):
        return HubPushError(f"the Hub rejected the dataset card while {where}: {exc}")
    return HubPushError(f"push failed while {where}: {type(exc).__name__}: {exc}")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _server_message(response) -> str:
    """The Hub's own error text: ``X-Error-Message`` header, else the JSON ``error``, else the body."""
    header = response.headers.get("X-Error-Message")
    if header:
        return header
    try:
        body = response.json()
    except Exception:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    text = (getattr(response, "text", "") or "").strip()
    return text[:300] if text else f"HTTP {response.status_code}"
