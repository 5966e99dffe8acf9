"""Reward functions for RL trainers, backed by the reward server or an in-process judge.

- `sandbox.rewards.trl.make_trl_reward(...)`: an async TRL reward function.
- `sandbox.rewards.verl.compute_score(...)`: verl's custom reward function (plus async and
  batch variants).
- Both take a `sandbox.cluster.RayJudgePool` instead of a URL (`pool=`; verl also `ray=`
  from its YAML), judging on a Ray cluster's nodes (`sandbox.rewards.pool`).
- OpenRLHF and SandboxFusion clients need no adapter: point them at the server's
  `/get_reward` and `/run_code`.

Submodules are imported on demand, so `import sandbox.rewards` costs nothing."""
