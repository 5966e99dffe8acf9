"""``build-dataset run``: problems + tests + candidates -> verified solutions -> a dataset folder.

The stages are: load problems and collect their tests; read candidates; judge what the
verdict store does not already know; build the rows of each config; write the folder in
the Hub layout (only when its content changed); push it when asked. Every stage is its own
module; this one only wires them and times them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from problems.pipeline.inputs import LoadedProblems, TestSources, load_problems
from problems.pipeline.model import Candidate
from problems.pipeline.stats import DatasetStats
from problems.pipeline.verify import VerifyOptions, VerifyReport

__all__ = ["PipelineError", "RunConfig", "RunSummary", "default_state_path", "preflight", "run_pipeline"]

DEFAULT_OUT = Path("cpforge-dataset")


class PipelineError(RuntimeError):
    """A failure to show the user as a message, not a traceback."""


class RunConfig(BaseModel):
    """One run's settings. The pipeline takes problems (the bundled set, or files, folders and
    Hub ids in `problems`), never a scraper: ``build-dataset run --source codeforces`` scrapes
    in the command line and passes the scraper's output file here as one of `problems`."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["bundled", "files"] = "bundled"
    problems: list[str] = Field(default_factory=list)
    problems_config: str | None = None
    problems_split: str | None = None
    generated_tests: Path | None = None
    test_dirs: list[Path] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)
    candidates_config: str | None = None
    candidates_split: str | None = None
    out: Path = DEFAULT_OUT
    state: Path | None = None
    verify: VerifyOptions = Field(default_factory=VerifyOptions)
    max_shard_mb: int = Field(default=500, ge=1)
    license: str = "cc-by-4.0"
    pretty_name: str = "cpforge verified competitive-programming solutions"
    push_to: str | None = None
    private: bool = False
    dry_run: bool = False
    prompt_language: str = Field(default="python", description="the language the `problems` prompts ask for")
    min_strength: float | None = Field(default=None, ge=0, le=1, description="keep out of `verified` the solutions "
                                       "of problems whose measured test strength (TNR) is below this")

    @property
    def state_path(self) -> Path:
        return self.state or default_state_path(self.out)

    @model_validator(mode="after")
    def _sources_agree(self) -> RunConfig:
        if self.source == "bundled" and self.problems:
            raise ValueError("--problems cannot be combined with --source bundled (use --source files or codeforces)")
        return self

    @field_validator("prompt_language")
    @classmethod
    def _known_prompt_language(cls, value: str) -> str:
        from problems.pipeline.prompts import prompt_language

        prompt_language(value)  # a ValueError names the language
        return value

    @field_validator("push_to")
    @classmethod
    def _valid_repo_id(cls, value: str | None) -> str | None:
        """Checked before any judging: the card names this repo, and a typo should not
        cost a whole run."""
        if value is not None:
            from problems.hub_push import HubPushError, validate_repo_id

            try:
                validate_repo_id(value)
            except HubPushError as exc:
                raise ValueError(str(exc)) from None
        return value


def default_state_path(out: Path) -> Path:
    """The verdict store lives beside the dataset folder, never inside it: the folder is
    what gets uploaded."""
    return out.parent / f"{out.name}.state.sqlite"


class RunSummary(BaseModel):
    out: str
    state: str
    problem_sources: list[str] = Field(default_factory=list)
    skipped_inputs: list[str] = Field(default_factory=list)
    malformed_rows: list[str] = Field(default_factory=list, description="candidate rows kept as no_code because "
                                      "they could not be read, one line each naming file and row")
    stats: DatasetStats = Field(default_factory=DatasetStats)
    judged_now: int = 0
    reused: int = 0
    errors: int = 0
    interrupted: bool = False
    wrote: bool = False
    pushed_url: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    verify_cpu_seconds: float = 0.0
    verify_program_cpu_seconds: float = 0.0
    toolchains: dict[str, str | None] = Field(default_factory=dict)
    cluster: dict[str, Any] | None = Field(None, description="with --engine ray: who judged what (see VerifyReport)")

    @property
    def elapsed(self) -> float:
        return sum(self.timings.values())

    def render(self) -> str:
        s = self.stats
        lines = [
            f"problems: {s.problems} (verified: {s.verified_problems}; coverage: "
            + ", ".join(f"{k} {v}" for k, v in sorted(s.coverage.items())) + ")",
            f"candidates: {s.candidates} rows, {s.distinct_judged} distinct judged "
            f"({self.judged_now} now, {self.reused} from earlier runs, {self.errors} judge errors)",
            "",
            f"{'verdict / status':<22}{'candidates':>11}",
        ]
        for verdict, count in sorted(s.verdicts.items()):
            lines.append(f"  {verdict:<20}{count:>11}")
        for status, count in sorted(s.status.items()):
            if status not in ("judged", "error"):
                lines.append(f"  {status:<20}{count:>11}")
        if s.by_language:
            lines += ["", f"{'language':<22}{'judged':>8}{'AC':>6}{'pass rate':>11}"]
            for language, rate in s.by_language.items():
                lines.append(f"  {language:<20}{rate.judged:>8}{rate.accepted:>6}{100 * rate.rate:>10.1f}%")
        if s.below_minimum:
            shown = ", ".join(s.below_minimum[:10]) + (" ..." if len(s.below_minimum) > 10 else "")
            lines += ["", f"problems below the minimum tests: {len(s.below_minimum)} ({shown})"]
        if s.expected_checked:
            matched = s.expected_checked - len(s.expected_mismatches)
            lines.append(f"expected verdicts: {matched}/{s.expected_checked} matched")
            lines += [f"  MISMATCH {m}" for m in s.expected_mismatches[:20]]
        if self.skipped_inputs:
            lines.append(f"inputs not used: {len(self.skipped_inputs)}")
            lines += [f"  {m}" for m in self.skipped_inputs[:10]]
        if self.malformed_rows:
            lines.append(
                f"malformed candidate rows (kept in `all`, extraction = malformed): {len(self.malformed_rows)}"
            )
            lines += [f"  {m}" for m in self.malformed_rows[:20]]
            if len(self.malformed_rows) > 20:
                lines.append(f"  ... and {len(self.malformed_rows) - 20} more (--json lists them all)")
        if self.cluster:
            c = self.cluster
            lines += ["", f"ray: {c['nodes']} nodes, {c['workers']} workers, {c['slots']} slots; "
                          f"{c['resubmitted']} submissions re-sent after a loss"]
            lines += [f"  judged on {node}: {count}" for node, count in sorted(c["judged_per_node"].items())]
            lines += [f"  REFUSED {node}: {why}" for node, why in sorted(c["refused"].items())]
            lines += [f"  LOST {what}" for what in c["lost"]]
            lines += [f"  toolchain differs for {lang} on: {', '.join(hosts)}"
                      for lang, hosts in sorted(c.get("toolchain_mismatches", {}).items())]
        lines.append("")
        if self.interrupted:
            lines.append("INTERRUPTED: verdicts so far are saved; rerun the same command to continue")
        else:
            lines.append(f"dataset: {self.out} ({'written' if self.wrote else 'unchanged'}; "
                         f"verified solutions: {s.verified_solutions})")
        if self.pushed_url:
            lines.append(f"pushed: {self.pushed_url}")
        lines.append(f"state: {self.state}")
        lines.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
                     + f" (total {self.elapsed:.1f}s)")
        return "\n".join(lines)


def _load_inputs(config: RunConfig) -> tuple[LoadedProblems, list[Candidate]]:
    from problems.pipeline.candidates import read_candidates
    from problems.pipeline.tables import InputError
    from problems.pipeline.tests_source import DirectoryTests, GeneratedTests

    try:
        bundled_candidates: list[Candidate] = []
        if config.source == "bundled":
            from problems.pipeline.bundled import load_bundled_inputs

            loaded, bundled_candidates = load_bundled_inputs()
            sources = TestSources(generated=GeneratedTests(config.generated_tests) if config.generated_tests else None,
                                  directories=[DirectoryTests(d) for d in config.test_dirs])
            loaded.attach(sources)
        else:
            specs = list(config.problems)
            if not specs:
                raise PipelineError("no problems: pass --problems PATH (or --source bundled / codeforces)")
            loaded = load_problems(specs, config=config.problems_config, split=config.problems_split,
                                   generated_tests=config.generated_tests, test_dirs=config.test_dirs)
        # The bundled solutions are the default candidates; given files replace them.
        candidates = bundled_candidates if not config.candidates else read_candidates(
            config.candidates, config=config.candidates_config, split=config.candidates_split)
    except (InputError, FileNotFoundError) as exc:
        raise PipelineError(str(exc)) from None
    return loaded, candidates


def _write(config: RunConfig, rows, stats: DatasetStats, report: VerifyReport, loaded: LoadedProblems,
           candidate_sources: list[str]) -> None:
    from problems.pipeline.card import CardContext, write_card
    from problems.pipeline.tables import display_name
    from problems.pipeline.writer import publish, staging_folder, write_configs

    staging = staging_folder(config.out.resolve())
    try:
        files = write_configs(staging, rows.configs, max_shard_bytes=config.max_shard_mb * 1024 * 1024)
        context = CardContext(
            pretty_name=config.pretty_name, license=config.license,
            problem_sources=[display_name(s) for s in loaded.sources],
            candidate_sources=[display_name(s) for s in candidate_sources], skipped_inputs=loaded.skipped,
            min_tests=config.verify.min_tests,
            below_min=config.verify.below_min, stop_on_first_failure=config.verify.stop_on_first_failure,
            backend=report.backend, toolchains=report.toolchains, repo_id=config.push_to,
            folder=str(config.out),
        )
        write_card(staging, files, stats, context)
        publish(staging, config.out)
    except ImportError as exc:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise PipelineError(f"writing the dataset needs {exc.name or exc}: pip install 'cpforge[dataset]'") from None
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise


def run_pipeline(config: RunConfig) -> RunSummary:
    """Run every stage; resumable (a rerun reuses stored verdicts and rewrites nothing
    that did not change)."""
    from problems.pipeline.candidates import malformed_rows
    from problems.pipeline.store import StoreError

    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    preflight(config)
    loaded, candidates = _load_inputs(config)
    candidate_sources = config.candidates or (["bundled solutions"] if config.source == "bundled" else [])
    lap("load")
    summary = RunSummary(out=str(config.out), state=str(config.state_path), problem_sources=loaded.sources,
                         skipped_inputs=loaded.skipped, malformed_rows=malformed_rows(candidates))
    try:
        return _verify_and_write(config, loaded, candidates, candidate_sources, summary, timings, lap)
    except StoreError as exc:
        raise PipelineError(str(exc)) from None


def preflight(config: RunConfig) -> None:
    """The checks that stop a run before any work: an output folder that is not ours to
    overwrite, an unreadable testlib.h. `run_pipeline` makes them first; a caller with work
    of its own to do before the run (the command line's scrape) makes them before that."""
    from problems.pipeline.writer import OutputFolderError, check_output_folder

    try:
        check_output_folder(config.out)
    except OutputFolderError as exc:
        raise PipelineError(str(exc)) from None
    _check_testlib(config)


def _check_testlib(config: RunConfig) -> None:
    """A testlib.h that cannot be read (from --testlib or CPFORGE_TESTLIB) stops the run with
    one line before any box starts, not with a traceback once judging has begun."""
    from sandbox.judge.judging import read_testlib

    try:
        read_testlib(config.verify.testlib)
    except ValueError as exc:
        raise PipelineError(str(exc)) from None


def _verify_and_write(config: RunConfig, loaded: LoadedProblems, candidates: list[Candidate],
                      candidate_sources: list[str], summary: RunSummary, timings: dict[str, float],
                      lap: Callable[[str], None]) -> RunSummary:
    """Judge against the verdict store, build the rows, write (and push) the folder."""
    from problems.pipeline.rows import build_rows
    from problems.pipeline.store import VerdictStore
    from problems.pipeline.verify import verify_candidates

    with VerdictStore(config.state_path) as store:
        report = verify_candidates(loaded, candidates, store, config.verify)
        lap("verify")
        summary.judged_now, summary.reused, summary.errors = report.judged_now, report.reused, report.errors
        summary.interrupted, summary.toolchains = report.interrupted, report.toolchains
        summary.verify_cpu_seconds = report.cpu_seconds
        summary.verify_program_cpu_seconds = report.program_cpu_seconds
        summary.cluster = report.cluster
        rows = build_rows(loaded, candidates, report, config.verify.min_tests, config.prompt_language,
                          config.min_strength, tests_of=store.tests_of)
        card_settings = [config.license, config.pretty_name,
                         config.verify.model_dump_json(exclude={"progress", "jobs"}),
                         report.backend, sorted(report.toolchains.items()), loaded.sources, candidate_sources,
                         config.push_to, str(config.out)]
        fingerprint, summary.stats = rows.fingerprint_and_stats(extra=repr(card_settings))
        lap("rows")
        if report.interrupted:
            summary.timings = timings
            return summary
        if store.output_fingerprint(config.out) != fingerprint or not (config.out / "README.md").is_file():
            _write(config, rows, summary.stats, report, loaded, candidate_sources)
            store.set_output_fingerprint(config.out, fingerprint)
            summary.wrote = True
        lap("write")
    if config.push_to and not config.dry_run:
        from problems.hub_push import HubPushError, push_dataset_folder

        try:
            summary.pushed_url = push_dataset_folder(config.out, config.push_to, private=config.private,
                                                     progress=config.verify.progress)
        except HubPushError as exc:
            raise PipelineError(f"push to {config.push_to} failed: {exc} (the dataset folder {config.out} is "
                                "complete; rerun with the same options to retry the push)") from None
        lap("push")
    summary.timings = timings
    return summary
