"""``problems.hub_push`` against a stand-in for the Hugging Face Hub.

``hub_standin.HubStandIn`` is a stand-in for huggingface.co, not the Hub: a small HTTP server on
127.0.0.1 that follows the Hub's protocol for the endpoints ``huggingface_hub`` calls to create a
dataset repo and commit files (whoami, repos/create, validate-yaml, preupload, commit, the git-lfs
batch API and the upload URL it hands out), so the real client code runs end to end here.

Xet: ``huggingface_hub`` 2.x sends large files through the Xet storage protocol whenever the
``hf_xet`` package is importable; the server cannot steer that. The stand-in speaks only the
classic LFS protocol (it offers the ``basic`` transfer and sends no Xet headers), so every test
here runs the client with Xet switched off (``HF_HUB_DISABLE_XET``), which makes it take the
classic LFS path that the Hub still serves.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import time
import zlib
from pathlib import Path

import pytest

pytest.importorskip("huggingface_hub")
hf_constants = pytest.importorskip("huggingface_hub.constants")

from hub_standin import DEFAULT_TOKEN, DEFAULT_USER, HubStandIn  # noqa: E402

from problems import hub_push  # noqa: E402
from problems.hub_push import NO_TOKEN_MESSAGE, HubPushError, push_dataset_folder  # noqa: E402

# huggingface_hub's LFS upload passes a file object as `data=`; httpx2 prefers `content=`.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")

REPO = f"{DEFAULT_USER}/cf-problems"
README = """---
license: apache-2.0
pretty_name: cpforge problems
configs:
- config_name: default
  data_files:
  - split: train
    path: data/problems/train-*.parquet
---
# cpforge problems

Competitive-programming problems with verified tests.
"""


@pytest.fixture(autouse=True)
def hub_env(tmp_path, monkeypatch):
    """No token, endpoint or login from the machine leaks in; Xet is off (see the module doc)."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_OIDC_RESOURCE"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "hf-home"
    home.mkdir()
    monkeypatch.setenv("HF_HOME", str(home))
    # huggingface_hub reads these at import time, so point the imported constants at the temp home too.
    monkeypatch.setattr(hf_constants, "HF_TOKEN_PATH", str(home / "token"))
    monkeypatch.setattr(hf_constants, "HF_STORED_TOKENS_PATH", str(home / "stored_tokens"))
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_XET", True)
    monkeypatch.setattr(hub_push, "BATCH_RETRY_DELAYS", (0.05, 0.05))
    return home


@pytest.fixture
def hub():
    with HubStandIn() as server:
        yield server


def _png(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, RGB) PNG, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes((40 * x, 60 * y, 200)) for x in range(width)) for y in range(height)
    )  # filter byte 0, then RGB pixels, per row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _parquet(path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "problem_id": [f"cf/{1000 + i}/A" for i in range(50)],
            "title": [f"Problem {i}" for i in range(50)],
            "time_limit_ms": [1000 + i for i in range(50)],
        }
    )
    pq.write_table(table, path)


def make_dataset(root: Path, n_small: int = 40) -> dict[str, bytes]:
    """A folder shaped like a Hub dataset; returns its files (posix path -> bytes)."""
    (root / "data" / "problems").mkdir(parents=True)
    (root / "README.md").write_text(README)
    _parquet(root / "data" / "problems" / "train-00000-of-00001.parquet")
    (root / "images").mkdir()
    (root / "images" / "statement-0001.png").write_bytes(_png())
    tests_dir = root / "data" / "tests"
    tests_dir.mkdir()
    for i in range(n_small):
        (tests_dir / f"{i:04d}.in").write_text(f"{i} {i * i}\n")
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def remote_data_files(hub: HubStandIn, repo_id: str = REPO) -> dict[str, bytes]:
    """What the repo holds, less the .gitattributes the Hub (and the stand-in) add to every new repo."""
    files = hub.files(repo_id)
    files.pop(".gitattributes")
    return files


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_push_uploads_exactly_the_folder_in_several_commits_to_a_private_repo(tmp_path, hub):
    local = make_dataset(tmp_path / "ds")
    url = push_dataset_folder(
        tmp_path / "ds", REPO, private=True, token=DEFAULT_TOKEN, endpoint=hub.endpoint, progress=False,
        files_per_commit=16,
    )

    assert url == f"{hub.endpoint}/datasets/{REPO}"
    assert hub.unhandled() == []
    repo = hub.repo(REPO)
    assert repo.private is True
    assert remote_data_files(hub) == local  # same paths, same bytes
    # 43 files at 16 a commit: 3 commits after the Hub's initial one; the card comes last.
    summaries = [c.summary for c in repo.commits]
    assert summaries == ["initial commit"] + [f"Upload dataset with cpforge (part {i}/3)" for i in (1, 2, 3)]
    assert repo.commits[-1].changed[-1] == "README.md"
    # Binary files went through LFS (sha256 pointers); small text files were inlined as git blobs.
    parquet = "data/problems/train-00000-of-00001.parquet"
    assert repo.entries[parquet].lfs and repo.entries["images/statement-0001.png"].lfs
    assert repo.entries[parquet].oid == hashlib.sha256(local[parquet]).hexdigest()
    assert not repo.entries["README.md"].lfs and not repo.entries["data/tests/0000.in"].lfs
    routes = set(hub.routes())
    assert {"whoami", "create_repo", "validate_yaml", "preupload", "lfs_batch", "lfs_upload", "commit"} <= routes
    assert "xet_token" not in routes


def test_second_push_of_the_same_folder_uploads_and_commits_nothing(tmp_path, hub):
    make_dataset(tmp_path / "ds")
    push = dict(token=DEFAULT_TOKEN, endpoint=hub.endpoint, progress=False, files_per_commit=16)
    push_dataset_folder(tmp_path / "ds", REPO, **push)
    commits_before = len(hub.repo(REPO).commits)
    seen = len(hub.requests)

    started = time.monotonic()
    push_dataset_folder(tmp_path / "ds", REPO, **push)

    assert time.monotonic() - started < 10
    assert len(hub.repo(REPO).commits) == commits_before
    second = hub.routes()[seen:]
    assert "commit" not in second and "lfs_upload" not in second
    assert hub.unhandled() == []


def test_interrupted_push_resumes_without_resending_what_the_hub_has(tmp_path, hub):
    local = make_dataset(tmp_path / "ds")
    push = dict(token=DEFAULT_TOKEN, endpoint=hub.endpoint, progress=False, files_per_commit=16)
    # Parts 1 and 2 go through; part 3's LFS file (the PNG) is uploaded, then its commit is refused
    # (a 400 is not retried), so the push stops there, as after a crash or a network loss.
    hub.fail_next("commit", status=400, message="stand-in: injected failure", after=2)
    with pytest.raises(HubPushError, match="injected failure"):
        push_dataset_folder(tmp_path / "ds", REPO, **push)
    repo = hub.repo(REPO)
    assert [c.summary for c in repo.commits][1:] == [f"Upload dataset with cpforge (part {i}/3)" for i in (1, 2)]
    assert "images/statement-0001.png" not in repo.entries
    assert hub.routes().count("lfs_upload") == 2  # the parquet (part 1) and the PNG (part 3)

    seen = len(hub.requests)
    push_dataset_folder(tmp_path / "ds", REPO, **push)

    assert remote_data_files(hub) == local
    assert [c.summary for c in repo.commits][3:] == ["Upload dataset with cpforge (part 3/3)"]
    assert "data/problems/train-00000-of-00001.parquet" not in repo.commits[3].changed
    resumed = hub.routes()[seen:]
    assert resumed.count("commit") == 1  # parts 1 and 2 were no-ops
    assert resumed.count("lfs_upload") == 0  # the Hub already had both LFS objects


def test_transient_server_error_on_a_commit_is_retried(tmp_path, hub):
    local = make_dataset(tmp_path / "ds", n_small=3)
    hub.fail_next("commit", status=503, message="stand-in: busy", times=1)
    push_dataset_folder(tmp_path / "ds", REPO, token=DEFAULT_TOKEN, endpoint=hub.endpoint, progress=False)
    assert remote_data_files(hub) == local
    assert [c.summary for c in hub.repo(REPO).commits][1:] == ["Upload dataset with cpforge"]


def test_token_from_hf_token_and_endpoint_from_hf_endpoint(tmp_path, hub, monkeypatch):
    local = make_dataset(tmp_path / "ds", n_small=2)
    monkeypatch.setenv("HF_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
    url = push_dataset_folder(tmp_path / "ds", REPO, progress=False)
    assert url == f"{hub.endpoint}/datasets/{REPO}"
    assert remote_data_files(hub) == local
    assert hub.repo(REPO).private is False


def test_token_from_the_saved_login(tmp_path, hub, hub_env):
    local = make_dataset(tmp_path / "ds", n_small=2)
    (hub_env / "token").write_text(DEFAULT_TOKEN)
    push_dataset_folder(tmp_path / "ds", REPO, endpoint=hub.endpoint)  # progress bars on, as in the CLI
    assert remote_data_files(hub) == local


def test_no_token_is_a_clear_error_before_any_request(tmp_path, hub):
    make_dataset(tmp_path / "ds", n_small=1)
    with pytest.raises(HubPushError) as info:
        push_dataset_folder(tmp_path / "ds", REPO, endpoint=hub.endpoint, progress=False)
    assert str(info.value) == NO_TOKEN_MESSAGE == "no Hugging Face token: set HF_TOKEN or run `hf auth login`"
    assert hub.requests == []


def test_wrong_token_is_a_clear_error(tmp_path, hub):
    make_dataset(tmp_path / "ds", n_small=1)
    with pytest.raises(HubPushError) as info:
        push_dataset_folder(tmp_path / "ds", REPO, token="hf_not_a_real_token", endpoint=hub.endpoint, progress=False)
    message = str(info.value)
    assert message.startswith(f"the Hub at {hub.endpoint} rejected the given token (401 Unauthorized)")
    assert hub.repos == {}


def test_read_only_token_is_a_clear_error(tmp_path):
    make_dataset(tmp_path / "ds", n_small=1)
    with HubStandIn(tokens={"hf_read": (DEFAULT_USER, "read")}) as hub:
        with pytest.raises(HubPushError, match="read-only"):
            push_dataset_folder(tmp_path / "ds", REPO, token="hf_read", endpoint=hub.endpoint, progress=False)
        assert hub.repos == {}


def test_other_users_namespace_is_a_clear_error(tmp_path, hub):
    make_dataset(tmp_path / "ds", n_small=1)
    with pytest.raises(HubPushError, match="403 Forbidden"):
        push_dataset_folder(tmp_path / "ds", "someone-else/data", token=DEFAULT_TOKEN, endpoint=hub.endpoint,
                            progress=False)


def test_dead_endpoint_fails_fast_and_names_the_endpoint(tmp_path):
    make_dataset(tmp_path / "ds", n_small=1)
    endpoint = f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    with pytest.raises(HubPushError) as info:
        push_dataset_folder(tmp_path / "ds", REPO, token=DEFAULT_TOKEN, endpoint=endpoint, progress=False)
    assert time.monotonic() - started < 5
    assert f"cannot reach the Hugging Face Hub at {endpoint}" in str(info.value)


def test_unresolvable_host_fails_fast(tmp_path):
    make_dataset(tmp_path / "ds", n_small=1)
    started = time.monotonic()
    with pytest.raises(HubPushError, match="cannot reach the Hugging Face Hub at http://hub.invalid"):
        push_dataset_folder(tmp_path / "ds", REPO, token=DEFAULT_TOKEN, endpoint="http://hub.invalid",
                            progress=False)
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(
    "repo_id", ["cf-problems", "a/b/c", "/name", "owner/", "own er/name", "owner/-name", "owner/na--me", "o/x.git"]
)
def test_bad_repo_ids_are_refused_up_front(tmp_path, repo_id):
    make_dataset(tmp_path / "ds", n_small=1)
    with pytest.raises(HubPushError, match="invalid dataset repo id"):
        push_dataset_folder(tmp_path / "ds", repo_id, token=DEFAULT_TOKEN, endpoint="http://127.0.0.1:9")


def test_missing_or_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(HubPushError, match="does not exist"):
        push_dataset_folder(tmp_path / "nope", REPO, token=DEFAULT_TOKEN, endpoint="http://127.0.0.1:9")
    (tmp_path / "empty").mkdir()
    with pytest.raises(HubPushError, match="no files"):
        push_dataset_folder(tmp_path / "empty", REPO, token=DEFAULT_TOKEN, endpoint="http://127.0.0.1:9")


def test_invalid_card_yaml_is_reported(tmp_path, hub):
    make_dataset(tmp_path / "ds", n_small=1)
    (tmp_path / "ds" / "README.md").write_text("---\nlicense: [unclosed\n---\n# card\n")
    with pytest.raises(HubPushError, match="dataset card"):
        push_dataset_folder(tmp_path / "ds", REPO, token=DEFAULT_TOKEN, endpoint=hub.endpoint, progress=False)


def test_batches_keep_readme_last_and_skip_git_metadata(tmp_path):
    root = tmp_path / "ds"
    make_dataset(root, n_small=5)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / ".cache" / "huggingface").mkdir(parents=True)
    (root / ".cache" / "huggingface" / "x.metadata").write_text("x")
    files = hub_push.list_dataset_files(root)
    paths = [f.path_in_repo for f in files]
    assert paths[-1] == "README.md" and not any(p.startswith((".git/", ".cache/")) for p in paths)
    batches = hub_push.plan_batches(files, files_per_commit=3)
    assert [len(b) for b in batches] == [3, 3, 2] and batches[-1][-1].path_in_repo == "README.md"


def test_offline_mode_is_a_clear_error(tmp_path, hub, monkeypatch):
    make_dataset(tmp_path / "ds", n_small=1)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubPushError, match="HF_HUB_OFFLINE is set"):
        push_dataset_folder(tmp_path / "ds", REPO, token=DEFAULT_TOKEN, endpoint=hub.endpoint, progress=False)
    assert hub.requests == []
