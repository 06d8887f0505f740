"""Charts of a campaign: PNG for Word, SVG for the web (matplotlib, Agg, fonts with Vietnamese)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from trienkhai.outputs.channels import channel_label
from trienkhai.reports.service import CampaignSummary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# DejaVu Sans ships with matplotlib and covers every Vietnamese letter with its tone marks.
FONT_FAMILY = ["DejaVu Sans", "Liberation Sans"]
COLOR = "#1f4e79"
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class ChartData:
    """What a chart draws: a title, labels and values."""

    title: str
    labels: list[str]
    values: list[int]
    kind: str = "barh"  # or "line"


def week_data(summary: CampaignSummary) -> ChartData:
    """Outputs per week."""
    labels = [f"{d.day:02d}/{d.month:02d}" for d, _n in summary.by_week]
    values = [n for _d, n in summary.by_week]
    return ChartData("Số tin, bài theo tuần (tuần bắt đầu ngày)", labels, values, kind="line")


def theme_data(summary: CampaignSummary) -> ChartData:
    """Outputs per theme, in the directive's order."""
    labels = [t.code for t in summary.themes]
    return ChartData(
        "Số tin, bài theo nội dung", labels, [summary.by_theme.get(c, 0) for c in labels]
    )


def channel_data(summary: CampaignSummary) -> ChartData:
    """Outputs per channel."""
    items = list(summary.by_channel.items())
    return ChartData(
        "Số tin, bài theo kênh", [channel_label(c) for c, _ in items], [n for _, n in items]
    )


def group_data(summary: CampaignSummary) -> ChartData:
    """Outputs per group of units."""
    return ChartData(
        "Số tin, bài theo nhóm đơn vị",
        [name for name, _u, _n in summary.by_group],
        [n for _name, _u, n in summary.by_group],
    )


CHARTS: dict[str, Callable[[CampaignSummary], ChartData]] = {
    "week": week_data,
    "theme": theme_data,
    "channel": channel_data,
    "group": group_data,
}


@cache
def _pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend, loaded on the first chart.

    Why lazily: matplotlib adds about 40 MB and a second to every process that imports the web
    app, and most requests draw no chart.
    """
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg")  # no display on servers; must precede pyplot
    from matplotlib import pyplot  # noqa: PLC0415

    return pyplot


def _draw(data: ChartData) -> Figure:
    """A figure for the data: horizontal bars with values, or a line over time."""
    plt = _pyplot()
    height = 3.0 if data.kind == "line" else max(2.2, 0.45 * len(data.labels) + 1.0)
    fig, ax = plt.subplots(figsize=(6.3, height), dpi=150)
    if data.kind == "line":
        ax.plot(data.labels, data.values, marker="o", color=COLOR)
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.set_ylim(bottom=0)
    else:
        bars = ax.barh(data.labels[::-1], data.values[::-1], color=COLOR)
        ax.bar_label(bars, padding=3, fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.margins(x=0.12)
    ax.set_title(data.title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    figure: Figure = fig
    return figure


def render(data: ChartData, fmt: str = "png") -> bytes:
    """The chart as PNG or SVG bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    plt = _pyplot()
    with plt.rc_context({"font.family": FONT_FAMILY, "svg.fonttype": "none"}):
        fig = _draw(data)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
        plt.close(fig)
    return buffer.getvalue()


def chart(summary: CampaignSummary, name: str, fmt: str = "png") -> bytes | None:
    """One named chart of the campaign, or None when it has nothing to draw."""
    data = CHARTS[name](summary)
    if not data.values or not any(data.values):
        return None
    return render(data, fmt)
