"""A small grouped bar chart as SVG text, with no plotting library."""
from xml.sax.saxutils import escape

COLOURS = ["#3b6fb6", "#c8553d", "#6a994e", "#8e6bb5"]


def bar_chart(title, groups, reference_line=None, width=720, height=360):
    """groups: [(label, [(series, value), ...]), ...]."""
    series = []
    for _, bars in groups:
        for name, _ in bars:
            if name not in series:
                series.append(name)
    top = max([v for _, bars in groups for _, v in bars] + [reference_line or 0, 1e-9]) * 1.15
    left, right, upper, lower = 60, 20, 40, 60
    plot_w, plot_h = width - left - right, height - upper - lower
    group_w = plot_w / max(len(groups), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)

    def y(v):
        return upper + plot_h - plot_h * v / top

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (width, height),
           '<text x="%d" y="20" font-size="14">%s</text>' % (left, escape(title)),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (left, upper + plot_h, left + plot_w, upper + plot_h)]
    for gi, (label, bars) in enumerate(groups):
        x0 = left + gi * group_w + group_w * 0.15
        for name, v in bars:
            si = series.index(name)
            x = x0 + si * bar_w
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %.2f</title></rect>' % (
                x, y(v), bar_w - 2, upper + plot_h - y(v), COLOURS[si % len(COLOURS)], escape(label), escape(name), v))
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%.2f</text>' % (x + bar_w / 2, y(v) - 3, v))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (left + gi * group_w + group_w / 2, upper + plot_h + 18, escape(label)))
    if reference_line is not None:
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999" stroke-dasharray="4 3"/>' % (
            left, y(reference_line), left + plot_w, y(reference_line)))
    for si, name in enumerate(series):
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>' % (
            left + si * 200, height - 22, COLOURS[si % len(COLOURS)], left + si * 200 + 16, height - 12, escape(name)))
    out.append("</svg>")
    return "\n".join(out) + "\n"
