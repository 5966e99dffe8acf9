"""The candidate record that passes between the pipeline's stages.

Problems travel as `problems.model.Problem` (with the tests the pipeline collected), tests
as `sandbox.judge.model.TestCase`; a candidate row is the pipeline's own record, checked
once, at the boundary where it enters the pipeline.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field

from problems.model import CoverageLevel

__all__ = ["Candidate", "CoverageLevel", "code_hash"]


def code_hash(code: str) -> str:
    """Content hash of a candidate's source: identical bytes are one candidate."""
    return hashlib.sha256(code.encode("utf-8", errors="surrogatepass")).hexdigest()


class Candidate(BaseModel):
    """One candidate row, whether or not it holds code.

    Rows without usable code are kept with ``no_code_reason`` set: they are counted and
    written to the ``all`` config rather than dropped.
    """

    model_config = ConfigDict(extra="forbid")

    row: int = Field(description="position among all candidate rows of this run")
    source: str = Field(description="file or dataset the row came from")
    source_row: int = Field(description="row number within that source")
    problem_id: str | None
    language: str | None = Field(description="canonical sandbox language id")
    code: str | None
    code_hash: str | None = None
    extraction: str = Field(description="'code' (a code column), 'fenced', 'inferred', 'none' or "
                            "'malformed' (the row itself could not be read)")
    no_code_reason: str | None = None
    location: str | None = Field(default=None, description="the file (or dataset) and row it was read from, for "
                                 "messages to the user; never written to the dataset, which names only `source`")
    expected: str | None = Field(default=None, description="verdict the source expects, when it says")
    author: str | None = None
    prompt: str | None = None
    generation: str | None = None
    messages: list[dict[str, str]] | None = None
