"""verl custom reward functions.

    custom_reward_function:        # verl >= 0.9: under `reward:`
      path: <site-packages>/sandbox/rewards/verl.py    # or pkg://sandbox.rewards.verl
      name: compute_score            # or compute_score_async, or compute_score_batch
      reward_kwargs: {server_url: "http://127.0.0.1:8000", score: binary}
      # or, with no server, on the Ray cluster verl runs in (one pool per reward process):
      # reward_kwargs: {ray: {resources: {cpforge: 1}, max_pending: 512}, score: binary}

`ground_truth` is a problem id, open-r1's `verification_info`, or verl's own
`{"inputs": [...], "outputs": [...]}` (JSON text or a dict); `extra_info` may carry
`problem_id`, `verification_info` or `language` instead; an open-r1/codeforces row
(`official_tests`, limits, `generated_checker`, `input_mode`) works as a ground truth too.
`language_from` ("fence" or "row") says whose language wins, as in the TRL adapter. Without `server_url` (or
`CPFORGE_SERVER_URL`) the judge runs in-process; with `ray` (true, an address, or
`RayJudgePool` options) or `pool` (a `RayJudgePool`, bound with functools.partial) it runs on
the Ray cluster, problems looked up and code extracted as the server does.

verl needs a number for every sample, and an infrastructure failure (JUDGE_ERROR: a broken
checker, a failed sandbox) has none: it raises `JudgeFailure` with the reason, so training
stops on a broken judge instead of learning from invented zeros, unless
`judge_error_score` is given. Every returned dict has the same keys, as verl's
`reward_extra_info` expects."""

# Absolute imports only: verl's loader runs this file as `custom_module_<hash>`, a module with
# no parent package, where a relative import fails.
from sandbox.rewards._verl import JudgeFailure, compute_score, compute_score_async, compute_score_batch

__all__ = ["JudgeFailure", "compute_score", "compute_score_async", "compute_score_batch"]
