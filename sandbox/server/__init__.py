"""The reward server: judging over HTTP for RL trainers (`verifier serve`).

Endpoints: `/v1/judge`, `/v1/judge/batch` (cpforge's API), `/run_code` (SandboxFusion),
`/get_reward` (OpenRLHF), `/healthz`, `/metrics` (Prometheus). Needs the `server` extra
(FastAPI, uvicorn, prometheus-client); importing `sandbox` alone does not."""

from __future__ import annotations

from sandbox.server.models import BatchRequest, JudgeOptionsIn, JudgeRequest, Submission, SubmissionResult
from sandbox.server.settings import ServerSettings

__all__ = ["BatchRequest", "JudgeOptionsIn", "JudgeRequest", "ServerSettings", "Submission", "SubmissionResult"]
