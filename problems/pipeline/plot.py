"""The dataset card's picture: how difficult the verified problems are.

Drawn with matplotlib's non-interactive backend, so it works on a headless machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["PLOT_FILE", "rating_plot"]

PLOT_FILE = "rating_distribution.png"


def rating_plot(ratings: Iterable[int | None], path: Path, *, title: str = "Verified problems by rating") -> Path:
    """Histogram of Codeforces ratings (bins of 100, as ratings are multiples of 100);
    unrated problems are counted in the legend rather than dropped silently."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    values = list(ratings)
    rated = [r for r in values if r is not None]
    unrated = len(values) - len(rated)
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    try:
        if rated:
            low = min(800, (min(rated) // 100) * 100)
            high = max(3500, (max(rated) // 100 + 1) * 100)
            axes.hist(rated, bins=range(low, high + 100, 100), color="#3b75af", edgecolor="white",
                      label=f"rated: {len(rated)}" + (f" (unrated: {unrated})" if unrated else ""))
            axes.legend(loc="upper right")
        else:
            axes.text(0.5, 0.5, f"no rated verified problems (unrated: {unrated})", ha="center", va="center",
                      transform=axes.transAxes)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("Codeforces rating")
        axes.set_ylabel("problems")
        axes.set_title(title)
        axes.grid(axis="y", alpha=0.3)
        figure.tight_layout()
        figure.savefig(path, format="png")
    finally:
        plt.close(figure)
    return path
