"""Small server-side SVG charts for the dashboard: no JavaScript, no fonts from anywhere."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

PALETTE = (
    "#0b5cad", "#d9480f", "#2b8a3e", "#862e9c", "#e67700",
    "#0c8599", "#c2255c", "#5c940d", "#495057", "#364fc7",
)  # fmt: skip
FONT = "system-ui, sans-serif"
# Text is drawn at this size and charts are shown at their own width (never scaled down), so
# a phone reads 13 px text and scrolls a wide chart sideways.
FONT_SIZE = 13
# Width of an average character relative to the font size, generous for Vietnamese marks; used
# to give labels the margin they need so none starts left of the drawing (cut off).
CHAR_WIDTH = 0.6
LABEL_CHARS = 30  # a longer label is wrapped onto a second line (two at most)


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    """Wrap shapes in an accessible <svg> with a title."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text is escaped above


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    """An escaped text element."""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(text)}</text>'


def _short(label: str, limit: int = 28) -> str:
    """A label cut at its end to fit (its beginning always shows)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def wrap(label: str, limit: int = LABEL_CHARS) -> list[str]:
    """A label on one line, or two split at a space; only what a third line needs is cut."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return [label]
    cut = label.rfind(" ", 0, limit + 1)
    cut = cut if cut > 0 else limit
    return [label[:cut].rstrip(), _short(label[cut:].strip(), limit)]


def text_width(text: str) -> float:
    """The width a line of text takes at FONT_SIZE (an estimate on the generous side)."""
    return len(text) * FONT_SIZE * CHAR_WIDTH


def label_margin(labels: list[str]) -> int:
    """The left margin that holds the widest (wrapped) label, plus room on both sides."""
    widest = max((text_width(line) for lb in labels for line in wrap(lb)), default=0.0)
    return int(widest) + 16


def _label(x: float, y: float, label: str) -> str:
    """A right-aligned row label ending at x, on one or two lines centred on y."""
    lines = wrap(label)
    first = y - (len(lines) - 1) * FONT_SIZE / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + k * FONT_SIZE:.1f}">{escape(line)}</tspan>'
        for k, line in enumerate(lines)
    )
    return f'<text text-anchor="end">{spans}</text>'


def bar_chart(items: list[tuple[str, int]], title: str, width: int = 560) -> Markup:
    """Horizontal bars, one per (label, value)."""
    row, left = 32, label_margin([label for label, _ in items])
    width = max(width, left + 200)
    height = max(1, len(items)) * row + 20
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = 10 + i * row
        w = (width - left - 50) * value / top
        body.append(_label(left - 6, y + row / 2, label))
        color = PALETTE[i % len(PALETTE)]
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{color}"/>'
        )
        body.append(_text(left + w + 4, y + row / 2 + 4, str(value)))
    return _svg(width, height, title, body)


def heatmap(
    rows: list[str], cols: list[str], values: list[list[int]], title: str, width: int = 640
) -> Markup:
    """A grid of cells shaded by value (rows × columns), each with its number."""
    left, top, cell_h = label_margin(rows), 26, 32
    cell_w = max(36.0, (width - left - 10) / max(1, len(cols)))
    height = top + cell_h * max(1, len(rows)) + 10
    peak = max((v for r in values for v in r), default=0) or 1
    body = [_text(left + (j + 0.5) * cell_w, 18, c, "middle") for j, c in enumerate(cols)]
    for i, label in enumerate(rows):
        y = top + i * cell_h
        body.append(_label(left - 6, y + cell_h / 2 + 3, label))
        for j, value in enumerate(values[i]):
            x = left + j * cell_w
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" '
                f'fill="{_shade(value, peak)}"/>'
            )
            ink = "#fff" if value / peak > 0.55 else "#1b1f24"
            mid = y + cell_h / 2 + 4
            body.append(_text(x + cell_w / 2 - 1, mid, str(value), "middle", f'fill="{ink}"'))
    return _svg(int(left + cell_w * len(cols) + 10), height, title, body)


def _shade(value: int, peak: int) -> str:
    """White for zero, pale red for none, deepening blue as the value grows."""
    if value == 0:
        return "#fde2e2"
    share = value / peak
    r, g, b = (int(235 - share * (235 - c)) for c in (11, 92, 173))
    return f"#{r:02x}{g:02x}{b:02x}"


def _rect(x: float, y: float, w: float, h: float, color: str) -> str:
    """A filled rectangle."""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}"/>'


def stacked_columns(
    labels: list[str], series: dict[str, list[int]], title: str, width: int = 640
) -> Markup:
    """Columns per label (weeks, 'dd/mm'), stacked by series (channels), with a legend."""
    left, top, plot_h = 40, 10, 180
    width = max(width, left + 10 + 46 * len(labels))  # room for every 'dd/mm' under its column
    legend_h = 18 * ((len(series) + 2) // 3)
    height = top + plot_h + 30 + legend_h
    totals = [sum(s[i] for s in series.values()) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    col_w = (width - left - 10) / max(1, len(labels))
    axis = top + plot_h
    body = [f'<line x1="{left}" y1="{axis}" x2="{width - 10}" y2="{axis}" stroke="#888"/>']
    body.append(_text(left - 4, top + 10, str(peak), "end"))
    for i, label in enumerate(labels):
        x, base = left + i * col_w, float(axis)
        for k, values in enumerate(series.values()):
            h = plot_h * values[i] / peak
            base -= h
            color = PALETTE[k % len(PALETTE)]
            body.append(_rect(x + 2, base, col_w - 4, h, color))
        body.append(_text(x + col_w / 2, top + plot_h + 16, label, "middle"))
    for k, name in enumerate(series):
        lx, ly = left + (k % 3) * 200, top + plot_h + 30 + (k // 3) * 18
        body.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        body.append(_text(lx + 16, ly + 10, _short(name, 26)))
    return _svg(width, height, title, body)
