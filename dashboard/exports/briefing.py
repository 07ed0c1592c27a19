"""The one-click briefing (生成简报): a Word document on a region and quarter, laid out 公文-style.

Title, date, numbered sections (一、二、…) with a summary written from the numbers (level, change
since baseline, rank among peers, targets met and missed, heaviest sub-regions, leading
departments), the map, the trend chart, the league table of the sub-regions, the compliance
table and the methodology note. Chinese text carries East-Asian fonts (``w:eastAsia``) so Word
does not substitute them: 方正小标宋简体 for the title, 黑体 for headings, 仿宋_GB2312 三号 for
the body — Chinese office PCs have them; elsewhere the reader substitutes (Noto CJK on Linux).
The marking line heads every page.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import _ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from dashboard import method_text
from dashboard.exports import content, static, tables, titles
from dashboard.exports.tables import Table
from dashboard.i18n import fmt_number, fmt_pct, t
from metrics import comparison, compliance, departments, periods, queries, registry, sql
from metrics.exports.provenance import Provenance, provenance
from metrics.scope import Scope

TITLE_FONT, HEADING_FONT, BODY_FONT, CAPTION_FONT = (
    "方正小标宋简体",
    "黑体",
    "仿宋_GB2312",
    "楷体_GB2312",
)
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, TABLE_PT, SMALL_PT = 22, 16, 10.5, 12
LINE_PT = 28  # 公文: 22 lines of 三号 text per page
FIGURE_CM = 15.5
NUMERALS = "一二三四五六七八九十"
TOP = 3  # heaviest sub-regions and leading departments named in the summary
DEPARTMENT_ROWS = 10
METHOD_SECTIONS = ("index", "targets", "rollups")
# Columns (key, width in cm) of the briefing's tables: 15.5 cm of text width.
CHILD_COLUMNS = (
    ("rank", 1.3),
    ("name", 3.4),
    ("mean", 3.0),
    ("change_vs_baseline_pct", 2.6),
    ("targets_met", 2.4),
    ("reported_pct", 2.8),
)
TARGET_COLUMNS = (
    ("indicator_name", 2.4),
    ("rule", 6.8),
    ("met_pct", 2.0),
    ("broken_pct", 2.0),
    ("unknown_pct", 2.3),
)
DEPARTMENT_COLUMNS = (
    ("rank", 1.3),
    ("name", 5.0),
    ("items", 2.0),
    ("assignments", 2.4),
    ("offlist_items", 2.2),
    ("change_vs_previous_pct", 2.6),
)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# How numbers of each column kind read in a table cell (text kinds: as they are).
CELLS: dict[str, Callable[[object], str]] = {
    "int": lambda v: "—" if _missing(v) else f"{int(v):,}",
    "number": lambda v: "—" if _missing(v) else f"{v:,.1f}",
    "signed": lambda v: "—" if _missing(v) else f"{v:+.1f}",
}


@dataclass(frozen=True)
class Facts:
    """The numbers the summary is written from."""

    region: queries.Region
    period: str
    provenance: Provenance
    kpis: queries.Kpis
    children: pd.DataFrame  # queries.children, heaviest first
    rank: tuple[int, int, str] | None  # rank, peers, level
    shares: pd.DataFrame  # compliance.shares
    league: pd.DataFrame  # departments.league


def facts(db: sql.Queryable, scope: Scope, code: str, period: str | None = None) -> Facts:
    """Gather what the briefing on ``code`` in ``period`` (default: latest) says."""
    period = periods.require(db, period)
    crumbs = queries.ancestors(db, code, scope)
    region = crumbs[-1]
    rank = None
    if region.level in comparison.LEVELS:
        level, focus = content.peer_focus(region, crumbs)
        me = comparison.peers(db, level, period, registry.INDEX_CODE, scope, focus).table
        me = me[me["is_self"] & me["rank"].notna()]
        if len(me):
            rank = (int(me["rank"].iloc[0]), int(me["peers"].iloc[0]), level)
    return Facts(
        region=region,
        period=period,
        provenance=provenance(db),
        kpis=queries.kpis(db, code, period, scope),
        children=queries.children(db, code, period, registry.INDEX_CODE, scope),
        rank=rank,
        shares=compliance.shares(db, code, period, scope),
        league=departments.league(db, period, scope, code),
    )


def _listed(named: Sequence[tuple[str, str]], lang: str) -> str:
    """``甲（1.0）、乙（2.0）`` or ``A (1.0), B (2.0)``."""
    parts = [t("brief_named", lang, name=name, value=value) for name, value in named]
    return ("、" if lang == "zh" else ", ").join(parts)


def _level(level: str, lang: str) -> str:
    """A level's plural name as used inside a sentence."""
    name = t(f"level_{level}", lang)
    return name if lang == "zh" else name.lower()


def summary(f: Facts, lang: str = "zh") -> list[str]:
    """The summary paragraphs, written from the numbers."""
    k, num = f.kpis, lambda v: fmt_number(v, lang)
    base = periods.label(f.provenance.baseline, lang) if f.provenance.baseline else "—"
    first = t(
        "brief_s_level",
        lang,
        period=periods.label(f.period, lang),
        region=f.region.name,
        villages=f"{k.villages:,}",
        reported=f"{k.reported:,}",
        share=fmt_pct(None if k.reported_share is None else 100 * k.reported_share),
        index=num(k.mean_index),
        baseline=base,
    )
    if k.change_vs_baseline_pct is not None:
        key = "brief_s_down" if k.change_vs_baseline_pct <= 0 else "brief_s_up"
        first += t(
            key, lang, base=num(k.baseline_index), pct=fmt_pct(abs(k.change_vs_baseline_pct))
        )
    if f.rank:
        rank, count, level = f.rank
        first += t("brief_s_rank", lang, count=count, level=_level(level, lang), rank=rank)
    paragraphs = [first]
    judged = f.shares[f.shares["unknown_share"] < 0.5]
    if len(judged):
        best = judged.sort_values("met_share", ascending=False).iloc[0]
        worst = judged.sort_values("broken_share", ascending=False).iloc[0]
        text = t(
            "brief_s_targets",
            lang,
            judged=len(judged),
            best=tables.target_text(best["target"], lang)[0],
            best_pct=fmt_pct(100 * best["met_share"]),
            worst=tables.target_text(worst["target"], lang)[0],
            worst_pct=fmt_pct(100 * worst["broken_share"]),
        )
        met = int((judged["broken_share"] == 0).sum())
        if met:
            text += t("brief_s_all_met", lang, met=met)
        unknown = len(f.shares) - len(judged)
        if unknown:
            text += t("brief_s_unknown", lang, count=unknown)
        paragraphs.append(text)
    kids = f.children.dropna(subset=["mean"]).head(TOP)
    if len(kids):
        names = _listed([(r.name, num(r.mean)) for r in kids.itertuples()], lang)
        level = _level(kids["level"].iloc[0], lang)
        paragraphs.append(t("brief_s_heaviest", lang, level=level, names=names))
    if len(f.league):
        lead = f.league.head(TOP)
        names = [(r.name, f"{r.assignments:,}") for r in lead.itertuples()]
        paragraphs.append(
            t(
                "brief_s_departments",
                lang,
                names=_listed(names, lang),
                share=fmt_pct(100 * lead["assignment_share"].sum()),
                offlist=f"{int(f.league['offlist_assignments'].sum()):,}",
            )
        )
    return paragraphs


# --- Word layout ----------------------------------------------------------------------------


def _fonts(target: Run | _ParagraphStyle, east_asian: str, size: float, bold: bool = False) -> None:
    """Latin and East-Asian fonts, size and weight of a run or a style."""
    target.font.name, target.font.size, target.font.bold = LATIN_FONT, Pt(size), bold
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _write(
    paragraph: Paragraph, text: str, font: str = BODY_FONT, size: float = BODY_PT, **kw: bool
) -> Paragraph:
    _fonts(paragraph.add_run(text), font, size, **kw)
    return paragraph


def _page_field(paragraph: Paragraph) -> None:
    """The page number (a ``PAGE`` field) in ``paragraph``."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    run = paragraph.add_run("1")
    _fonts(run, BODY_FONT, SMALL_PT)
    field.append(run._r)


class _Brief:
    """A 公文-style document: A4, GB/T 9704 margins, numbered sections, figures and tables."""

    def __init__(self, title: str, marking: str, lang: str) -> None:
        self.doc = Document()
        self.lang = lang
        self.counts = {"section": 0, "figure": 0, "table": 0}
        self.doc.core_properties.title = title
        self.doc.core_properties.subject = marking
        styles = self.doc.styles
        _fonts(styles["Normal"], BODY_FONT, BODY_PT)
        defaults = styles.element.find(qn("w:docDefaults"))
        defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).set(
            qn("w:eastAsia"),
            "zh-CN",  # Chinese line breaking and font choice
        )
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.header_distance, section.footer_distance = Cm(1.5), Cm(2.2)
        _write(section.header.paragraphs[0], marking, HEADING_FONT, SMALL_PT, bold=True)
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(foot, "— ", size=SMALL_PT)
        _page_field(foot)
        _write(foot, " —", size=SMALL_PT)

    def next(self, what: str) -> int:
        """The next section, figure or table number."""
        self.counts[what] += 1
        return self.counts[what]

    def paragraph(
        self,
        text: str,
        font: str = BODY_FONT,
        size: float = BODY_PT,
        *,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = False,
        exact: bool = True,
    ) -> Paragraph:
        """A paragraph of one run; body text has exact 28-pt lines and a two-character indent."""
        p = _write(self.doc.add_paragraph(), text, font, size)
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = Pt(2 * size)
        if exact:
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        return p

    def heading(self, text: str) -> None:
        """``一、text`` (``1. text``) in 黑体."""
        n, lang = self.next("section"), self.lang
        numbered = t("brief_heading", lang, n=NUMERALS[n - 1] if lang == "zh" else n, text=text)
        self.paragraph(numbered, HEADING_FONT).paragraph_format.keep_with_next = True

    def caption(self, text: str) -> None:
        """A centred figure or table caption in 楷体."""
        p = self.paragraph(
            text, CAPTION_FONT, SMALL_PT, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False
        )
        p.paragraph_format.space_after = Pt(6)
        p.paragraph_format.keep_with_next = True

    def figure(self, png: bytes, title: str) -> None:
        """A full-width picture with its numbered caption below."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.add_run().add_picture(io.BytesIO(png), width=Cm(FIGURE_CM))
        self.caption(t("brief_figure", self.lang, n=self.next("figure"), title=title))

    def table(self, spec: Table, shown: Sequence[tuple[str, float]]) -> None:
        """A numbered table of ``spec``'s columns ``shown`` (key, width in cm).

        The header row is bold and repeated on every page; numbers are right-aligned and shown
        as in the spreadsheets (one decimal, thousands separators, signed changes).
        """
        self.caption(t("brief_table", self.lang, n=self.next("table"), title=spec.title))
        by_key = {c.key: c for c in spec.columns}
        columns = [by_key[key] for key, _ in shown]
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for cell, column in zip(table.rows[0].cells, columns, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _write(cell.paragraphs[0], column.header, HEADING_FONT, TABLE_PT)
        for record in spec.frame.to_dict("records"):
            for cell, column in zip(table.add_row().cells, columns, strict=True):
                text = CELLS.get(column.kind, str)(record[column.key])
                if column.kind in CELLS:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _write(cell.paragraphs[0], text, BODY_FONT, TABLE_PT)
        table.autofit = False
        for column, (_, width) in zip(table.columns, shown, strict=True):
            column.width = Cm(width)  # the grid (LibreOffice) and each cell (Word)
            for cell in column.cells:
                cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(6)

    def bytes(self) -> bytes:
        """The document as DOCX bytes."""
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


# --- content ----------------------------------------------------------------------------------


def _plain(markdown: str) -> str:
    """Methodology prose without Markdown emphasis and TeX (``$m_i$`` → ``m_i``)."""
    return re.sub(r"\$([^$]+)\$", r"\1", markdown.replace("**", ""))


def _cap(f: Facts, title: str, lang: str) -> titles.Caption:
    return titles.caption(title, f.provenance, region=f.region.name, period=f.period, lang=lang)


def _tables(brief: _Brief, f: Facts) -> dict[str, Table]:
    """The sub-regions, targets and departments as the spreadsheets have them."""
    lang = brief.lang
    level = _level(f.children["level"].iloc[0], lang) if len(f.children) else ""
    return {
        "children": tables.listing_table(
            f.children,
            _cap(f, t("brief_t_children", lang, level=level), lang),
            indicator=registry.INDEX_CODE,
            lang=lang,
        ),
        "targets": tables.compliance_table(f.shares, _cap(f, t("targets_title", lang), lang), lang),
        "departments": tables.departments_table(
            f.league.head(DEPARTMENT_ROWS), _cap(f, t("items_by_department", lang), lang), lang
        ),
    }


def build(
    db: sql.Queryable,
    scope: Scope,
    code: str,
    period: str | None = None,
    *,
    lang: str = "zh",
    today: date | None = None,
) -> bytes:
    """The briefing on ``code`` in ``period`` (default: the latest) as DOCX bytes.

    Figures are rendered with :mod:`dashboard.exports.static` (its persistent browser).
    """
    f = facts(db, scope, code, period)
    today = today or date.today()
    title = t("brief_title", lang, region=f.region.name)
    brief = _Brief(title, titles.marking(f.provenance.simulated, lang), lang)
    specs = _tables(brief, f)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    brief.paragraph(title, TITLE_FONT, TITLE_PT, align=centre, exact=False)
    brief.paragraph(t("brief_subtitle", lang, period=periods.label(f.period, lang)), align=centre)
    brief.paragraph("")
    brief.heading(t("brief_h_summary", lang))
    for text in summary(f, lang):
        brief.paragraph(text, indent=True)
    if len(f.children):
        level = _level(f.children["level"].iloc[0], lang)
        brief.heading(t("brief_h_children", lang, level=level))
        view = content.map_export(db, scope, code, f.period, registry.INDEX_CODE, lang)
        brief.figure(static.image(view.figure), view.caption.title)
        brief.table(specs["children"], CHILD_COLUMNS)
    brief.heading(t("brief_h_trend", lang))
    view = content.trend_export(db, scope, code, f.period, registry.INDEX_CODE, lang)
    brief.figure(static.image(view.figure), view.caption.title)
    brief.heading(t("brief_h_targets", lang))
    brief.table(specs["targets"], TARGET_COLUMNS)
    if len(f.league):
        brief.heading(t("brief_h_departments", lang))
        brief.table(specs["departments"], DEPARTMENT_COLUMNS)
    brief.heading(t("brief_h_method", lang))
    for key in METHOD_SECTIONS:
        brief.paragraph(_plain(method_text.SECTIONS[key][lang][1]), indent=True)
    brief.paragraph(t("brief_vintage", lang, vintage=f.provenance.vintage), indent=True)
    if f.provenance.simulated:
        brief.paragraph(t("simulated_banner", lang), indent=True)
    brief.paragraph("")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    brief.paragraph(t("app_title", lang), align=right)
    when = t("brief_date", lang, year=today.year, month=today.month, day=today.day)
    brief.paragraph(when, align=right)
    return brief.bytes()
