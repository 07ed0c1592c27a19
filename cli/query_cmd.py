"""``burdenmap query``: burden statistics of the regions of one level, as CSV, JSON or a table."""

from __future__ import annotations

import math

import click
import pandas as pd

from cli.main import Context, command

FORMATS = ("csv", "json", "table")
LEVELS = "{province,prefecture,county,township,village}"
HEADERS_ZH = {
    "code": "代码",
    "name": "名称",
    "level": "层级",
    "parent_code": "上级代码",
    "period": "季度",
    "indicator": "指标",
    "mean": "均值",
    "median": "中位数",
    "p90": "P90",
    "total": "合计",
    "villages": "村数",
    "reported": "已报送",
    "reported_share": "报送率%",
    "over_target_share": "超标率%",
    "change_vs_baseline": "较基期",
    "change_vs_baseline_pct": "较基期%",
    "change_vs_year_ago_pct": "同比%",
    "rebound": "反弹",
    "rank": "排名",
    "percentile": "百分位",
    "peers": "参比数",
    "peer_group": "参比组",
    "peer_fallback": "组过小",
}
_SHARES = ("reported_share", "over_target_share")


def _cell(value: object) -> str:
    """A table cell: one decimal for floats, blank for missing values."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return str(value)


def render(df: pd.DataFrame, fmt: str, headers: dict[str, str] | None = None) -> str:
    """``df`` as CSV, JSON (records) or a human-readable table (with ``headers`` renamed)."""
    if fmt == "csv":
        return df.to_csv(index=False)
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    table = df.map(_cell).rename(columns=headers or {})
    with pd.option_context("display.unicode.east_asian_width", True):
        return table.to_string(index=False) + "\n"


def register(cli: click.Group) -> None:
    """Add ``query`` to ``cli``."""

    @command(cli, "query")
    @click.option("--level", required=True, metavar=LEVELS, help="Level of the listed regions.")
    @click.option("--parent", default=None, metavar="CODE", help="Any ancestor region's code.")
    @click.option("--period", default=None, metavar="YYYYQn", help="Quarter [default: latest].")
    @click.option(
        "--indicator",
        default="index",
        show_default=True,
        metavar="index|CODE",
        help="Burden index or an indicator code (see `burdenmap indicators`).",
    )
    @click.option("--peer-group", is_flag=True, help="Rank within the area-type peer group.")
    @click.option("--include-communities", is_flag=True, help="Include communities (社区).")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    def query(
        ctx: Context,
        level: str,
        parent: str | None,
        period: str | None,
        indicator: str,
        peer_group: bool,
        include_communities: bool,
        fmt: str,
    ) -> None:
        """List the regions of a level with burden statistics, ranks and change since baseline."""
        from metrics import hierarchy, periods, queries, registry
        from metrics.scope import Scope
        from metrics.store import Reader

        reader = Reader(ctx.db_path)
        try:
            df = queries.query(
                reader,
                level,
                Scope.everything(),
                parent=parent,
                period=period,
                indicator=indicator,
                peer_group=peer_group,
                include_communities=include_communities,
            )
        finally:
            reader.close()
        zh = ctx.language == "zh"
        if fmt == "table":
            first = df["period"].iloc[0] if len(df) else None
            title = [periods.label(first, ctx.language)] if first else []
            click.echo(" · ".join([*title, registry.label(indicator, ctx.language)]))
            df = df.assign(**{c: df[c] * 100 for c in _SHARES})
            if zh:
                df = df.assign(level=df["level"].map(hierarchy.LEVEL_NAMES_ZH))
        headers = HEADERS_ZH if zh else None
        click.echo(render(df, fmt, headers), nl=False)
