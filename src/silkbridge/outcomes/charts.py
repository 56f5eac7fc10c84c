"""Plotly charts of a report, rendered as HTML fragments that load plotly.js from this site, never a CDN.

There is no map of city pairs: plotly's geographic traces fetch their outlines from a CDN
(cdn.plot.ly/un/world_110m.json) even with the bundled plotly.js, and the reference cities
carry no coordinates to place on an outline of our own either.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from decimal import Decimal

import plotly.graph_objects as go
import plotly.io as pio

from silkbridge.outcomes.reports import UNDATED, Report

MILLION = Decimal(1_000_000)
CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"format": "svg"}}
COLOURS = {"agreements": "#1f5f8b", "investments": "#c0392b", "relations": "#2e8b57", "visits": "#b8860b"}
KIND_COLOURS = {"organisation": "#1f5f8b", "city": "#2e8b57", "government": "#8e44ad"}


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(title=title, template="plotly_white", height=height, margin={"l": 60, "r": 20, "t": 60, "b": 60},
                      legend={"orientation": "h", "y": -0.15})
    return fig


def year_chart(report: Report) -> go.Figure:
    # Undated records (most city partnerships) have no place on a time axis; the tables list them.
    years = [r for r in report.by_year if r.key != UNDATED]
    x = [r.label for r in years]
    fig = go.Figure()
    for name, attr in (("Agreements", "agreements"), ("Investment projects", "investments"),
                       ("City partnerships", "relations"), ("Delegation visits", "visits")):
        fig.add_bar(name=name, x=x, y=[getattr(r, attr) for r in years], marker_color=COLOURS[attr])
    fig.update_layout(barmode="stack", xaxis={"type": "category"}, yaxis_title="records")
    return _layout(fig, "Records by year")


def investment_year_chart(report: Report) -> go.Figure:
    years = [r for r in report.by_year if r.investments and r.key != UNDATED]
    fig = go.Figure(go.Bar(x=[r.label for r in years], y=[float(r.usd / MILLION) for r in years],
                           marker_color=COLOURS["investments"], name="USD million"))
    fig.update_layout(xaxis={"type": "category"}, yaxis_title="USD million")
    return _layout(fig, "Investment by year (USD million at signing-date rates)")


def country_chart(report: Report) -> go.Figure:
    rows = [r for r in report.by_country if r.investments or r.agreements or r.relations][:25][::-1]
    fig = go.Figure()
    fig.add_bar(name="Investment, USD million", y=[r.label for r in rows], x=[float(r.usd / MILLION) for r in rows],
                orientation="h", marker_color=COLOURS["investments"])
    fig.add_bar(name="City partnerships", y=[r.label for r in rows], x=[r.relations for r in rows], orientation="h",
                marker_color=COLOURS["relations"], xaxis="x2")
    fig.update_layout(xaxis={"title": "USD million", "domain": [0, 0.6]},
                      xaxis2={"title": "partnerships", "domain": [0.65, 1], "anchor": "y"},
                      yaxis={"automargin": True})
    return _layout(fig, "By country", height=max(360, 28 * len(rows) + 140))


def sector_chart(report: Report) -> go.Figure:
    rows = [r for r in report.by_sector if r.investments][::-1]
    fig = go.Figure(go.Bar(y=[r.label for r in rows], x=[float(r.usd / MILLION) for r in rows], orientation="h",
                           marker_color=COLOURS["investments"], text=[f"{r.investments} projects" for r in rows],
                           textposition="auto", name="USD million"))
    fig.update_layout(xaxis_title="USD million", yaxis={"automargin": True})
    return _layout(fig, "Investment by sector (NACE)", height=max(320, 32 * len(rows) + 140))


def network_layout(report: Report) -> dict[str, tuple[float, float]]:
    """Chinese parties on the left arc, all others on the right, each side ordered by country and name.

    Deterministic, so the same records always draw the same picture.
    """
    left = sorted((n for n in report.nodes if n.country == "CN"), key=lambda n: n.label)
    right = sorted((n for n in report.nodes if n.country != "CN"), key=lambda n: (n.country, n.label))
    positions: dict[str, tuple[float, float]] = {}
    for side, nodes in ((-1, left), (1, right)):
        count = len(nodes)
        for i, node in enumerate(nodes):
            # Spread over a half circle from top to bottom, away from the poles so labels do not pile up.
            angle = math.pi * (0.05 + 0.9 * (i + 0.5) / count) if count else 0
            positions[node.key] = (side * math.sin(angle), math.cos(angle))
    return positions


def network_chart(report: Report) -> go.Figure:
    pos = network_layout(report)
    degree: Counter[str] = Counter()
    ex: list[float | None] = []
    ey: list[float | None] = []
    for e in report.edges:
        degree[e.a] += e.records
        degree[e.b] += e.records
        ex += [pos[e.a][0], pos[e.b][0], None]
        ey += [pos[e.a][1], pos[e.b][1], None]
    fig = go.Figure()
    fig.add_scatter(x=ex, y=ey, mode="lines", line={"width": 0.6, "color": "#9aa7b1"}, hoverinfo="skip",
                    showlegend=False)
    for kind, colour in KIND_COLOURS.items():
        nodes = [n for n in report.nodes if n.kind == kind]
        if not nodes:
            continue
        fig.add_scatter(
            x=[pos[n.key][0] for n in nodes], y=[pos[n.key][1] for n in nodes], mode="markers", name=kind,
            marker={"size": [6 + 2 * math.sqrt(degree[n.key]) for n in nodes], "color": colour},
            text=[f"{n.label} ({n.country}): {degree[n.key]} links" for n in nodes], hoverinfo="text",
        )
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"})
    return _layout(fig, "Who cooperates with whom (China left, partners right)", height=640)


def html(fig: go.Figure, div_id: str) -> str:
    """The chart as a <div> and its figure as a JSON block that static/outcomes/charts.js draws.

    No inline script, so the Content-Security-Policy needs no 'unsafe-inline' nor a per-response
    nonce (a nonce would also keep the page out of the shared page cache).
    """
    spec = f'{{"figure": {pio.to_json(fig, validate=False)}, "config": {json.dumps(CONFIG)}}}'
    # "<", ">" and "&" only occur inside JSON strings, where \u escapes mean the same; "</script>" cannot close the block.
    spec = spec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    height = fig.layout.height or 420
    return (f'<div id="{div_id}" class="plotly-graph-div" style="height:{height}px; width:100%;"></div>'
            f'<script type="application/json" data-plotly-for="{div_id}">{spec}</script>')


def report_charts(report: Report) -> list[tuple[str, str]]:
    """(id, html) of every chart of a report, in page order; charts with nothing to show are left out."""
    charts = []
    if any(r.key != UNDATED for r in report.by_year):
        charts.append(("chart-years", year_chart(report)))
    if report.investments:
        charts.append(("chart-investment-years", investment_year_chart(report)))
        charts.append(("chart-sectors", sector_chart(report)))
    if report.by_country:
        charts.append(("chart-countries", country_chart(report)))
    if report.edges:
        charts.append(("chart-network", network_chart(report)))
    return [(div_id, html(fig, div_id)) for div_id, fig in charts]
