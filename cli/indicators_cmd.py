"""``burdenmap indicators``: the indicator registry with weights and policy targets."""

from __future__ import annotations

import json

import click
import pandas as pd

from cli.main import Context, command
from cli.query_cmd import FORMATS, render


def _indicators() -> list[dict]:
    """The registry with the configured weights and thresholds, one dict per indicator."""
    from metrics import compliance, index, registry

    weights = index.weights()
    thresholds = compliance.thresholds()
    return [
        {
            "code": i.code,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "unit_zh": i.unit_zh,
            "unit_en": i.unit_en,
            "kind": i.kind,
            "direction": i.direction,
            "weight": weights[i.code],
            "max_plausible": i.max_plausible,
            "targets": [
                {
                    "target": t.code,
                    "target_kind": t.kind,
                    "threshold": thresholds[t.code],
                    "rule_zh": t.rule_zh,
                    "rule_en": t.rule_en,
                    "basis_zh": t.basis_zh,
                    "basis_en": t.basis_en,
                }
                for t in i.targets
            ],
        }
        for i in registry.INDICATORS
    ]


def _blocks(rows: list[dict], lang: str) -> str:
    """Readable text: one line per indicator, then its targets with rule and basis."""
    zh = lang == "zh"
    words = (
        {"stock": "存量", "flow": "流量", "weight": "权重", "max": "合理上限", "basis": "依据："}
        if zh
        else {
            "stock": "stock",
            "flow": "flow",
            "weight": "weight",
            "max": "max plausible",
            "basis": "Basis: ",
        }
    )
    suffix = "zh" if zh else "en"
    lines = []
    for r in rows:
        lines.append(
            f"{r['code']}  {r['name_' + suffix]} ({r['unit_' + suffix]}, {words[r['kind']]})  "
            f"{words['weight']} {r['weight']:g}  {words['max']} {r['max_plausible']}"
        )
        for t in r["targets"]:
            lines.append(f"  · {t['target']} (≤ {t['threshold']:g})  {t['rule_' + suffix]}")
            lines.append(f"    {words['basis']}{t['basis_' + suffix]}")
    return "\n".join(lines) + "\n"


def register(cli: click.Group) -> None:
    """Add ``indicators`` to ``cli``."""

    @command(cli, "indicators")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
    def indicators(ctx: Context, fmt: str) -> None:
        """Print the indicators: names, unit, stock/flow, weight, targets and their basis."""
        rows = _indicators()
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        elif fmt == "csv":
            flat = pd.DataFrame(
                [
                    {**{k: v for k, v in r.items() if k != "targets"}, **t}
                    for r in rows
                    for t in r["targets"] or [{}]
                ]
            )
            click.echo(render(flat, fmt), nl=False)
        else:
            click.echo(_blocks(rows, ctx.language), nl=False)
