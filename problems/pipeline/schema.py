"""Arrow schemas of the three configs, fixed here so every build has the same columns and
types whatever its inputs held (an all-null column must still be a string column).

Names follow ``open-r1/codeforces`` where the two overlap. ``verification_info`` is a JSON
string, not a struct: its optional keys (checker, interactor, file I/O) vary per problem,
and a struct would change the schema with them; readers ``json.loads`` it, or hand it as is
to `sandbox.judge.formats.verification.problem_from_verification_info`.

``problems`` columns that open-r1 also has mean what they mean there, with two readings
fixed by cpforge: ``official_tests`` holds *every* test the verdicts were earned on (the
same list, in the same order, as ``verification_info``'s ``test_cases``, whatever their
provenance; ``tests_*`` count the provenances), so ``generated_tests`` is 0: there are no
separate generated-test files to add. ``executable`` is true when cpforge can judge a
solution of the problem (it has tests, and an interactor if it is interactive). ``prompt``
is a statement prompt in open-r1's style asking for a solution in ``language``.
``verified`` rows join to ``problems`` on ``id`` (and carry the ``testset_hash`` they were
judged on, equal to the problem row's).
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["ALL_SCHEMA", "CONFIG_SCHEMAS", "EXPORT_SCHEMAS", "PROBLEMS_SCHEMA", "TRL_SCHEMA", "VERIFIED_SCHEMA",
           "VERL_SCHEMA"]

_STRINGS = pa.list_(pa.string())
_PAIRS = pa.list_(pa.struct([("input", pa.string()), ("output", pa.string())]))
_MESSAGES = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))
_TEST_SUMMARY = pa.list_(pa.struct([
    ("name", pa.string()), ("verdict", pa.string()), ("is_sample", pa.bool_()), ("cpu_time", pa.float64()),
    ("wall_time", pa.float64()), ("memory", pa.int64()), ("message", pa.string()),
]))

PROBLEMS_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("aliases", _STRINGS),
    ("contest_id", pa.string()),
    ("contest_name", pa.string()),
    ("contest_type", pa.string()),
    ("contest_start", pa.int64()),
    ("contest_start_year", pa.int64()),
    ("index", pa.string()),
    ("time_limit", pa.float64()),
    ("memory_limit", pa.float64()),
    ("title", pa.string()),
    ("description", pa.string()),
    ("input_format", pa.string()),
    ("output_format", pa.string()),
    ("interaction_format", pa.string()),
    ("note", pa.string()),
    ("examples", _PAIRS),
    ("editorial", pa.string()),
    ("rating", pa.int64()),
    ("tags", _STRINGS),
    ("testset_size", pa.int64()),
    ("official_tests", _PAIRS),
    ("official_tests_complete", pa.bool_()),
    ("input_mode", pa.string()),
    ("input_file", pa.string()),
    ("output_file", pa.string()),
    ("interactive", pa.bool_()),
    ("generated_checker", pa.string()),
    ("executable", pa.bool_()),
    ("generated_tests", pa.int64()),
    ("checker", pa.string()),
    ("test_count", pa.int64()),
    ("tests_statement", pa.int64()),
    ("tests_official", pa.int64()),
    ("tests_generated", pa.int64()),
    ("tests_directory", pa.int64()),
    ("testset_hash", pa.string()),
    ("coverage", pa.string()),
    ("candidates", pa.int64()),
    ("accepted", pa.int64()),
    ("verified", pa.bool_()),
    ("solved_count", pa.int64()),
    ("source", pa.string()),
    ("source_urls", _STRINGS),
    ("prompt", pa.string()),
    ("language", pa.string()),
    ("verification_info", pa.string()),
])

VERIFIED_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("contest_id", pa.string()),
    ("index", pa.string()),
    ("title", pa.string()),
    ("rating", pa.int64()),
    ("tags", _STRINGS),
    ("time_limit", pa.float64()),
    ("memory_limit", pa.float64()),
    ("language", pa.string()),
    ("code", pa.string()),
    ("code_hash", pa.string()),
    ("verdict", pa.string()),
    ("passed", pa.int64()),
    ("total", pa.int64()),
    ("coverage", pa.string()),
    ("samples_only", pa.bool_()),
    ("testset_hash", pa.string()),
    ("toolchain", pa.string()),
    ("max_cpu_time", pa.float64()),
    ("max_memory", pa.int64()),
    ("duplicates", pa.int64()),
    ("source", pa.string()),
    ("source_row", pa.int64()),
    ("author", pa.string()),
    ("prompt", pa.string()),
    ("generation", pa.string()),
    ("messages", _MESSAGES),
])

ALL_SCHEMA = pa.schema([
    ("row", pa.int64()),
    ("source", pa.string()),
    ("source_row", pa.int64()),
    ("id", pa.string()),
    ("language", pa.string()),
    ("code", pa.string()),
    ("code_hash", pa.string()),
    ("extraction", pa.string()),
    ("status", pa.string()),
    ("reason", pa.string()),
    ("verdict", pa.string()),
    ("score", pa.float64()),
    ("passed", pa.int64()),
    ("total", pa.int64()),
    ("coverage", pa.string()),
    ("testset_hash", pa.string()),
    ("limits", pa.string()),
    ("toolchain", pa.string()),
    ("message", pa.string()),
    ("compile_diagnostics", pa.string()),
    ("tests", _TEST_SUMMARY),
    ("max_cpu_time", pa.float64()),
    ("max_memory", pa.int64()),
    ("duplicate_of", pa.int64()),
    ("expected", pa.string()),
    ("author", pa.string()),
])

CONFIG_SCHEMAS: dict[str, pa.Schema] = {"problems": PROBLEMS_SCHEMA, "verified": VERIFIED_SCHEMA, "all": ALL_SCHEMA}

# --- training exports (``build-dataset export``) ----------------------------------------

_EXPORT_INFO = pa.struct([
    ("split", pa.string()), ("index", pa.int64()), ("problem_id", pa.string()), ("language", pa.string()),
    ("testset_hash", pa.string()), ("coverage", pa.string()), ("rating", pa.int64()), ("verified", pa.bool_()),
])

VERL_SCHEMA = pa.schema([
    ("data_source", pa.string()),
    ("prompt", _MESSAGES),
    ("ability", pa.string()),
    ("reward_model", pa.struct([("style", pa.string()), ("ground_truth", pa.string())])),
    ("extra_info", _EXPORT_INFO),
])
"""verl's RL parquet: ``prompt`` is a chat list, ``reward_model.ground_truth`` what cpforge's
`sandbox.rewards.verl.compute_score` reads (``verification_info`` JSON, or a problem id)."""

TRL_SCHEMA = pa.schema([
    ("prompt", _MESSAGES),
    ("id", pa.string()),
    ("problem_id", pa.string()),
    ("language", pa.string()),
    ("verification_info", pa.string()),
    ("testset_hash", pa.string()),
    ("coverage", pa.string()),
    ("rating", pa.int64()),
])
"""TRL's conversational prompt dataset; every other column reaches the reward function as a
keyword argument (`sandbox.rewards.trl.make_trl_reward` reads ``verification_info``,
``problem_id`` and ``language``)."""

EXPORT_SCHEMAS: dict[str, pa.Schema] = {"verl": VERL_SCHEMA, "trl": TRL_SCHEMA}
