"""One message catalogue (Chinese first, English switchable) and number formatting.

Pure Python — no Streamlit — so figure builders, exports and the CLI share it. A test checks
that every key has both languages and that format fields agree between them.
"""

from __future__ import annotations

import math
import re

LANGS = ("zh", "en")
MISSING = "—"  # shown for a missing value, in text and in tables (``st.dataframe(placeholder=)``)

MESSAGES: dict[str, tuple[str, str]] = {
    # app frame
    "app_title": ("村级组织负担地图", "Village burden map"),
    "page_map": ("负担地图", "Burden map"),
    "page_trends": ("趋势", "Trends"),
    "page_method": ("方法与数据", "Methodology & data"),
    "language": ("语言 / Language", "Language / 语言"),
    "simulated_banner": (
        "本库数据为按公开资料校准的模拟数据，村庄位置为近似位置，不代表任何真实村庄。",
        "Figures are simulated (calibrated to published sources) and village positions are "
        "approximate; they describe no real village.",
    ),
    "simulated_mark": ("模拟数据", "Simulated data"),
    "old_schema": (
        "数据库结构版本 {found} 早于本程序的 {current}：请运行 `burdenmap upgrade`（数据不变）。",
        "The database schema {found} is older than this program's {current}: run "
        "`burdenmap upgrade` (data is kept).",
    ),
    "no_database": (
        "尚未找到数据库 {path}。请先运行 `make run`（自动生成模拟数据）或 `burdenmap init`。",
        "No database at {path}. Run `make run` (builds the simulated demo) or `burdenmap init`.",
    ),
    # filters
    "indicator": ("指标", "Indicator"),
    "period": ("统计期", "Quarter"),
    "region": ("地区", "Region"),
    "village_search": ("按名称查找（村、乡镇等）", "Find by name (village, township …)"),
    "village_search_hint": ("输入名称，如 红卫", "Type a name, e.g. 红卫"),
    "village_search_none": ("没有找到该名称的地区。", "No region of that name."),
    "show_counties": ("全省按县区显示", "Show all counties"),
    "scheme": ("分级方法", "Classification"),
    "scheme_quantiles": ("分位数", "Quantiles"),
    "scheme_natural_breaks": ("自然断点", "Natural breaks"),
    "scheme_equal_interval": ("等间距", "Equal interval"),
    "fixed_to_baseline": ("分级固定为基期", "Breaks fixed to baseline"),
    "include_communities": ("包含社区", "Include communities"),
    "map_renderer": ("地图方式", "Map renderer"),
    "renderer_webgl": ("WebGL 地图（默认）", "WebGL map (default)"),
    "renderer_svg": ("SVG 地图（旧电脑）", "SVG map (old PCs)"),
    # notices
    "invalid_param": (
        "链接参数 {name}={value} 无效，已改用 {fallback}。",
        "URL parameter {name}={value} is invalid; using {fallback} instead.",
    ),
    "out_of_scope": ("无权查看该地区。", "You may not view this region."),
    # map page
    "breadcrumb_home": ("全省", "Province"),
    "legend_title": ("图例（{scheme}）", "Legend ({scheme})"),
    "no_data": ("无数据", "No data"),
    "children_table": ("下级地区", "Sub-regions"),
    "col_name": ("名称", "Name"),
    "col_value": ("数值", "Value"),
    "col_rank": ("排名", "Rank"),
    "col_change": ("较基期变化", "Change since baseline"),
    "col_targets_met": ("达标率", "Targets met"),
    "kpi_villages": ("已报送村数（共 {total}）", "Villages reported (of {total})"),
    "kpi_mean_index": ("平均负担指数", "Mean burden index"),
    "kpi_heaviest": ("负担最重", "Heaviest"),
    "kpi_lightest": ("负担最轻", "Lightest"),
    "village_card": ("村情卡片", "Village card"),
    "drill_hint": (
        "点击地图或表格中的地区可下钻；面包屑可返回上级。",
        "Click a region on the map or in the table to drill down; the breadcrumb goes back up.",
    ),
    "kpi_villages_help": (
        "已报送村数 / 应报送村数（不含社区）",
        "Villages reported / villages expected (communities excluded)",
    ),
    "kpi_change_help": (
        "较基期变化；下降（绿色）表示减负",
        "Change since the baseline; a fall (green) means less burden",
    ),
    "kpi_targets": ("目标达标率", "Targets met"),
    "kpi_targets_help": (
        "各项可判定目标的平均达标村比例；缺少明细数据的目标计为“未知”，不计为达标",
        "Mean share of villages meeting each target; targets without item data "
        "count as unknown, never as met",
    ),
    "schematic_note": (
        "示意图。南海诸岛见右下角小图；台湾省、香港特别行政区、澳门特别行政区暂无数据（灰色）。",
        "Schematic map. The South China Sea islands are shown in the inset (lower right); no "
        "data for Taiwan, Hong Kong and Macao (grey).",
    ),
    "positions_note": (
        "村庄位置为近似位置（按乡镇在县域内生成），并非真实坐标。",
        "Village positions are approximate (placed by township within the "
        "county), not real coordinates.",
    ),
    "level_country": ("省份", "Provinces"),
    "level_province": ("省份", "Provinces"),
    "level_prefecture": ("市州", "Prefectures"),
    "level_county": ("县区", "Counties"),
    "level_township": ("乡镇", "Townships"),
    "level_village": ("村", "Villages"),
    "village_indicators": ("各项指标变化", "Indicators over time"),
    "targets_title": ("目标达标情况", "Targets"),
    "col_target": ("目标", "Target"),
    "col_checked": ("判定值", "Value judged"),
    "col_status": ("状态", "Status"),
    "status_met": ("达标", "Met"),
    "status_broken": ("未达标", "Broken"),
    "status_unknown": ("未知（缺明细）", "Unknown (no data)"),
    "items_by_department": ("各部门下派事项", "Items by department"),
    "col_department": ("部门", "Department"),
    "col_items": ("事项数", "Items"),
    "col_offlist": ("清单外", "Off the list"),
    "visits_title": ("实地核查记录", "On-site visits"),
    "no_visits": ("暂无核查记录。", "No visits recorded."),
    "rebound_warning": (
        "该地区出现反弹：在较基期下降 20% 以上后连续两个季度回升。",
        "This region rebounds: its value rose two quarters running after "
        "falling 20% or more below the baseline.",
    ),
    "targets_progress": (
        "目标进展（超标村比例，%）",
        "Progress toward targets (villages over target, %)",
    ),
    "targets_progress_note": (
        "超标率 = 至少违反一项可按数值判定目标的村所占比例；只有“需明细”目标的指标不显示超标率，"
        "见村情卡片和方法页。",
        "Over target = share of villages breaking a value-checkable target; indicators whose "
        "targets all need item data show none — see the village card and the methodology page.",
    ),
    "col_over_first": ("{period}超标率", "Over target {period}"),
    "col_over_last": ("{period}超标率", "Over target {period}"),
    "children_trends": ("下级{level}趋势（统一刻度）", "{level} below, on one scale"),
    "m_code": ("代码", "Code"),
    "m_name": ("名称", "Name"),
    "m_counts": ("计数口径", "What it counts"),
    "m_unit": ("单位", "Unit"),
    "m_kind": ("类型", "Kind"),
    "m_kind_stock": ("存量（季度末）", "Stock (quarter end)"),
    "m_kind_flow": ("流量（季度内）", "Flow (in the quarter)"),
    "m_max": ("导入上限", "Import maximum"),
    "m_basis": ("依据", "Basis"),
    "m_needs_items": ("需明细", "Needs items"),
    "m_baseline": ("基期：{period}", "Baseline: {period}"),
    "m_weight": ("权重", "Weight"),
    "m_median": ("基期中位数", "Baseline median"),
    "m_mean": ("基期均值", "Baseline mean"),
    "m_source": ("标尺来源", "Yardstick"),
    "m_source_median": ("中位数", "Median"),
    "m_source_mean": ("均值（中位数为 0）", "Mean (median was 0)"),
    "m_source_excluded": ("不计入（均值为 0）", "Left out (mean was 0)"),
    "m_excluded": (
        "以下指标基期中位数和均值均为 0，未计入负担指数：{names}",
        "Left out of the index (baseline median and mean both 0): {names}",
    ),
    "m_vintage": ("数据版本", "Data vintage"),
    # 数据导入 (import page)
    "page_import": ("数据导入", "Data import"),
    "import_not_allowed": (
        "您的账号没有导入数据的权限（仅省级和数据管理员可以导入和回滚）。",
        "Your account may not import data (only province and data-admin roles import and roll "
        "back).",
    ),
    "import_tab_upload": ("上传文件", "Upload"),
    "import_tab_history": ("导入记录与回滚", "History and rollback"),
    "import_tab_templates": ("下载模板", "Templates"),
    "import_kind": ("文件内容", "The file holds"),
    "kind_observations": ("季度指标数", "Quarterly counts"),
    "kind_items": ("事项明细", "Item lists"),
    "kind_visits": ("实地核查结果", "On-site visit results"),
    "kind_gazetteer": ("村庄名录", "Village gazetteer"),
    "import_file": ("选择 CSV 或 Excel（.xlsx）文件", "Choose a CSV or Excel (.xlsx) file"),
    "import_sheet": ("工作表", "Sheet"),
    "import_all_sheets": (
        "全部核查表（表头以“村代码”开头的每个工作表）",
        "Every checklist sheet (each sheet whose header starts with 村代码)",
    ),
    "import_replace": ("替换已导入的数值", "Replace published values"),
    "import_replace_help": (
        "同一村同一季度同一指标的旧数值会被新数值替换；旧数值随批次保留，回滚即可恢复。",
        "Old values of the same village, quarter and indicator are replaced; they are kept "
        "with the batch and a rollback restores them.",
    ),
    "import_step_read": ("读取文件…", "Reading the file…"),
    "import_step_check": ("逐行检查…", "Checking every row…"),
    "import_step_compare": ("与名录和已导入数据核对…", "Comparing with the gazetteer and data…"),
    "import_step_publish": ("发布新快照、重算汇总…", "Publishing the new snapshot…"),
    "import_step_done": ("完成", "Done"),
    "import_problems": (
        "检查结果（红色：错误，黄色：警告）",
        "Problems (red: error, amber: warning)",
    ),
    "import_no_problems": ("没有发现问题。", "No problems found."),
    "import_problems_more": (
        "表中只列出前 {shown} 个问题（错误在前），另有 {more} 个未列出；"
        "完整清单请下载下方的问题清单。",
        "The table lists the first {shown} problems (errors first); {more} more are not "
        "listed — download the problem list below for all of them.",
    ),
    "import_rejected": (
        "{file} 未导入：{errors}，{warnings}；数据库未改动。",
        "{file} was not imported: {errors}, {warnings}; the database is unchanged.",
    ),
    "import_checked": (
        "{file} 检查通过，尚未导入：{rows}，{villages}，统计期 {periods}。",
        "{file} passed the checks and is not imported yet: {rows}, {villages}, periods {periods}.",
    ),
    "import_published": (
        "已导入 {file}：批次 #{batch}，{rows}，{villages}，统计期 {periods}；{counts}。",
        "Imported {file} as batch #{batch}: {rows}, {villages}, periods {periods}; {counts}.",
    ),
    "import_report_file": ("{stem}-问题清单", "{stem}-problems"),
    "import_download_xlsx": ("下载问题清单（Excel）", "Download problem list (Excel)"),
    "import_download_csv": ("下载问题清单（CSV）", "Download problem list (CSV)"),
    "import_confirm": ("确认导入", "Confirm and import"),
    "import_confirm_help": (
        "检查通过。确认后数据将作为新快照发布；看板在导入期间照常可用。",
        "The file passed the checks. Confirm to publish it as a new snapshot; the dashboard "
        "keeps serving meanwhile.",
    ),
    "import_again": ("导入其他文件", "Import another file"),
    "history_empty": ("还没有导入记录。", "No imports yet."),
    "rollback_batch": ("要回滚的批次", "Batch to roll back"),
    "rollback_confirm": (
        "我确认回滚该批次（删除其数据、恢复被替换的数值）",
        "I confirm: roll back this batch (delete its data, restore what it replaced)",
    ),
    "rollback_button": ("回滚", "Roll back"),
    "rollback_done": (
        "已回滚批次 #{batch}：删除 {removed} 行，恢复 {restored} 个数值。",
        "Rolled back batch #{batch}: removed {removed} rows, restored {restored} values.",
    ),
    "rollback_none": ("没有可以回滚的批次。", "No batch can be rolled back."),
    "rollback_note": ("回滚批次 #{batch}：{counts}", "Rollback of batch #{batch}: {counts}"),
    "template_kind": ("模板类型", "Template for"),
    "template_county": ("预填县区的村（可选）", "Pre-fill the villages of a county (optional)"),
    "template_county_none": ("不预填", "No pre-fill"),
    "template_download": ("下载模板（{fmt}）", "Download template ({fmt})"),
    "template_file": ("{kind}-模板", "{kind} template"),
    "template_help": (
        "Excel 模板的代码列已设为文本格式，含“说明”工作表；CSV 模板带 BOM，可直接用 Excel 打开。",
        "The Excel template has text-formatted code columns and an instructions sheet; the CSV "
        "template has a BOM so Excel opens it as UTF-8.",
    ),
    "col_batch": ("批次", "Batch"),
    "col_time": ("时间", "Time"),
    "col_kind": ("类型", "Kind"),
    "col_file": ("文件", "File"),
    "col_user": ("用户", "User"),
    "col_rows": ("行数", "Rows"),
    "col_message": ("说明", "Details"),
    "batch_published": ("已发布", "Published"),
    "batch_rolled_back": ("已回滚", "Rolled back"),
    "batch_rejected": ("被拒绝", "Rejected"),
    "batch_checked": ("仅检查", "Checked only"),
    "batch_failed": ("出错，未导入", "Failed, nothing imported"),
    "kind_rollback": ("回滚", "Rollback"),
    "kind_demo": ("模拟数据", "Simulated data"),
    # 填报进度 (reporting progress page)
    "page_reporting": ("填报进度", "Reporting progress"),
    "reporting_deadline": (
        "{period}：截止日期 {deadline}（季度结束后 15 天），统计至 {as_of}。",
        "{period}: due {deadline} (15 days after quarter end), as of {as_of}.",
    ),
    "report_status_on_time": ("按时报送", "On time"),
    "report_status_late": ("逾期报送", "Late"),
    "report_status_missing": ("未报送（已逾期）", "Missing (overdue)"),
    "report_status_pending": ("未报送（未到期）", "Not yet (not due)"),
    "reporting_share": ("报送率", "Reported"),
    "reporting_counties": ("各县区", "Counties"),
    "reporting_townships": ("各乡镇", "Townships"),
    "reporting_chase": ("催报清单", "List to chase"),
    "reporting_chase_help": (
        "未报送和逾期报送的村，按县区、乡镇排列，可下载后发给各乡镇。",
        "Villages missing or late, by county and township — download and send to the townships.",
    ),
    "reporting_chase_empty": ("全部按时报送。", "Every village reported on time."),
    "reporting_download": ("下载催报清单（{fmt}）", "Download the list ({fmt})"),
    "reporting_file": ("催报清单-{period}", "list-to-chase-{period}"),
    "reporting_filter_county": ("县区", "County"),
    "reporting_all": ("全部", "All"),
    "col_county": ("县区", "County"),
    "col_township": ("乡镇", "Township"),
    "col_village_code": ("村代码", "Village code"),
    "col_village": ("村（社区）", "Village"),
    "col_village_kind": ("类型", "Kind"),
    "col_reported_at": ("报送时间", "Reported at"),
    "col_villages": ("村数", "Villages"),
    "reporting_no_villages": ("范围内没有村。", "No villages in scope."),
    "reporting_overdue_unseen": (
        "{period}的报送截止日 {deadline} 已过，还没有村报送。在上方选择该季度可查看催报清单。",
        "The deadline for {period} ({deadline}) has passed and no village has reported it yet. "
        "Choose it above to see the list to chase.",
    ),
    # 同级比较 (peers)
    "page_peers": ("同级比较", "Peers"),
    "peers_village_note": (
        "村与所在乡镇同级比较：下面比较的是{township}。",
        "Villages are compared through their township: below is {township}.",
    ),
    "peers_among": ("比较范围", "Compared with"),
    "peers_among_level": ("全省所有{level}", "All {level} of the province"),
    "peers_among_parent": ("同一上级的{level}", "{level} with the same parent"),
    "peers_among_group": (
        "同类地区（农区/牧区/半农半牧）",
        "Same area type (farming/pastoral/mixed)",
    ),
    "peers_fallback": (
        "同类组“{group}”成员不足 3 个，改为与全省同级比较。",
        "The “{group}” group has fewer than 3 members; compared with the whole level instead.",
    ),
    "peers_caption": (
        "{period} · 参比 {count} 个 · 中位数 {median} · 第 1 名负担最重",
        "{period} · {count} peers · median {median} · rank 1 = heaviest",
    ),
    "peers_rank": ("排名", "Rank"),
    "peers_percentile": ("百分位", "Percentile"),
    "peers_vs_median": ("较同级中位数", "vs peer median"),
    "peers_median": ("同级中位数", "Peer median"),
    "peers_tab_league": ("排名表", "League table"),
    "peers_tab_bump": ("名次变化", "Rank over time"),
    "peers_tab_scatter": ("水平与进展", "Level vs progress"),
    "peers_tab_breakdown": ("指标构成", "What drives the index"),
    "peers_tab_multiples": ("同级趋势", "Peers' trends"),
    "peers_shown": (
        "图中显示负担最重的 {most} 个和本地区；表格列出全部。",
        "Charts show the {most} heaviest and this region; the table lists all.",
    ),
    "peers_bump_title": ("各季度名次（1 = 负担最重）", "Rank each quarter (1 = heaviest)"),
    "peers_quadrant": ("负担高且降得慢", "High and not falling"),
    "peers_scatter_note": (
        "虚线为同级中位数；右上角的地区负担高、较基期下降少（或上升），需重点关注。点击可切换地区。",
        "Dotted lines are the peer medians; top right: high burden that is not falling (or "
        "rising). Click a point to switch region.",
    ),
    "peers_province": ("全省（同期）", "Province (same quarter)"),
    "peers_breakdown_title": (
        "{name}：各指标对负担指数的贡献（点）",
        "{name}: points of the index by indicator",
    ),
    "peers_breakdown_note": (
        "贡献 = 100 × 权重 × 该指标均值 ÷ 基期中位数 ÷ 权重合计；"
        "各指标贡献之和约等于平均负担指数。",
        "Points = 100 × weight × the indicator's mean ÷ its baseline median ÷ total weight; "
        "they add up to about the mean index.",
    ),
    "peers_multiples_title": (
        "同级各地区{indicator}趋势（统一刻度）",
        "Peers' {indicator}, on one scale",
    ),
    # 部门 (departments)
    "page_departments": ("部门", "Departments"),
    "dept_none": ("{period}没有事项明细数据。", "No item data for {period}."),
    "dept_caption": (
        "{period} · 各部门下派到本地区村级组织的事项（上面千把锤，下面一根钉）。点击一行查看明细。",
        "{period} · items each department puts on the villages of this region. Click a row "
        "for details.",
    ),
    "dept_level": ("层级", "Level"),
    "dept_level_province": ("省级", "Province"),
    "dept_level_county": ("县级", "County"),
    "dept_items": ("事项种数", "Items"),
    "dept_assignments": ("村·事项数", "Village-items"),
    "dept_villages": ("覆盖村数", "Villages reached"),
    "dept_share": ("占全部事项", "Share of all"),
    "dept_offlist_items": ("清单外事项", "Off-list items"),
    "dept_change": ("较上季度", "vs last quarter"),
    "dept_trend": ("各季度趋势", "Trend"),
    "dept_onlist": ("清单内", "On the list"),
    "dept_pick": ("查看部门", "Department"),
    "dept_item": ("事项", "Item"),
    "dept_on_list": ("在清单内", "On the list"),
    "dept_reached": ("覆盖村比例", "Villages reached"),
    "dept_trend_title": ("该部门事项数变化", "This department's items over time"),
    "dept_per_village": ("每村事项数", "Items per village"),
    "dept_map_note": (
        "颜色：每村平均承接该部门的事项数（分位数分级）。",
        "Colour: this department's items per village (quantile classes).",
    ),
    "dept_items_title": (
        "该部门下派的事项（覆盖本地区村的比例）",
        "Its items (share of the villages reached)",
    ),
    # 督查抽样 (inspection)
    "page_inspection": ("督查抽样", "Inspection picker"),
    "insp_forbidden": (
        "督查抽样仅限督查和省级用户查看。",
        "Inspection samples are for inspectors and the province only.",
    ),
    "insp_tab_draw": ("抽取样本", "Draw a sample"),
    "insp_tab_flags": ("风险提示", "Risk flags"),
    "insp_tab_gaps": ("核查差异", "Reported vs verified"),
    "insp_tab_stored": ("已存样本", "Stored samples"),
    "insp_intro": (
        "在{region}抽取{period}待核查的村：按县分层，风险加权抽取，另含纯随机对照；同样的参数和种子得到同样的样本。",
        "Villages of {region} to check for {period}: stratified by county, risk-weighted, with "
        "a purely random control; the same inputs and seed give the same sample.",
    ),
    "insp_n": ("样本量（村）", "Villages"),
    "insp_seed": ("随机种子", "Seed"),
    "insp_exclude": ("排除近几个季度已核查的村", "Skip villages visited for the last K quarters"),
    "insp_random_share": ("随机对照比例", "Random control share"),
    "insp_allocation": ("各县分配", "Split between counties"),
    "insp_alloc_proportional": ("按村数比例", "In proportion to villages"),
    "insp_alloc_equal": ("等额", "Equally"),
    "insp_go": ("抽取", "Draw"),
    "insp_hint": ("设置参数后点“抽取”。", "Set the design and press “Draw”."),
    "insp_picked": ("抽中村数", "Villages drawn"),
    "insp_random": ("其中随机对照", "of which random control"),
    "insp_eligible": ("可抽村数", "Eligible"),
    "insp_excluded": ("近期已核查（排除）", "Visited recently (left out)"),
    "insp_draw": ("抽取方式", "Drawn as"),
    "insp_draw_risk": ("风险加权", "Risk-weighted"),
    "insp_draw_random": ("随机对照", "Random control"),
    "insp_flags": ("风险标记", "Flags"),
    "insp_reasons": ("理由", "Reasons"),
    "insp_risk": ("风险倍数", "Risk"),
    "insp_map_legend": (
        "红点：风险加权抽中；蓝点：随机对照。",
        "Red: risk-weighted picks; blue: random control.",
    ),
    "insp_download_xlsx": ("下载核查表（XLSX）", "Download checklists (XLSX)"),
    "insp_download_csv": ("下载名单（CSV）", "Download the list (CSV)"),
    "insp_checklist_note": (
        "核查表每村一页：第 10 行为报送数，在第 12 行填写核实数、核查方式和日期后"
        "可按核查记录导入。",
        "One sheet per village: reported counts in row 10; fill in the verified counts, kind "
        "and date in row 12, then import it as visits.",
    ),
    "insp_save": ("保存为草稿", "Save as draft"),
    "insp_saved": (
        "已保存为草稿 S{number}；发布前仅督查和省级用户可见。",
        "Saved as draft S{number}; only inspectors and the province see it.",
    ),
    "insp_flag_counts": (
        "共 {villages} 个村，{flagged} 个有风险标记。",
        "{villages} villages, {flagged} with a flag.",
    ),
    "insp_flag_villages": ("村数", "Villages"),
    "insp_quality": (
        "模拟数据检验（权限内全部村）：本季度预埋异常 {planted} 个，对应标记找到 {found} 个；"
        "这些标记共 {raised} 个，其中 {true} 个是预埋异常。",
        "Simulated data check (every village you may see): {planted} planted anomalies this "
        "quarter, {found} found by their flag; those flags were raised {raised} times, {true} "
        "on a planted anomaly.",
    ),
    "insp_gaps_intro": (
        "截至{period}近四个季度实地核查的结果，按乡镇汇总：报送数与核实数差距大的核查所占比例。",
        "Visits checking the four quarters up to {period}, by township: the share that found a "
        "large gap between reported and verified counts.",
    ),
    "insp_visits": ("核查次数", "Visits"),
    "insp_inconsistent": ("不一致", "Inconsistent"),
    "insp_with_gap": ("差距大", "Large gap"),
    "insp_agree": ("无大差距", "No large gap"),
    "insp_under": ("少报", "Under-reported"),
    "insp_mean_gap": ("平均差距", "Mean gap"),
    "insp_no_stored": ("还没有保存的样本。", "No stored samples yet."),
    "insp_stored_pick": ("样本", "Sample"),
    "insp_stored_label": (
        "S{number} · {status} · {period} · {villages} 个村",
        "S{number} · {status} · {period} · {villages} villages",
    ),
    "insp_status_draft": ("草稿", "Draft"),
    "insp_status_released": ("已发布", "Released"),
    "insp_stored_meta": (
        "{by} 于 {at} 抽取 · 种子 {seed} · 范围 {area}",
        "Drawn by {by} at {at} · seed {seed} · {area}",
    ),
    "insp_release": ("发布样本", "Release the sample"),
    "insp_released": ("样本 S{number} 已发布。", "Sample S{number} released."),
    # 风险标记 (flags, village card and methodology)
    "flags_title": ("风险标记", "Flags"),
    "flags_none": ("本季度没有风险标记。", "No flag this quarter."),
    "flags_rule": ("规则", "Rule"),
    "flags_kind": ("类别", "Kind"),
    "flags_kind_integrity": ("数据真实性", "Data integrity"),
    "flags_kind_risk": ("负担风险", "Burden risk"),
    "flags_odds": ("抽中机会倍数", "Odds in the draw"),
    # 导出与简报 (exports and briefings)
    "export_png": ("PNG 图片", "PNG image"),
    "export_svg": ("SVG 矢量图", "SVG vector"),
    "export_xlsx": ("Excel 表格", "Excel workbook"),
    "export_csv": ("CSV 表格", "CSV table"),
    "export_brief": ("生成简报", "Briefing (Word)"),
    "export_brief_help": (
        "生成本地区本季度的 Word 简报：总体情况、分布图、趋势图、下级排名、目标达标和部门事项。",
        "A Word briefing on this region and quarter: summary, map, trend, sub-regions, targets "
        "and departments.",
    ),
    "export_sheet_data": ("数据", "Data"),
    "export_sheet_about": ("说明", "About"),
    "export_about_subject": ("内容", "Contents"),
    "export_about_filters": ("筛选条件", "Filters"),
    "export_about_source": ("来源", "Source"),
    "export_about_exported": ("导出时间", "Exported at"),
    "export_vintage": ("数据版本 {vintage}", "data as of {vintage}"),
    "export_source": (
        "资料来源：村级组织负担地图，据各村季度报送数据汇总；"
        "负担指数以{baseline}全省中位村为 100。",
        "Source: village burden map, from the villages' quarterly reports; burden index: the "
        "province's median village in {baseline} = 100.",
    ),
    "export_filters_map": ("分级：{scheme}；不含社区", "Classes: {scheme}; communities excluded"),
    "export_title_map": ("{region}各{level}{indicator}", "{indicator}: {level} of {region}"),
    "export_title_trend": ("{region}{indicator}变化趋势", "{indicator} over time: {region}"),
    "export_title_peers": ("{region}在全省{level}中的位置", "{region} among the {level}"),
    "export_title_departments": ("{region}各部门下派事项", "Items by department: {region}"),
    "export_title_children": ("{region}下级{level}", "{level} of {region}"),
    "export_title_chart": ("{region}：{chart}", "{region}: {chart}"),
    "export_col_peers": ("参比地区数", "Peers"),
    "export_col_year_ago": ("同比变化", "Change on a year ago"),
    "export_col_over": ("超标村比例", "Villages over target"),
    "export_col_reported": ("已报送村数", "Villages reported"),
    "export_col_period_code": ("季度代码", "Quarter code"),
    "export_title_peer_league": (
        "各{level}{indicator}同级比较（{period}）",
        "{indicator} compared: {level} ({period})",
    ),
    "export_filters_peers": ("比较范围：{among}", "Compared with: {among}"),
    "export_title_dept_map": (
        "{department}事项在{region}的分布",
        "Items of {department}: {region}",
    ),
    "export_title_dept_items": (
        "{department}在{region}下派的事项",
        "Items {department} puts on {region}",
    ),
    "export_title_sample": ("{region}督查抽样名单", "Inspection sample: {region}"),
    "export_filters_sample": (
        "样本量 {n}，随机种子 {seed}，随机对照比例 {share}",
        "{n} villages, seed {seed}, random control share {share}",
    ),
    "export_title_flags": ("{region}风险提示村", "Flagged villages: {region}"),
    "export_title_flag_counts": ("{region}各类风险提示村数", "Villages by flag: {region}"),
    "export_title_gaps": ("{region}报送与核查差异", "Reported vs verified: {region}"),
    "export_yes": ("是", "Yes"),
    "export_no": ("否", "No"),
    "unit_index": ("基期中位村 = 100", "baseline median village = 100"),
    "brief_title": ("{region}村级组织负担情况简报", "Village burden briefing: {region}"),
    "brief_subtitle": ("（{period}）", "({period})"),
    "brief_date": ("{year}年{month}月{day}日", "{day}/{month}/{year}"),
    "brief_h_summary": ("总体情况", "Summary"),
    "brief_h_children": ("各{level}负担分布", "Burden across the {level}"),
    "brief_h_trend": ("变化趋势", "Trend"),
    "brief_h_targets": ("目标达标情况", "Targets"),
    "brief_h_departments": ("部门下派事项", "Items by department"),
    "brief_h_method": ("方法说明", "Methodology"),
    "brief_figure": ("图{n}　{title}", "Figure {n}. {title}"),
    "brief_table": ("表{n}　{title}", "Table {n}. {title}"),
    "brief_t_children": ("各{level}负担指数排名", "Burden index of the {level}"),
    "brief_heading": ("{n}、{text}", "{n}. {text}"),
    "brief_named": ("{name}（{value}）", "{name} ({value})"),
    "brief_s_level": (
        "{period}，{region}共有建制村 {villages} 个，已报送 {reported} 个（报送率 {share}），"
        "平均负担指数为 {index}（以{baseline}全省中位村为 100）。",
        "In {period}, {reported} of the {villages} villages of {region} reported ({share}); "
        "their mean burden index is {index} (the province's median village in {baseline} = "
        "100). ",
    ),
    "brief_s_down": ("较基期（{base}）下降 {pct}。", "That is {pct} below the baseline ({base}). "),
    "brief_s_up": (
        "较基期（{base}）上升 {pct}，需引起重视。",
        "That is {pct} above the baseline ({base}) and needs attention. ",
    ),
    "brief_s_rank": (
        "在全省 {count} 个{level}中，负担由重到轻排第 {rank} 位。",
        "It ranks {rank} of {count} {level} (1 = heaviest).",
    ),
    "brief_s_targets": (
        "可判定的 {judged} 项目标中，达标村比例最高的是“{best}”（{best_pct}），"
        "未达标村比例最高的是“{worst}”（{worst_pct}）。",
        "Of the {judged} targets that can be judged, the most widely met is “{best}” "
        "({best_pct}), the most widely broken “{worst}” ({worst_pct}). ",
    ),
    "brief_s_all_met": (
        "其中 {met} 项目标所有村均达标。",
        "{met} of them are met by every village. ",
    ),
    "brief_s_unknown": (
        "另有 {count} 项目标因缺少事项明细，多数村尚无法判定。",
        "{count} more targets cannot yet be judged for most villages (no item data).",
    ),
    "brief_s_heaviest": ("负担最重的{level}是{names}。", "The heaviest {level}: {names}."),
    "brief_s_departments": (
        "下派事项（村·事项数）最多的部门是{names}，合计占 {share}；清单外事项共 {offlist} 项次。",
        "The departments putting most items on the villages are {names} ({share} of all "
        "village-items); {offlist} village-items are off the approved list.",
    ),
    "brief_vintage": (
        "数据版本：{vintage}。数值均由村级报送数据直接汇总，与看板和 burdenmap query 一致。",
        "Data as of {vintage}. Every figure is computed from the villages' reports, as in the "
        "dashboard and `burdenmap query`.",
    ),
    # accounts and sessions (dashboard/login.py)
    "login_title": ("登录", "Sign in"),
    "login_intro": (
        "请使用管理员为您创建的账户登录。您能看到的地区和功能由账户的角色和范围决定。",
        "Sign in with the account an administrator created for you. Your role and region decide "
        "what you can see and do.",
    ),
    "login_user": ("用户名", "User name"),
    "login_password": ("密码", "Password"),
    "login_submit": ("登录", "Sign in"),
    "login_missing": ("请输入用户名和密码。", "Enter your user name and password."),
    "login_expired": ("会话已结束，请重新登录。", "Your session has ended; please sign in again."),
    "login_no_accounts": (
        "这是真实数据库，尚无任何账户，无法打开。请在服务器上运行 "
        "`burdenmap user add 用户名 --role province` 创建第一个账户。",
        "This is a real database and no account exists yet, so it cannot open. On the server, "
        "run `burdenmap user add NAME --role province` to create the first account.",
    ),
    "logout": ("退出登录", "Sign out"),
    "signed_in_as": ("{name}（{role} · {where}）", "{name} ({role} · {where})"),
    "demo_mode": (
        "演示模式：未登录的只读省级视图（仅模拟数据库且尚无账户时可用）。",
        "Demo mode: a read-only province view without sign-in (only for a simulated database "
        "without accounts).",
    ),
    "region_refused": (
        "无权查看地区 {value}（不在您的权限范围内），已显示 {fallback}。",
        "Region {value} is outside your scope; showing {fallback} instead.",
    ),
    # audit page
    "page_audit": ("审计日志", "Audit log"),
    "audit_intro": (
        "登录、登录失败、退出、锁定、导出、账户变更（会话事件），以及导入、回滚、抽样保存与发布"
        "（数据变更，随快照保存）。数据管理员只看到自己的操作。",
        "Sign-ins, failed sign-ins, sign-outs, lock-outs, exports and account changes (session "
        "events), and imports, rollbacks, saved and released samples (data changes, kept with "
        "the snapshot). Data admins see their own actions only.",
    ),
    "audit_since": ("起始日期", "Since"),
    "audit_user": ("用户", "User"),
    "audit_all_users": ("全部用户", "All users"),
    "audit_none": ("没有符合条件的记录。", "No entries match."),
    "audit_col_time": ("时间", "Time"),
    "audit_col_user": ("用户", "User"),
    "audit_col_action": ("操作", "Action"),
    "audit_col_detail": ("详情", "Detail"),
    "audit_col_source": ("来源", "Source"),
    "audit_source_session": ("会话", "Session"),
    "audit_source_data": ("数据变更", "Data change"),
}


def t(key: str, lang: str = "zh", **fields: object) -> str:
    """Message ``key`` in ``lang``, with ``fields`` formatted in.

    Examples
    --------
    >>> t("col_rank", "en")
    'Rank'

    """
    zh, en = MESSAGES[key]
    text = zh if lang == "zh" else en
    return text.format(**fields) if fields else text


def fmt_number(value: float | None, lang: str = "zh", digits: int = 1) -> str:
    """Format a number for readers (万 in Chinese, thousands separators in English).

    ``—`` stands for a missing value.

    Examples
    --------
    >>> fmt_number(123456, "zh")
    '12.3万'
    >>> fmt_number(123456, "en")
    '123,456'

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if lang == "zh" and abs(value) >= 10_000:
        return f"{value / 10_000:.{digits}f}万"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def fmt_pct(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """Format a percentage (``value`` already in percent); ``—`` when missing.

    Examples
    --------
    >>> fmt_pct(-12.345, signed=True)
    '-12.3%'

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    value = round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{value:+.{digits}f}%" if signed and value != 0 else f"{value:.{digits}f}%"


# What an import or a rollback counts (the keys its stored note uses): Chinese, English one,
# English many.
COUNTS: dict[str, tuple[str, str, str]] = {
    "rows": ("{n} 行", "{n} row", "{n} rows"),
    "villages": ("{n} 个村", "{n} village", "{n} villages"),
    "errors": ("{n} 个错误", "{n} error", "{n} errors"),
    "warnings": ("{n} 个警告", "{n} warning", "{n} warnings"),
    "values": ("数值 {n} 个", "{n} value", "{n} values"),
    "replaced": ("替换 {n} 个", "{n} replaced", "{n} replaced"),
    "reports": ("报送记录 {n} 条", "{n} report", "{n} reports"),
    "departments": ("新增部门 {n} 个", "{n} new department", "{n} new departments"),
    "items": ("新增事项 {n} 项", "{n} new item", "{n} new items"),
    "visits": ("核查 {n} 次", "{n} visit", "{n} visits"),
    "removed": ("删除 {n} 个", "{n} removed", "{n} removed"),
    "restored": ("恢复 {n} 个", "{n} restored", "{n} restored"),
    "province": ("省 {n} 个", "{n} province", "{n} provinces"),
    "prefecture": ("市州 {n} 个", "{n} prefecture", "{n} prefectures"),
    "county": ("县区 {n} 个", "{n} county", "{n} counties"),
    "township": ("乡镇 {n} 个", "{n} township", "{n} townships"),
    "village": ("村 {n} 个", "{n} village", "{n} villages"),
    "boundary": ("边界 {n} 个", "{n} boundary", "{n} boundaries"),
}


def count(what: str, n: int, lang: str = "zh") -> str:
    """``n`` things of kind ``what`` (a key of ``COUNTS``), singular or plural in English.

    Examples
    --------
    >>> count("errors", 1, "en"), count("errors", 2, "en"), count("errors", 32284)
    ('1 error', '2 errors', '32,284 个错误')

    """
    zh, one, many = COUNTS[what]
    text = zh if lang == "zh" else one if n == 1 else many
    return text.format(n=f"{n:,}")


def counts_text(counts: dict[str, int], lang: str = "zh") -> str:
    """Several counts in words, in their order.

    Examples
    --------
    >>> counts_text({"values": 35, "replaced": 0, "reports": 5})
    '数值 35 个，替换 0 个，报送记录 5 条'

    """
    return ("，" if lang == "zh" else ", ").join(count(k, n, lang) for k, n in counts.items())


_ROLLBACK = re.compile(r"rollback of #(\d+): (.*)")


def batch_note(note: str | None, lang: str = "zh") -> str:
    """The stored note of an import batch (``values=35, replaced=0, …``) in words.

    A rollback's note (``rollback of #10: removed=2, …``) names its batch; a note of any other
    form (the demo's) is returned as it is.

    Examples
    --------
    >>> batch_note("values=35, replaced=0, reports=5", "en")
    '35 values, 0 replaced, 5 reports'
    >>> batch_note("rollback of #10: removed=2, restored=2")
    '回滚批次 #10：删除 2 个，恢复 2 个'
    >>> batch_note("errors=1, warnings=0", "en")
    '1 error, 0 warnings'
    >>> batch_note("模拟数据 seed=7 / simulated data")
    '模拟数据 seed=7 / simulated data'

    """
    if not note:
        return ""
    rollback = _ROLLBACK.fullmatch(note)
    pairs = [part.partition("=") for part in (rollback[2] if rollback else note).split(", ")]
    if not all(key in COUNTS and n.isdigit() for key, _, n in pairs):
        return note
    text = counts_text({key: int(n) for key, _, n in pairs}, lang)
    return t("rollback_note", lang, batch=rollback[1], counts=text) if rollback else text


_PEOPLES = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|"
    "东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|撒拉|毛南|仡佬|锡伯|普米|怒|鄂温克|保安|裕固|独龙|"
    "鄂伦春|各"
)
_AUTONOMOUS = re.compile(rf"^(.+?)(?:(?:{_PEOPLES})族)+自治(州|县)$")


def short_name(name: str) -> str:
    """Short form for tight places: 海北藏族自治州 → 海北州, 互助土族自治县 → 互助县.

    Examples
    --------
    >>> short_name("海西蒙古族藏族自治州"), short_name("大通回族土族自治县"), short_name("西宁市")
    ('海西州', '大通县', '西宁市')

    """
    m = _AUTONOMOUS.match(name)
    return f"{m.group(1)}{m.group(2)}" if m else name
