"""Departments that push work onto villages, and the items they impose (simulated catalogue).

Each item string is written ``±name[@tag]``: ``+`` on the approved list (for platforms: a
registered app without forced features; for certificates: the positive list), ``-`` off it
(certificates: the national negative list of 民发〔2020〕20号 and other types not on the positive
list). Tags steer which villages hold the item: ``@牧`` grassland and herding work (mostly
pastoral villages), ``@村`` rural villages only, ``@社`` communities only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

# Indicators with item-level data: village_item counts equal the observation values.
ITEM_INDICATORS: tuple[str, ...] = ("tasks", "forms", "platforms", "mechanisms", "certificates")
TAGS: tuple[str, ...] = ("牧", "村", "社")


@dataclass(frozen=True)
class Department:
    """A department, the policy basis of its approved items, and its items by indicator."""

    name: str
    level: str  # province | county
    basis: str
    items: Mapping[str, tuple[str, ...]]


def _d(name: str, level: str, basis: str, **items: str) -> Department:
    """Department with items given as ``;``-separated ``±name[@tag]`` strings."""
    return Department(
        name, level, basis, {k: tuple(s.strip() for s in v.split(";")) for k, v in items.items()}
    )


DEPARTMENTS: tuple[Department, ...] = (
    _d(
        "省政务服务和数据管理局",
        "province",
        "《国务院关于加快推进全国一体化在线政务服务平台建设的指导意见》",
        tasks="+政务服务事项村级帮办代办",
        forms="+基层数据“一表通”季度报表",
        platforms="+青松办; +青海省一体化政务服务平台（村级帮办端）; +基层报表“一表通”系统;"
        " -“政务服务好差评”村级评价APP",
    ),
    _d(
        "省民政厅",
        "province",
        "《社会救助暂行办法》",
        tasks="-“一老一小”专项数据采集",
        forms="-“一老一小”数据采集表",
        platforms="+青海省社会救助综合信息系统; +全国养老服务信息系统（青海）; -“掌上民政”打卡APP",
    ),
    _d(
        "省农业农村厅",
        "province",
        "《中华人民共和国乡村振兴促进法》",
        tasks="+农村经营管理统计年报数据采集@村",
        forms="+农村经营管理统计年报表@村",
        platforms="+全国防止返贫监测信息系统; +全国农村集体资产监督管理平台@村;"
        " +青海省农村土地承包信息管理系统@村; -“乡村振兴”积分排名APP",
    ),
    _d(
        "省卫生健康委员会",
        "province",
        "《中华人民共和国基本医疗卫生与健康促进法》",
        tasks="-健康扶贫“回头看”数据核对",
        forms="-健康扶贫数据核对表",
        platforms="+基本公共卫生服务信息系统; +全员人口信息系统; -“健康青海”家庭医生签约打卡APP",
    ),
    _d(
        "县民政局",
        "county",
        "《中华人民共和国村民委员会组织法》第五条；《社会救助暂行办法》",
        tasks="+低保对象动态管理入户核查; +特困人员供养情况核实; +临时救助申请受理初审;"
        " +高龄津贴资格年度认证; +农村留守老人和困境儿童关爱巡访; +村（居）委会换届选举指导配合;"
        " +社区居家养老服务对象摸底@社; -养老机构安全检查陪同; -殡葬改革宣传和违规治丧劝导;"
        " -社会组织活动情况摸排",
        forms="+低保核查台账; +特困供养人员花名册; +困境儿童信息登记表; +高龄津贴发放台账;"
        " -留守老人关爱服务记录表; -殡葬改革工作进度周报; -社会组织活动情况月报表",
        platforms="+全国儿童福利信息系统（基层录入端）; -民政救助“掌上核对”APP",
        mechanisms="-养老服务工作领导小组; -殡葬改革工作领导小组; -社会救助工作站",
        certificates="+困难群众家庭经济状况调查意见; +收养当事人婚姻、抚养能力及收养状况证明;"
        " -亲属关系证明; -婚姻状况证明; -健在证明; -赡养关系证明; -生活困难补助证明",
    ),
    _d(
        "县卫生健康局",
        "county",
        "《中华人民共和国基本医疗卫生与健康促进法》；《国家基本公共卫生服务规范》",
        tasks="+基本公共卫生服务随访协助; +家庭医生签约宣传动员; +重大传染病疫情排查报告;"
        " -爱国卫生运动“周末大扫除”组织; -健康知识知晓率入户问卷; -计生特殊家庭走访慰问统计",
        forms="+健康档案入户随访记录; +传染病疫情报告登记簿; -爱国卫生检查记录台账;"
        " -计生奖扶对象年审表; -健康知识知晓率问卷汇总表",
        platforms="+健康档案录入平台; -爱国卫生运动“随手拍”APP; -疫情防控“健康打卡”小程序",
        mechanisms="+公共卫生委员会; -爱国卫生运动委员会村级分会; -疫情防控工作专班;"
        " -家庭医生签约服务工作组",
        certificates="-婚育状况证明; -独生子女证明; -出生证明",
    ),
    _d(
        "县农业农村局",
        "county",
        "《中华人民共和国乡村振兴促进法》；《中华人民共和国草原法》",
        tasks="+防止返贫动态监测入户排查; +农村集体“三资”清理核查@村; +草畜平衡监督核查@牧;"
        " +动物春秋季集中免疫@牧; +农业保险承保理赔协助; +耕地地力保护补贴面积核实@村;"
        " -农村人居环境整治“红黑榜”评比; -高标准农田建设矛盾调处@村; -农作物种植面积逐户统计@村;"
        " -农民专业合作社运行情况摸底; -牲畜存栏出栏逐户统计@牧",
        forms="+防返贫监测对象信息采集表; +草畜平衡台账@牧; +农村集体经济收支台账@村;"
        " +耕地地力保护补贴面积清册@村; +动物免疫档案@牧; -人居环境整治月报表;"
        " -农作物播种面积统计表@村; -牲畜存栏出栏月报表@牧; -农民专业合作社情况调查表",
        platforms="+动物防疫“牧运通”平台@牧; -农村人居环境整治“随手拍”APP;"
        " -高素质农民“云上智农”学习APP",
        mechanisms="+防止返贫动态监测帮扶机制; -人居环境整治工作领导小组; -厕所革命工作专班;"
        " -草畜平衡工作领导小组@牧; -动物疫病防控工作组",
        certificates="+土地承包经营权流转备案意见@村; +惠农补贴申报初审意见; -放牧草场承包证明@牧;"
        " -牲畜存栏证明@牧",
    ),
    _d(
        "县林业和草原局",
        "county",
        "《中华人民共和国森林法》；《中华人民共和国草原法》；生态管护员管理办法",
        tasks="+生态管护员日常巡护管理@牧; +森林草原防火巡查; +禁牧区巡查劝导@牧;"
        " +草原鼠害监测报告@牧; -林长制巡林记录督办; -野生动物致害损失调查@牧;"
        " -国土绿化造林地块核实",
        forms="+生态管护员巡护日志@牧; +森林草原防火值班记录; -禁牧区巡查台账@牧;"
        " -林长制巡林工作台账; -野生动物致害登记表@牧",
        platforms="+生态管护员巡护APP@牧; +森林草原防火监测平台; -林长制巡林打卡APP",
        mechanisms="+生态管护员管理机制@牧; +村级林长; -森林草原防火工作领导小组;"
        " -禁牧工作监督小组@牧",
        certificates="-虫草采挖人员身份证明@牧",
    ),
    _d(
        "县自然资源局",
        "county",
        "《中华人民共和国土地管理法》；《地质灾害防治条例》",
        tasks="+地质灾害隐患点巡查; +农村乱占耕地建房排查@村; -卫片图斑村级现场举证@村;"
        " -耕地“非粮化”逐块核实@村; -不动产登记资料入户收集",
        forms="+地质灾害隐患点巡查记录; -耕地保护田长制巡查台账@村; -农村建房审批情况月报表@村",
        platforms="+耕地保护“田长制”巡查APP@村; +地质灾害群测群防APP; -国土变更调查村级举证APP",
        mechanisms="-耕地保护田长制工作专班@村; -地质灾害群测群防工作组",
        certificates="+农村宅基地和建房申请审核意见@村",
    ),
    _d(
        "县生态环境局",
        "county",
        "《中华人民共和国环境保护法》",
        tasks="+农村黑臭水体排查; -环保督察信访件现场核实; -秸秆焚烧巡查@村; -“散乱污”企业摸排",
        forms="-农村环境整治情况月报表; -生态环境网格巡查台账",
        platforms="-生态环境网格员APP; -“美丽乡村”环境监测上报小程序",
        mechanisms="-生态环境保护网格化监管小组; -环保督察整改工作专班",
    ),
    _d(
        "县应急管理局",
        "county",
        "《中华人民共和国突发事件应对法》；《自然灾害救助条例》",
        tasks="+自然灾害灾情信息报送; +防汛和地质灾害转移避险组织; +灾后救助物资发放;"
        " -安全生产隐患逐户排查; -燃气安全入户检查; -应急演练组织和影像留存",
        forms="+灾情信息报送表; +救灾物资发放登记表; -安全生产隐患排查台账; -应急物资储备登记表;"
        " -安全生产网格员工作日志",
        platforms="+全国自然灾害灾情管理系统（灾情直报）; -安全生产网格员巡查APP;"
        " -“应急先锋”学习答题APP",
        mechanisms="-安全生产工作领导小组; -防汛抗旱工作领导小组; -安全生产网格员机制",
        certificates="-火灾受损证明; -保险理赔事故证明",
    ),
    _d(
        "县人力资源和社会保障局",
        "county",
        "《中华人民共和国社会保险法》；《中华人民共和国就业促进法》",
        tasks="+城乡居民养老保险参保缴费动员; +农牧民就业失业动态监测; +养老保险待遇领取资格认证;"
        " -劳动力转移就业人数任务分解; -技能培训招生任务; -欠薪线索排查",
        forms="+城乡居民养老保险参保台账; +农村劳动力转移就业台账; -技能培训花名册;"
        " -劳动力资源调查表",
        platforms="+青海人社通（村级经办端）; -就业监测“每日一报”小程序",
        mechanisms="-就业服务工作站",
        certificates="-就业状况证明; -收入证明; -务工经历证明; -劳务派遣经历证明; -个人档案证明",
    ),
    _d(
        "县医疗保障局",
        "county",
        "《中华人民共和国社会保险法》；《医疗保障基金使用监督管理条例》",
        tasks="+城乡居民医保参保缴费动员; -医保参保率“百分百”逐户核对; -医保电子凭证激活推广;"
        " -打击欺诈骗保入户宣传",
        forms="+城乡居民医保参保登记表; -医保缴费进度日报表; -医保电子凭证激活统计表",
        platforms="+国家医保服务平台（村级代办端）; -城乡居民医保缴费进度排名小程序",
        mechanisms="-医保参保扩面工作领导小组",
        certificates="-疾病状况证明",
    ),
    _d(
        "县教育局",
        "county",
        "《中华人民共和国义务教育法》",
        tasks="+控辍保学劝返; +学生资助对象家访核实; -学前教育入园率逐户统计; -校外培训机构摸排",
        forms="+控辍保学劝返台账; +学生资助对象家访记录; -适龄儿童入学摸底表",
        platforms="+控辍保学动态监测系统; -学生资助“入户核查”打卡APP",
        mechanisms="-控辍保学工作领导小组",
        certificates="+学生参加社区（村）活动情况证明; -学生就读贫困证明",
    ),
    _d(
        "县住房和城乡建设局",
        "county",
        "住房和城乡建设部农村低收入群体等重点对象住房安全保障有关规定",
        tasks="+农村危房和自建房安全排查; +农村低收入群体住房保障核实; -农房抗震改造进度督促;"
        " -城乡环境卫生整治任务; -物业服务企业检查@社; -生活垃圾分类入户督导@社",
        forms="+农村危房排查台账; +自建房安全排查表; -城乡环境卫生整治周报表;"
        " -生活垃圾分类督导台账@社",
        platforms="+全国自建房安全专项整治信息归集平台; -农房抗震改造进度上报APP",
        mechanisms="-农房安全隐患排查整治工作专班",
        certificates="-无房证明; -房屋产权归属证明; -财产证明; -电力报装用户证明",
    ),
    _d(
        "县水利局",
        "county",
        "《中华人民共和国水法》；中办、国办《关于全面推行河长制的意见》",
        tasks="+河湖长制巡河; +农村饮水安全排查; -水利工程管护情况统计; -取水许可入户核实",
        forms="+河湖长巡河记录; +农村饮水安全排查表; -水利工程管护情况统计表",
        platforms="+河湖长制信息管理系统; -农村供水“巡查打卡”APP",
        mechanisms="+村级河湖长",
        certificates="-自来水报装证明",
    ),
    _d(
        "县统计局",
        "county",
        "《中华人民共和国统计法》",
        tasks="+经济普查入户登记协助; +人口抽样调查协助; -农村住户调查记账户发动;"
        " -月度统计报表催报",
        forms="+统计基层基础台账; +人口抽样调查登记表; -月度农村经济统计报表;"
        " -农村住户调查记账汇总表",
        platforms="+统计联网直报平台; -“统计数据质量”村级填报小程序",
        mechanisms="-村级统计工作站",
    ),
    _d(
        "县市场监督管理局",
        "county",
        "《中华人民共和国食品安全法》；《中华人民共和国价格法》",
        tasks="+价格监测信息报送; -食品安全协管巡查; -特种设备使用单位摸底; -“放心消费”创建宣传;"
        " -沿街商铺“门前三包”检查@社",
        forms="+价格监测报表; -食品安全协管巡查记录; -“门前三包”检查登记表@社",
        platforms="-食品安全协管员APP; -“放心消费”创建打卡小程序",
        mechanisms="-食品安全协管员机制",
        certificates="-市场主体住所证明; -外出经商证明",
    ),
    _d(
        "县退役军人事务局",
        "county",
        "《中华人民共和国退役军人保障法》",
        tasks="+退役军人信息采集核对; +优抚对象生活状况走访; -“光荣之家”挂牌核实;"
        " -双拥模范村创建申报",
        forms="+退役军人和优抚对象信息登记表; -“光荣之家”挂牌登记表",
        platforms="+退役军人信息采集系统; -“双拥”活动积分APP",
        mechanisms="-退役军人服务站",
        certificates="+征兵政治考核意见",
    ),
    _d(
        "县司法局",
        "county",
        "《中华人民共和国人民调解法》；《中华人民共和国社区矫正法》",
        tasks="+矛盾纠纷排查调处; +社区矫正对象日常走访协助; -普法知识答题组织;"
        " -“民主法治示范村”创建材料",
        forms="+矛盾纠纷排查调处台账; +人民调解案件登记簿; -普法宣传活动记录",
        platforms="+人民调解信息管理系统; -“法治青海”普法答题APP",
        mechanisms="+人民调解委员会; -村级法律顾问工作室",
        certificates="-遗产继承权证明; -社区戒毒社区康复人员情况证明",
    ),
    _d(
        "县公安局",
        "county",
        "《居住证暂行条例》；《中华人民共和国禁毒法》",
        tasks="+流动人口和出租房屋登记协助; +禁毒宣传和吸毒人员排查协助; -国家反诈中心APP推广安装;"
        " -“一标三实”地址门牌逐户采集; -治安巡逻排班; -电动车登记上牌动员; -出租屋和小旅馆检查@社",
        forms="+流动人口登记表; +出租房屋登记表; -“一标三实”采集表; -治安巡逻记录台账",
        platforms="+“一标三实”基础信息采集APP; -国家反诈中心APP安装率考核; -“警民通”积分打卡小程序",
        mechanisms="+治安保卫委员会; -禁毒工作领导小组; -反诈宣传工作专班",
        certificates="+居住证申领居住情况证明; -居民身份信息证明; -户口登记项目变更申请证明;"
        " -养犬证明; -无犯罪记录证明; -人员失踪证明; -死亡证明; -证件遗失证明; -同一人证明;"
        " -门牌地址证明; -非农业户口证明; -出国（境）政审证明; -车辆事故现场证明",
    ),
    _d(
        "县委组织部",
        "county",
        "《中国共产党农村基层组织工作条例》",
        tasks="+村“两委”换届选举组织; +党员发展和管理; +流动党员排查联系; -党建工作“亮点”材料报送;"
        " -驻村工作队考勤记录; -党员积分制管理统计",
        forms="+党员花名册; +“三会一课”记录; +发展党员工作台账; -党建工作月报表; -驻村工作队考勤表;"
        " -党员积分管理台账",
        platforms="+全国党员管理信息系统; +青海智慧党建平台; -“学习强国”学习积分排名;"
        " -党员教育“先锋”打卡APP",
        mechanisms="+村务监督委员会; -党建引领基层治理工作专班",
        certificates="+在职党员到居住地报到反馈; +入党积极分子外调政审材料",
    ),
    _d(
        "县委宣传部",
        "county",
        "中办《关于建设新时代文明实践中心试点工作的指导意见》",
        tasks="+新时代文明实践活动组织; +移风易俗宣传; -文明家庭评选推荐; -县融媒体客户端推广;"
        " -“最美”系列人物推荐",
        forms="+新时代文明实践活动记录; -志愿服务活动台账; -文明家庭评选推荐表",
        platforms="+新时代文明实践云平台; -“文明实践”志愿服务时长打卡APP;"
        " -县融媒体客户端下载推广任务",
        mechanisms="+红白理事会; -创建文明村镇工作领导小组; -新时代文明实践工作领导小组",
    ),
    _d(
        "县委政法委",
        "county",
        "《中国共产党政法工作条例》；平安建设有关规定",
        tasks="+综治网格员日常巡查; +平安建设宣传; +楼栋长联系户走访@社; -信访维稳“三无村”创建;"
        " -重点人员稳控包保; -扫黑除恶线索摸排; -民族团结进步创建材料报送",
        forms="+网格员巡查日志; -平安建设工作台账; -重点人员包保台账; -信访矛盾排查周报表",
        platforms="+综治网格化服务管理平台; -“平安青海”积分排名APP",
        mechanisms="+网格化服务管理机制; -平安建设工作领导小组; -扫黑除恶斗争工作专班;"
        " -信访维稳工作领导小组; -民族团结进步创建工作领导小组",
        certificates="-见义勇为事迹证明",
    ),
    _d(
        "县妇联",
        "county",
        "《中华人民共和国妇女权益保障法》",
        tasks="+妇女儿童权益保护排查; -“美丽庭院”创建评比; -“巾帼家美积分超市”运营;"
        " -妇女“两癌”筛查动员",
        forms="+妇女儿童权益维护登记表; -“美丽庭院”创建台账",
        platforms="+妇女儿童维权信息系统; -“巾帼心向党”学习打卡小程序",
        mechanisms="-“巾帼家美积分超市”工作小组",
        certificates="-创业担保贷款资信证明",
    ),
    _d(
        "团县委",
        "county",
        "《中华人民共和国未成年人保护法》",
        tasks="+青少年关爱帮扶; -“青年大学习”组织学习; -志愿服务时长统计",
        forms="-“青年大学习”学习情况统计表",
        platforms="+志愿服务信息系统; -“青年大学习”完成率排名",
        mechanisms="-青年之家工作小组",
    ),
    _d(
        "县残联",
        "county",
        "《中华人民共和国残疾人保障法》",
        tasks="+残疾人基本状况调查; +残疾人两项补贴资格复核; -辅助器具需求摸底",
        forms="+残疾人基本状况调查表; -残疾人辅具需求登记表",
        platforms="+全国残疾人人口基础数据库（动态更新）; -残疾人两项补贴“刷脸认证”APP",
        mechanisms="-残疾人专职委员机制",
        certificates="-残疾状况证明",
    ),
)

# Legal basis of on-list mechanisms and certificates where it is more specific than the
# department's.
ITEM_BASIS: dict[str, str] = {
    "村务监督委员会": "《中华人民共和国村民委员会组织法》第三十二条",
    "人民调解委员会": "《中华人民共和国人民调解法》第八条",
    "治安保卫委员会": "《中华人民共和国村民委员会组织法》第七条",
    "公共卫生委员会": "《中华人民共和国村民委员会组织法》第七条",
    "村级河湖长": "中办、国办《关于全面推行河长制的意见》",
    "村级林长": "中办、国办《关于全面推行林长制的意见》",
}
CERTIFICATE_BASIS = "村级组织出具证明事项保留清单（模拟；青海清单未公开）"
PLATFORM_BASIS = "已在网信部门备案，无强制打卡、积分排名、下载考核（国办函〔2026〕12号）"


def department_frame() -> pd.DataFrame:
    """The ``department`` table: ``department_id, name, level``."""
    return pd.DataFrame(
        {
            "department_id": range(1, len(DEPARTMENTS) + 1),
            "name": [d.name for d in DEPARTMENTS],
            "level": [d.level for d in DEPARTMENTS],
        }
    )


def _basis(department: Department, indicator: str, name: str) -> str:
    if indicator == "certificates":
        return CERTIFICATE_BASIS
    if indicator == "platforms":
        return PLATFORM_BASIS
    return ITEM_BASIS.get(name, department.basis)


def item_frame() -> pd.DataFrame:
    """The ``item`` table plus a ``tag`` column (牧, 村, 社 or empty), ordered by indicator.

    ``basis`` is filled for on-list items only.
    """
    rows = []
    for indicator in ITEM_INDICATORS:
        for dept_id, dept in enumerate(DEPARTMENTS, start=1):
            for spec in dept.items.get(indicator, ()):
                name, _, tag = spec[1:].partition("@")
                on_list = spec[0] == "+"
                basis = _basis(dept, indicator, name) if on_list else None
                rows.append((indicator, name, dept_id, basis, on_list, tag))
    frame = pd.DataFrame(
        rows, columns=["indicator", "name", "department_id", "basis", "on_list", "tag"]
    )
    frame.insert(0, "item_id", range(1, len(frame) + 1))
    return frame
