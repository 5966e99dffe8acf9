"""The ``build-dataset run`` pipeline: problems + tests + candidate solutions -> verified
solutions -> a dataset folder in the Hugging Face Hub layout, resumable at every step.

Stages, one module each: `inputs` / `tests_source` (problems and their tests, with
provenance), `candidates` (solutions and completions), `verify` (parallel judging) with
`store` (SQLite state), `rows` / `writer` / `card` (the dataset folder), `run` (wiring) and
`bench` (``build-dataset bench verify``).
"""

from problems.pipeline.run import PipelineError, RunConfig, RunSummary, preflight, run_pipeline
from problems.pipeline.verify import VerifyOptions

__all__ = ["PipelineError", "RunConfig", "RunSummary", "VerifyOptions", "preflight", "run_pipeline"]
