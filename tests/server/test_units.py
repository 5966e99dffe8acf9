"""The server's pure parts, without HTTP or a sandbox: labels, the problem store, admission,
rates, and the OpenRLHF response split."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest

from sandbox.server.labels import LabelError, problem_fields
from sandbox.server.metrics import RateWindow
from sandbox.server.models import BatchRequest, Submission
from sandbox.server.openrlhf import response_text
from sandbox.server.problems_store import ProblemStore, ProblemStoreError
from sandbox.server.scheduler import Draining, QueueFull, Scheduler
from sandbox.server.settings import ServerSettings

from .conftest import PROBLEMS


def test_labels():
    assert problem_fields("1715/A") == {"problem_id": "1715/A"}
    info = {"language": "cpp", "test_cases": [{"input": "1", "output": "2"}]}
    assert problem_fields(json.dumps(info)) == {"verification_info": info, "language": "cpp"}
    assert problem_fields({"problem_id": "1/A", "language": "python"}) == {"problem_id": "1/A", "language": "python"}
    verl = problem_fields(json.dumps({"inputs": ["1 2\n", [3]], "outputs": ["3\n", "x"]}))
    assert verl["verification_info"]["test_cases"] == [{"input": "1 2\n", "output": "3\n"},
                                                       {"input": "[3]", "output": "x"}]
    nested = problem_fields({"verification_info": json.dumps(info)})
    assert nested["verification_info"] == info
    for bad in ("", "{not json", {"inputs": ["1"], "outputs": []}, {"inputs": [], "outputs": [], "fn_name": "f"},
                {"nothing": 1}, 42):
        with pytest.raises(LabelError):
            problem_fields(bad)


def test_problem_store(dataset_dir):
    store = ProblemStore(str(dataset_dir), cache_size=1)
    assert len(store) == 3 and "2/B" in store and "9/Z" not in store
    double = store.get("2/B")
    assert double.language == "python" and [t.read_answer() for t in double.problem.tests] == [b"2\n", b"10\n", b"42\n"]
    assert store.get("1/A").problem.time_limit == PROBLEMS["1/A"]["time_limit"]
    assert store.get("2/B").problem.name == "2/B"  # evicted from the one-entry cache and read again
    assert store.get("9/Z") is None
    with pytest.raises(ProblemStoreError):
        ProblemStore(str(dataset_dir / "missing"))


def test_problem_store_rejects_a_table_without_the_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["1/A"]}), tmp_path / "p.parquet")
    with pytest.raises(ProblemStoreError, match="verification_info"):
        ProblemStore(str(tmp_path / "p.parquet"))


def test_scheduler_admission_and_release():
    scheduler = Scheduler(threads=2, capacity=3)
    gate = threading.Event()
    scheduler.admit(3)
    futures = [scheduler.submit(lambda queued, x: gate.wait(5) and x, i) for i in range(3)]
    with pytest.raises(QueueFull) as full:
        scheduler.admit(1)
    assert full.value.retry_after >= 1
    time.sleep(0.1)
    assert scheduler.in_flight == 2 and scheduler.queue_depth == 1
    assert futures[2].cancel()  # never started: its slot comes back at once
    assert scheduler.pending == 2
    gate.set()
    assert [f.result() for f in futures[:2]] == [0, 1]
    assert scheduler.pending == 0 and scheduler.in_flight == 0
    scheduler.close()
    with pytest.raises(Draining):
        scheduler.admit(1)


def test_run_all_deadline_cancels_queued_and_keeps_running_slots():
    scheduler = Scheduler(threads=1, capacity=4)
    scheduler.admit(2)
    release = threading.Event()
    results = asyncio.run(scheduler.run_all(lambda queued, x: release.wait(5) and x, [1, 2], 0.2,
                                            on_timeout=lambda item: f"late {item}"))
    assert results == ["late 1", "late 2"]
    assert scheduler.pending == 1  # the running one still holds its slot; the queued one was cancelled
    release.set()
    scheduler.close()
    assert scheduler.pending == 0


def test_rate_window():
    window = RateWindow(window=10)
    window.add(30)
    window.add(20)
    assert window.rate() == pytest.approx(5.0)


def test_models_and_settings():
    with pytest.raises(ValueError):
        Submission(problem_id="1/A")  # no program
    with pytest.raises(ValueError):
        Submission(code="x")  # no problem
    with pytest.raises(ValueError):
        BatchRequest(submissions=[])
    with pytest.raises(ValueError):
        ServerSettings(queue_size=4, max_batch=5)
    assert ServerSettings(workers=3).effective_threads == 8


def test_response_text():
    assert response_text("PROMPT answer", "PROMPT ") == "answer"
    assert response_text("<s>PROMPT answer", "PROMPT ") == "answer"  # a BOS the prompt text lacks


def test_rows_from_hugging_face_datasets_with_null_fields():
    """A struct column fills missing keys with None; they must mean "use the default"."""
    from sandbox.server.service import _without_nones
    from sandbox.judge.formats.verification import VerificationInfo

    row = {"language": "python", "time_limit": None, "input_mode": None, "checker": None,
           "test_cases": [{"input": "1\n", "output": "2\n", "type": None, "is_sample": None, "name": None}]}
    info = VerificationInfo.model_validate(_without_nones(row))
    assert info.time_limit == 2.0 and info.input_mode == "stdio" and info.test_cases[0].type == "stdin_stdout"
