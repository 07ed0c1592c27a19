"""Download buttons: PNG and SVG of a figure, XLSX and CSV of a table, the Word briefing.

The files are made only when a button is clicked — Streamlit runs ``data=callable`` on another
thread at that moment — so reruns never render images. What the callables need (figures'
frames, captions, the audit callback) is captured while the page runs; they call no Streamlit.
Each made file is offered to the audit hook (``data.record_export``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard import data, ui
from dashboard.exports import static, tables, titles

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SMALL = {"type": "tertiary", "icon": ":material/download:"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class Subject:
    """What an export shows: the view, the region (code and name), quarter and indicator.

    ``span`` (first and last quarter) replaces the quarter in captions of charts over time;
    ``filters`` says what else selected the rows (the description sheet of a spreadsheet).
    """

    view: str
    region: str
    name: str
    period: str | None = None
    indicator: str | None = None
    span: tuple[str, str] | None = None
    filters: str = ""


def file_name(subject: Subject, title: str, fmt: str) -> str:
    """``<title>_<quarter>.<fmt>`` without characters file systems refuse.

    Examples
    --------
    >>> file_name(Subject("map", "630000", "青海省", "2025Q4"), "青海省各市州 负担指数", "png")
    '青海省各市州_负担指数_2025Q4.png'

    """
    stem = "_".join(p for p in (title, subject.period or "") if p)
    return f"{_UNSAFE.sub('_', stem)}.{fmt}"


def caption(subject: Subject, title: str) -> titles.Caption:
    """The caption of an export of ``subject`` titled ``title``, in the session's language."""
    return titles.caption(
        title,
        data.export_provenance(),
        region=subject.name,
        period=subject.span or subject.period,
        indicator=subject.indicator,
        filters=subject.filters,
        lang=ui.lang(),
    )


def audited(
    view: str,
    fmt: str,
    region: str,
    period: str | None,
    indicator: str | None,
    make: Callable[[], bytes],
) -> Callable[[], bytes]:
    """``make``, recording the export (``data.record_export``) each time it makes the file."""
    record = data.record_export(view, fmt, region, period, indicator)

    def made() -> bytes:
        out = make()
        record()
        return out

    return made


def _button(
    subject: Subject,
    title: str,
    fmt: str,
    make: Callable[[], bytes],
    key: str,
    *,
    view: str | None = None,
    label: str | None = None,
    **options: str,
) -> None:
    """A download button making its file with ``make`` when clicked, then auditing it."""
    view = view or subject.view
    st.download_button(
        label or ui.t(f"export_{fmt}"),
        data=audited(view, fmt, subject.region, subject.period, subject.indicator, make),
        file_name=file_name(subject, title, fmt),
        mime=MIME[fmt],
        key=key,
        on_click="ignore",
        **options,
    )


def figure_buttons(
    subject: Subject,
    title: str,
    figure: Callable[[], go.Figure],
    key: str,
    size: tuple[int, int] | None = None,
) -> None:
    """PNG and SVG of ``figure()``, captioned, ``size`` px (default: a chart's export size)."""
    cap = caption(subject, title)

    def render(fmt: static.Format) -> Callable[[], bytes]:
        return lambda: static.image(titles.framed(figure(), cap, size), fmt)

    with st.container(horizontal=True, gap="small"):
        for fmt in static.FORMATS:
            _button(subject, title, fmt, render(fmt), f"{key}-{fmt}", **SMALL)


def chart(
    figure: go.Figure,
    subject: Subject,
    title: str,
    export_key: str,
    size: tuple[int, int] | None = None,
    **options: Any,
) -> Any:
    """``st.plotly_chart(figure, **options)`` with its PNG and SVG buttons below it.

    Returns the chart's selection event (``options`` may ask for one, with a ``key``).
    """
    event = st.plotly_chart(figure, **options)
    figure_buttons(subject, title, lambda: figure, export_key, size)
    return event


def table_buttons(
    subject: Subject, title: str, table: Callable[[titles.Caption], tables.Table], key: str
) -> None:
    """XLSX and CSV of the table ``table(caption)`` returns."""
    cap = caption(subject, title)

    def write(fmt: str) -> Callable[[], bytes]:
        return lambda: tables.write(table(cap), fmt)

    with st.container(horizontal=True, gap="small"):
        for fmt in tables.FORMATS:
            _button(subject, title, fmt, write(fmt), f"{key}-{fmt}", **SMALL)


def briefing_button(subject: Subject, key: str) -> None:
    """生成简报: the Word briefing on the subject's region and quarter."""
    _button(
        subject,
        ui.t("brief_title", region=subject.name),
        "docx",
        data.briefing_maker(subject.region, subject.period, ui.lang()),
        key,
        view="brief",
        label=ui.t("export_brief"),
        help=ui.t("export_brief_help"),
        icon=":material/description:",
    )
