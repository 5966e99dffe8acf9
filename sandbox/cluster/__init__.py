"""Judging past one machine, on Ray: one judge actor per node, each with its own warm local
backend, behind a pool that keeps work flowing and re-sends what a lost node held."""

from sandbox.cluster.ray_pool import ClusterUnavailable, RayJudgePool

__all__ = ["ClusterUnavailable", "RayJudgePool"]
