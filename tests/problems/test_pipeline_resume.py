"""A run killed with SIGKILL in the middle loses nothing it had judged, and the rerun
judges only what was missing: every result is committed on its own (WAL), and the store's
log of judgements shows no candidate judged twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pipeline_helpers import write_jsonl, write_open_r1_set
from problems.pipeline import RunConfig, VerifyOptions, run_pipeline
from problems.pipeline.store import VerdictStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COUNT = 24


def _results(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def test_kill_9_mid_run_then_resume(tmp_path: Path) -> None:
    write_open_r1_set(tmp_path / "open-r1")
    # Distinct, slightly slow solutions of 991002/B (three tests each).
    rows = [{"problem_id": "991002/B", "language": "python",
             "code": f"import time\ntime.sleep(0.04)\nprint(3 * int(input()))  # copy {i}\n"} for i in range(COUNT)]
    write_jsonl(tmp_path / "candidates.jsonl", rows)
    state = tmp_path / "state.sqlite"
    args = [sys.executable, "-m", "problems.cli", "run", "--problems", str(tmp_path / "open-r1"),
            "--candidates", str(tmp_path / "candidates.jsonl"), "--out", str(tmp_path / "dataset"),
            "--state", str(state), "--jobs", "1", "--no-progress"]
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _results(state) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.04)
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        os.killpg(proc.pid, signal.SIGKILL)  # the run and every sandbox box it started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    kept = _results(state)
    assert 3 <= kept < COUNT
    assert not (tmp_path / "dataset").exists()  # nothing half-written under the final name

    summary = run_pipeline(RunConfig(source="files", problems=[str(tmp_path / "open-r1")],
                                     candidates=[str(tmp_path / "candidates.jsonl")], out=tmp_path / "dataset",
                                     state=state, verify=VerifyOptions(jobs=2, progress=False)))
    assert summary.reused == kept and summary.judged_now == COUNT - kept
    assert summary.stats.verdicts == {"AC": COUNT}
    with VerdictStore(state) as store:
        assert store.count_results() == COUNT
        assert store.count_judgements() == COUNT and store.judged_twice() == []
