"""``burdenmap sample``: draw an inspection sample; write the checklist workbook or a CSV."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from cli.main import Context, command
from cli.query_cmd import render

OUTPUTS = (".xlsx", ".csv")


def register(cli: click.Group) -> None:
    """Add ``sample`` to ``cli``."""

    @command(cli, "sample")
    @click.option(
        "--n", "n", default=60, show_default=True, type=click.IntRange(min=1), help="Villages."
    )
    @click.option("--seed", default=7, show_default=True, type=int, help="Random seed (recorded).")
    @click.option("--period", default=None, metavar="YYYYQn", help="Quarter [default: latest].")
    @click.option("--within", default=None, metavar="CODE", help="Region sampled [default: all].")
    @click.option(
        "--random-share",
        type=click.FloatRange(0, 1),
        default=None,
        help="Share drawn purely at random [default: 0.2; env BURDENMAP_SAMPLE_RANDOM_SHARE].",
    )
    @click.option(
        "--exclude-visited",
        type=click.IntRange(min=0),
        default=None,
        metavar="K",
        help="Skip villages visited for the last K quarters [default: 4].",
    )
    @click.option(
        "--allocation",
        type=click.Choice(("proportional", "equal")),
        default="proportional",
        show_default=True,
        help="Split between counties in proportion to their villages, or equally.",
    )
    @click.option("--include-communities", is_flag=True, help="Communities (社区) may be drawn.")
    @click.option("--save", is_flag=True, help="Store the sample as a draft in the database.")
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="picks.xlsx (one checklist sheet per village) or picks.csv; default: print a table.",
    )
    def sample(
        ctx: Context,
        n: int,
        seed: int,
        period: str | None,
        within: str | None,
        random_share: float | None,
        exclude_visited: int | None,
        allocation: str,
        include_communities: bool,
        save: bool,
        output: Path | None,
    ) -> None:
        """Draw a risk-weighted, stratified inspection sample of villages (reproducible)."""
        from metrics import checklist, queries, sampling, settings
        from metrics.scope import Scope
        from metrics.store import Reader

        if output is not None and output.suffix.lower() not in OUTPUTS:
            raise click.BadParameter("use a .xlsx or .csv file name", param_hint="--output")
        zh = ctx.language == "zh"
        design = sampling.Design(
            n=n,
            seed=seed,
            period=period,
            within=within,
            random_share=random_share,
            exclude_visited=exclude_visited,
            allocation=allocation,
            include_communities=include_communities,
        )
        everything = Scope.everything()
        reader = Reader(ctx.db_path)
        try:
            drawn = sampling.sample(reader, design, everything)
            simulated = reader.meta().get("simulated", "true") != "false"
            area = queries.region_info(reader, within, everything).name if within else "全部"
        finally:
            reader.close()
        d, picks = drawn.design, drawn.picks
        risky = int((picks["draw"] == "risk").sum())
        control = len(picks) - risky
        click.echo(
            f"{d.period} 抽取 {len(picks)} 个村（风险加权 {risky}，随机对照 {control}）；可抽 "
            f"{drawn.eligible} 个，近 {d.exclude_visited} 个季度已核查排除 {drawn.excluded} 个；"
            f"种子 {d.seed}。"
            if zh
            else f"{d.period}: drew {len(picks)} villages ({risky} risk-weighted, {control} random "
            f"control) of {drawn.eligible} eligible; {drawn.excluded} visited for the last "
            f"{d.exclude_visited} quarters left out; seed {d.seed}.",
            err=output is None,
        )
        if output is None:
            table = picks.assign(flags=picks["flags"].map(",".join))
            columns = ["village_code", "name", "township", "county", "draw", "flags"]
            click.echo(render(table[columns], "table"), nl=False)
        elif output.suffix.lower() == ".csv":
            output.write_bytes(checklist.csv(drawn))
        else:
            marking = "模拟数据" if simulated else settings.get("marking")
            output.write_bytes(checklist.workbook(drawn, marking, area))
        if output is not None:
            click.echo(("已写入 " if zh else "Wrote ") + str(output))
        if save:
            number = sampling.save(ctx.db_path, drawn, everything, user=getpass.getuser())
            click.echo(
                f"已保存为草稿 S{number}，在“督查抽样”页发布。"
                if zh
                else f"Saved as draft S{number}; release it on the inspection page."
            )
