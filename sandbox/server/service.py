"""One submission in, one result out: problem resolution, code extraction, judging, scoring.

Shared by the HTTP server and the in-process reward adapters, so both paths give the same
verdict for the same input. `judge_submission` never raises: whatever goes wrong with one
submission becomes that submission's `error`, and never touches its neighbours in a batch."""

from __future__ import annotations

import logging
import time
from typing import Any

from sandbox.judge.extract import extract_code, infer_language
from sandbox.judge.cancel import Cancellation, JudgeCancelled
from sandbox.judge.judging import Judge
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import JudgeResult, Verdict
from sandbox.judge.model import JudgeProblem
from sandbox.judge.formats.verification import VerificationInfo, problem_from_verification_info
from sandbox.languages import UnknownLanguage, get_language
from sandbox.server.metrics import Metrics
from sandbox.server.models import (
    ErrorInfo, ErrorKind, JudgeOptionsIn, Submission, SubmissionResult)
from sandbox.server.problems_store import ProblemStore
from sandbox.server.settings import ServerSettings

log = logging.getLogger("cpforge.server")

DIAGNOSTICS_CHARS = 4000


class ItemError(Exception):
    """A submission that cannot be judged, with the reason a client can act on."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def error_result(kind: ErrorKind, message: str, problem_id: str | None = None) -> SubmissionResult:
    return SubmissionResult(error=ErrorInfo(kind=kind, message=message), problem_id=problem_id)


def _without_nones(info: dict[str, Any]) -> dict[str, Any]:
    """Hugging Face `datasets` fills the keys a struct row lacks with None; those mean
    "not given", so the documented defaults must apply rather than fail validation."""
    cleaned = {key: value for key, value in info.items() if value is not None}
    if isinstance(cleaned.get("test_cases"), list):
        cleaned["test_cases"] = [{k: v for k, v in case.items() if v is not None} if isinstance(case, dict) else case
                                 for case in cleaned["test_cases"]]
    return cleaned


class JudgeService:
    def __init__(self, judge: Judge, settings: ServerSettings, problems: ProblemStore | None = None,
                 metrics: Metrics | None = None) -> None:
        self.judge = judge
        self.settings = settings
        self.problems = problems
        self.metrics = metrics

    # ------------------------------------------------------------------ resolution
    def _problem(self, submission: Submission) -> tuple[JudgeProblem, str | None]:
        """The problem and the language its data names (open-r1 rows carry one)."""
        if submission.verification_info is not None:
            try:
                raw = submission.verification_info
                info = VerificationInfo.model_validate_json(raw) if isinstance(raw, str) \
                    else VerificationInfo.model_validate(_without_nones(raw))
                problem = problem_from_verification_info(info, name=submission.problem_id or info.problem_id)
            except ValueError as exc:
                raise ItemError("invalid", f"verification_info: {exc}") from None
            return problem, info.language
        if self.problems is None:
            raise ItemError("not_found", f"problem {submission.problem_id!r}: this server has no problem "
                                         "dataset (start it with --problems)")
        try:
            stored = self.problems.get(submission.problem_id or "")
        except ValueError as exc:
            raise ItemError("invalid", f"problem {submission.problem_id!r}: bad dataset row: {exc}") from None
        if stored is None:
            raise ItemError("not_found", f"unknown problem id {submission.problem_id!r}")
        return stored.problem, stored.language

    def _apply_overrides(self, problem: JudgeProblem, submission: Submission) -> JudgeProblem:
        """The request's limits (capped by the server's) and checker on a copy of the
        problem; the request's fields are validated already, and a checker that names a
        file it has no code for is refused here, as a problem loader would."""
        update: dict[str, Any] = {}
        time_limit = min(submission.time_limit or problem.time_limit, self.settings.max_time_limit)
        memory_limit = min(submission.memory_limit or problem.memory_limit, self.settings.max_memory_limit)
        if time_limit != problem.time_limit:
            update["time_limit"] = time_limit
        if memory_limit != problem.memory_limit:
            update["memory_limit"] = memory_limit
        if submission.checker is not None:
            unloaded = submission.checker.unloaded_source()
            if unloaded is not None:
                raise ItemError("invalid", f"checker {unloaded!r} has no code: send it inline as `code`")
            update["checker"] = submission.checker
        return problem.model_copy(update=update) if update else problem

    @staticmethod
    def _language_id(name: str | None, what: str) -> str | None:
        if not name:
            return None
        try:
            return get_language(name).id
        except UnknownLanguage:
            raise ItemError("unsupported" if what == "dataset" else "invalid",
                            f"unknown language {name!r} ({what})") from None

    def _source(self, submission: Submission, data_language: str | None) -> tuple[str | None, str | None, str]:
        """(source, language id, reason when there is no code)."""
        requested = self._language_id(submission.language, "request")
        hint = requested or self._language_id(data_language, "dataset")
        if submission.code is not None:
            # Bare code: what it visibly is beats what the dataset row expected.
            language = requested or infer_language(submission.code) or hint
            if language is None:
                raise ItemError("invalid", "the code's language could not be inferred: give language")
            return submission.code, language, ""
        extracted = extract_code(submission.completion, hint)
        if not extracted.found or extracted.language is None:
            return None, extracted.language or hint, extracted.reason or "no code"
        return extracted.code, extracted.language, ""

    # ------------------------------------------------------------------ judging
    def judge_submission(self, queued: float, submission: Submission, defaults: JudgeOptionsIn | None = None,
                         cancel: Cancellation | None = None) -> SubmissionResult:
        """`cancel`: the caller gave up (deadline, shutdown); no further test starts and the
        result is a `deadline` error rather than a verdict from a partial run."""
        started = time.monotonic()
        options = submission.options or defaults or JudgeOptionsIn()
        try:
            result = self._judge(submission, options, cancel)
        except ItemError as exc:
            result = error_result(exc.kind, exc.message, submission.problem_id)
        except JudgeCancelled as exc:
            result = error_result("deadline", f"cancelled: {exc}", submission.problem_id)
        except Exception as exc:  # a bug or a broken host: this submission only
            log.exception("judging a submission failed")
            result = error_result("internal", f"{type(exc).__name__}: {exc}", submission.problem_id)
        judged = time.monotonic() - started
        result = result.model_copy(update={"queued_seconds": round(queued, 6), "judged_seconds": round(judged, 6)})
        if self.metrics is not None:
            verdict = result.verdict or (result.error.kind if result.error else "unknown")
            self.metrics.record_runs(result.executed)
            self.metrics.record_submission(verdict, queued, queued + judged,
                                           result.compile.cached if result.compile else None)
        return result

    def _judge(self, submission: Submission, options: JudgeOptionsIn,
               cancel: Cancellation | None = None) -> SubmissionResult:
        if cancel is not None:
            cancel.raise_if_cancelled()  # abandoned while queued: not even the problem is read
        problem, data_language = self._problem(submission)
        if not problem.tests:
            raise ItemError("invalid", "the problem has no tests")
        if len(problem.tests) > self.settings.max_tests:
            raise ItemError("too_large", f"the problem has {len(problem.tests)} tests, more than this server's "
                                         f"limit of {self.settings.max_tests} per submission (--max-tests)")
        problem = self._apply_overrides(problem, submission)
        source, language, no_code = self._source(submission, data_language)
        if source is None:
            return SubmissionResult(verdict="NO_CODE", score=options.no_code_score, total=len(problem.tests),
                                    language=language, problem_id=submission.problem_id, message=no_code)
        assert language is not None  # _source names the language whenever it returns code
        judge_options = JudgeOptions(stop_on_first_failure=options.stop_on_first_failure,
                                     samples_first=options.samples_first, score=options.score)
        try:
            judged = self.judge.judge(problem, source, language, judge_options, cancel=cancel)
        except NotImplementedError as exc:
            raise ItemError("unsupported", str(exc)) from None
        return self._result(judged, options, submission.problem_id)

    @staticmethod
    def _result(judged: JudgeResult, options: JudgeOptionsIn, problem_id: str | None) -> SubmissionResult:
        """The judge's result as the API answers it: the same per-test results and score
        (a JUDGE_ERROR's score is None unless the caller asked for a number), the
        compilation without its binary and with diagnostics capped."""
        error = None
        score: float | None = judged.score
        if judged.verdict is Verdict.JUDGE_ERROR:
            score = options.judge_error_score
            error = ErrorInfo(kind="judge_error", message=judged.message or "the judge failed")
        compiled = judged.compile
        diagnostics = compiled.diagnostics[:DIAGNOSTICS_CHARS]
        compiled = compiled.model_copy(update={
            "executable": None, "diagnostics": diagnostics,
            "diagnostics_truncated": compiled.diagnostics_truncated or diagnostics != compiled.diagnostics})
        return SubmissionResult(
            verdict=judged.verdict.value, score=score, passed=judged.passed, total=judged.total,
            language=judged.language, problem_id=problem_id, message=judged.message, error=error,
            tests=judged.tests if options.include_tests else [], executed=judged.executed, compile=compiled)


__all__ = ["ItemError", "JudgeService", "error_result"]
