"""Question analysis: what kind of answer is asked for, and which words carry the question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.analyse
import jieba.posseg
from jieba.posseg import pair

from .lexical import normalise

HOLDER = r"(?:长|书记|主任|主席|总裁|经理|官|专家|医生|大夫|教授|院士|记者|负责人|领导)"  # 市委书记叫什么: a person
# 这几年, 十几个, 好几位 and 推进建设的几家医院里 ask for no number
HOW_MANY = r"(?<![哪这那近前后好十数])几(?![个家所位项名种条][\u4e00-\u9fff]{0,5}?[里中][，,])"
FORMERLY = r"以前|原来|过去|曾经|之前|最早|原先|当初|原"  # 医院以前叫什么名字 asks for an organisation
ORGANISATION = r"(?:医院|大学|集团|公司|医学中心|中心|机构|政府|学院|医学部|委员会|卫健委)"
CHINESE_NUMERALS = "一二三四五六七八九十"
ORDINAL = rf"第(?P<n>[{CHINESE_NUMERALS}]|\d{{1,2}})(?:点|条|项|方面|步|部分)"  # 第二点是什么: an item of a list
PLACE_UNIT = "院区|科学城|会场|商务区|片区|园区|街道|区|省|县|市|镇|乡|村"  # 哪个院区 needs a 院区
# (kind, pattern) in priority order: the first that matches decides the kind of answer.
ARTICLE = r"^(?=.*(?:报道|新闻|文章|这篇|那篇|本文|原文|稿件|稿子|消息))"  # the question is about the article itself
KINDS = (
    (
        "source",
        re.compile(ARTICLE + r".*(?:来源|出处|转自|转载|电头|发布机构|通讯社|哪(?:家|个|份)(?:媒体|网站|报纸))"),
    ),
    (
        "published",
        re.compile(
            ARTICLE + r".*(?:(?:哪天|哪一天|什么时候|何时|哪年|日期)\S{0,3}(?:发布|发表|刊发|刊登|发出|登出)|发布日期)"
        ),
    ),
    (
        "date",
        re.compile(r"哪一?年|哪一?天|哪一?日|几月|几号|什么时候|啥时候|什么时间|何时|何[年日]|哪个月|日期|时间是"),
    ),
    (
        "number",
        re.compile(
            rf"多少|{HOW_MANY}[个位家所项名次种条人年天岁倍点层]?|多大|多高|多长|多远|多久|多重|比例|面积|占比|百分之|"
            r"总投资|投资额|注册资本"
        ),
    ),  # noqa: E501
    ("list", re.compile(r"哪些|哪几|哪方面|哪一?类")),
    ("title", re.compile(r"头衔|职务|职位|官职|身份|担任(?:什么|何|啥)")),
    ("org", re.compile(rf"{ORGANISATION}(?:{FORMERLY})?叫(?:什么|啥)名字|{ORGANISATION}的?(?:前身|原名|曾用名|旧称)")),
    (
        "person",
        re.compile(
            rf"谁|姓甚名|哪位|哪一位|什么人|名字(?!\S{{0,3}}的\S{{0,4}}{ORGANISATION})|姓名|{HOLDER}叫(?:什么|啥)"
        ),
    ),
    (
        "org",
        re.compile(
            rf"什么名字的\S{{0,4}}{ORGANISATION}|{ORGANISATION}\S{{0,2}}叫什么|哪家|哪所|哪一家|什么机构|哪一?个[\u4e00-\u9fff]{{0,6}}?(?:{ORGANISATION}|单位|部门|学校)"
        ),
    ),
    (
        "place",
        re.compile(
            rf"在哪|哪里|哪儿|哪块|哪片|什么地方|何处|何地|位于|哪个(?:城市|国家|地方|{PLACE_UNIT})|地址|哪座|(?<![摆放])在\S{{0,8}}?什么位置"
        ),
    ),
    ("item", re.compile(rf"^(?!.*哪).*{ORDINAL}")),  # 第一条铁路是哪条 asks which, not the item
    ("reason", re.compile(r"为什么|为何|为啥|原因|怎么|如何|怎样|意义|目的")),
)
VAGUE_KINDS = ("reason", "list")  # a question that also asks for a date or a number asks for it
# Words news articles use interchangeably; a question word also matches its group's other members.
SYNONYMS = (
    "创建 创办 成立 建立 创立 始建 组建",
    "位于 坐落 地处 落户 落在",
    "开始 启动 启程 开启 始于",
    "选择 挑选 挑中 选中 选定 选了 挑了",
    "始于 追溯到 追溯至 可追溯 起源于 源于 源自 渊源 结缘 缘起 缘分",
    "举行 举办 召开 办",
    "去 到 赴 前往",
    "医生 医师 大夫",
    "首席执行官 ceo 执行总裁",
    "病床 床位",
    "签署 签订 签约",
    "负责人 领导",
    "别名 别称 又名 又称 亦称 俗称",
    "出生 出生地 生于 出生于 诞生",
    "去世 逝世 病逝 辞世 过世 死于",
    "原产地 原产 原产于 原生地 原生于",
    "孩子 子女 儿女",
    "儿子 之子",
    "女儿 之女",
    "妻子 夫人 太太",
    "患者 病人 病患",
    "获得 荣获 获颁 取得",
    "建成 落成 竣工",
    "开工 动工 奠基 开建 启动",
    "揭牌 挂牌 授牌",
    "开业 开张 启用 投用",
    "作者 著者 作家",
    "价格 售价 价钱",
    "表示 介绍 指出 强调 透露 谈到 提到 提及 称",
    "今后 未来 将来",
    "加深 深化 加强",
    "合作 协作 牵手 携手 联手",
    "整合 融合 一体化 为一体",
    "入选 上榜 入围 榜上有名 名列",
    "坐诊 出诊 开诊",
    "新增 新添 增设 新设 添设",
    "擅长 拿手 见长 专长 特长",
)
ASKING = re.compile(
    r"哪一?[年天日个位家所些里儿座种项块片]儿?|几[个位家所项名次种条人年天岁倍点层]?|什么时候|什么时间|什么地方|什么机构|什么人|"
    r"多少|多大|多高|多长|多远|多久|为什么|为何|怎么样|怎么|如何|怎样|是否|有没有|姓甚名谁|谁|何时|何年|何日|何处|何地|叫什么|什么样的?|什么|啥时候|啥|哪|吗|呢|么"
)
CLAUSE_ASKS = re.compile(rf"(?:{ASKING.pattern})[啊呀呢]?$")  # a clause that ends in a question word asks one
# Words that ask about the article itself rather than what it reports.
ABOUT_ARTICLE = frozenset(
    "报道 新闻 文章 篇文章 这篇 那篇 篇 发布 发表 刊发 刊登 发出 媒体 网站 报纸 平台 最初 原文 来源 出处 转自 "
    "稿件 稿子 消息 新闻稿 电头 署 署名 发布机构 机构 通讯社 发稿".split()
)
ORGANISATION_END = re.compile(rf"{ORGANISATION}$")
NOT_AFTER = r"(?:(?<![这那哪该每此])|(?<=[这那])(?![家所个位座间些种]))"  # 那家医院 names none, 那北京大学… does
AFTER_DATE = r"(?!(?<=\d)[年月日号])"  # 2026年1月北京大学首钢医院 names no 月北京大学首钢医院
ENTITY = re.compile(rf"{NOT_AFTER}{AFTER_DATE}[^\W\d_是从在和与跟的了哪谁几多么什这那该它他她其]{{1,12}}{ORGANISATION}")
# 怀密医学中心一期工程, not 中国工程院
WORK = re.compile(r"[^\W\d_是从在和与跟的了哪谁几多么什这那该它他她其]{2,16}工程(?![院师学系部局])")
NAMED_END = re.compile(rf"(?:{ORGANISATION}|工程)$")
PARENT, PARENT_WEIGHT = re.compile(rf"{ENTITY.pattern}附属(?=\w)"), 0.3  # 上海交通大学医学院 of …附属仁济医院
PREAMBLE_WEIGHT = 0.3
STATING = frozenset("是 有 为".split())  # a clause with a verb, one of these or a 在 after its start states
SET_FRAME = re.compile(r"(?:中|里|里面|内|当中|之中)[，,；;。\s]*$")
POINTS_BACK = re.compile(r"[它之该他她]|[这那][家个位所座]|当时|那时|此时|这时")
PICKED_KIND = re.compile(rf"([\u4e00-\u9fff]{{4}})[这那][家所个](?={ORGANISATION})")  # 上海嘉会那家医院: 上海嘉会医院
ROLE_BEFORE = re.compile(r"^(?:现任|时任|前任|原任)")  # 现任仁济医院院长: 仁济医院
COUNTED_KIND = re.compile(r"[家所批个座]$")
NAMES = ("nr", "nrt", "ns", "nt", "nz")  # jieba's tags of people, places, organisations and other proper names
NOT_NAMES = frozenset("v vn p c d r u q m a f t".split())  # a name holds no verb, pronoun, measure word…
RARE_WORD = 10  # at most this count in jieba's dictionary: a word that names something (仁济)
RARE_NAME = 100  # at most this count in jieba's dictionary: a proper name few texts use
WHY = re.compile(r"为什么|为何|为啥|原因|何故|缘何")
ASKED_NOUNS = frozenset("头衔 职务 职位 官职 身份 担任 地址 地点 位置 所在地 门牌号 门牌".split())
MONEY = re.compile(r"多少钱|金额|总投资|投资额|投资了?多少|资金|斥资|花费|费用|价格|售价|注册资本")
FRAMING, FRAMING_WEIGHT = tuple("r d p c u f y e o t".split()), 0.3  # jieba tags of words that frame a statement
SINGLE_CREDIT, PAIR_CREDIT = 0.25, 0.5
# 卫健委 stands for 卫生健康委 (its characters in order, close), as do the 2-character abbreviations jieba knows (北医)
ABBREVIATED, ABBREVIATION_CREDIT = 3, 0.8
# A longer match of ENTITY is a run of words that happens to end in 医院, unless it names a hospital's
# branch: 北京大学肿瘤医院保定医院.
NAME_MAX, BRANCH = 10, re.compile(r"[\u4e00-\u9fff]{4,8}医院[\u4e00-\u9fff]{2,3}医院")
MEASURE = re.compile(
    rf"(?:多少|{HOW_MANY})(人次|场次|平方米|万|亿|[位名家所项例张亩天岁次人元米倍场条种座层台间床届期篇部辆架年])"
)
SPLIT_VERB = re.compile(r"([\u4e00-\u9fff])的([\u4e00-\u9fff])")
GLUE = frozenset("对在和与把被给向从了个的着过之其将")
STOPWORDS = frozenset(
    "的 了 是 在 有 和 与 及 或 并 也 都 就 还 又 而 被 把 对 向 从 到 为 以 于 之 其 这 那 该 此 它 他 她 们 "
    "一共 总共 共 具体 现在 目前 这次 此次 当时 主要 分别 一下 请问 请 告诉 我 你 吗 呢 啊 呀 吧 么 "
    "叫 名字 姓名 时候 时间 地方 情况 方面 问题 哪 个 一 多 年 月 日 号 次 位 家 所 "
    "除了 以外 之外 还要 还有 一起 打算 分别是 那边 这边 那个 这个 那些 这些 那位 这位 "
    "新闻 文中 里面 看到 听说 想问 问一下 了解 知道 说 讲 想 提到 我们 我想 一个 可以 来着 啦 嘛 呗 哦 哈".split()
)


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # date, number, person, place, org, list, title, item, reason or other
    unit: str  # the measure asked for: 多少例 -> 例, 哪一年 -> 年, 哪天 -> 日
    words: dict[str, float]  # content word -> weight (inverse document frequency)
    pairs: frozenset[str]  # character bigrams of the question without its question words
    predicate: dict[str, float]  # the words outside the names it mentions: what it says of them
    said: str = ""  # a statement made before the question, not asked (`text` is the question after it)


def asking_part(text: str) -> str:
    """`text` without what follows its last question: "……在哪儿啊？导航搜不到" -> "……在哪儿啊？"."""
    parts = [part for part in re.split(r"(?<=[？?！!。；;])", text) if part.strip()]
    asking = [i for i, part in enumerate(parts) if ASKING.search(part) or part.rstrip().endswith(("？", "?"))]
    return "".join(parts[: asking[-1] + 1]) if asking else text


def analyse(text: str) -> Question:
    """The kind of answer `text` asks for and its weighted content words."""
    kind = answer_kind(text)
    unit = _unit(kind, text)
    words = _parents_lighter(content_words(re.sub(ORDINAL, " ", text) if kind == "item" else text), text)
    before, asked = _preamble(text) if kind not in ("source", "published") else ("", text)
    words = {w: v * PREAMBLE_WEIGHT if w in before and w not in asked else v for w, v in words.items()}
    words.pop(unit, None)
    if kind in ("title", "place"):  # the article prints the titles and places, not the words 头衔, 地址
        words = {w: v for w, v in words.items() if not w.endswith(tuple(ASKED_NOUNS))}  # 具体地址 too
    if kind in ("source", "published"):
        words = {w: v for w, v in words.items() if w not in ABOUT_ARTICLE}
    named = "".join(names(text))
    predicate = {w: v for w, v in words.items() if w not in named}
    return Question(asked, kind, unit, words, bigrams(ASKING.sub(" ", text)), predicate, before)


def answer_kind(text: str) -> str:
    """The kind of answer the first question in `text` asks for: 盖在哪？门牌号是多少？ asks for a place."""
    plain = text.replace("啥", "什么")
    kinds = [_part_kind(part) for part in re.split(r"(?<=[？?])", plain)]
    typed = [kind for kind in kinds if kind and kind not in VAGUE_KINDS]  # 盖得怎么样了？啥时候能开门？
    return next(iter(typed + [kind for kind in kinds if kind]), "other")


def _part_kind(part: str) -> str:
    asking = [clause for clause in re.split(r"[，,]", part)[:-1] if CLAUSE_ASKS.search(clause)]
    for piece in asking[:1] + [part]:  # 地址在哪儿,门牌号多少 asks first where
        kind = next((name for name, pattern in KINDS if pattern.search(piece)), None)
        if kind:
            return kind
    return ""


def ordinal(text: str) -> int:
    """The place in a list that `text` asks for: 第二点 -> 2 (0 when it asks none)."""
    match = re.search(ORDINAL, text)
    if not match:
        return 0
    n = match.group("n")
    return int(n) if n.isdigit() else CHINESE_NUMERALS.index(n) + 1


def asked_from(text: str) -> str:
    """`text` from its first clause with a question word on: what is asked, not what is said before it."""
    return text[next((m.start() for m in re.finditer(r"[^，,；;。]+", text) if ASKING.search(m.group())), 0) :]


def _preamble(text: str) -> tuple[str, str]:
    """A statement made before the question, and the question: "北大医学的老校址在海淀区学院路38号，" and
    "那么北京大学怀密医学中心项目具体位于什么地址？" asks only where 怀密医学中心 is. A question that
    points back to the statement (与之…的那家医院) or names nothing of its own has none, nor has one
    that sets among what it asks (仁济医院服务的患者中，…)."""
    question = asked_from(text)
    before = text[: len(text) - len(question)]
    words = list(jieba.posseg.cut(before))
    stated = any(w.flag.startswith("v") or w.word in STATING or (w.word == "在" and i) for i, w in enumerate(words))
    if not stated or SET_FRAME.search(before) or POINTS_BACK.search(question) or not any(map(proper, names(question))):
        return "", text
    return before, question


def _parents_lighter(words: dict[str, float], text: str) -> dict[str, float]:
    """The words of a parent organisation weigh less than the one it names: 上海交通大学医学院附属仁济医院
    is 仁济医院, which articles often name alone."""
    parents = "".join(m.group() for m in PARENT.finditer(text))
    return {w: v * PARENT_WEIGHT if w in parents else v for w, v in words.items()}


@lru_cache(maxsize=4096)
def organisations(text: str) -> tuple[str, ...]:
    """The organisations `text` names, without the words before them: 夏强院长介绍仁济医院 -> 仁济医院.

    A match with nothing left before its suffix (当作医院, 哪家医院) names none, nor does one that a count
    describes (第一家西医医院, 首批公立医院, 上海两家嘉会医院).
    """
    found = []
    for match in ENTITY.finditer(unpicked(text)):
        words = list(jieba.posseg.cut(ROLE_BEFORE.sub("", match.group())))
        after_last = len(words) - next((i for i, w in enumerate(reversed(words)) if w.flag in NOT_NAMES), len(words))
        first = next((i for i, w in enumerate(words) if w.flag not in NOT_NAMES), len(words))
        for start in (after_last, first):  # 保定 is tagged a verb: 北京同仁医院保定医院 is kept whole
            start = _first_proper(words, start)
            name = "".join(w.word for w in words[start:])
            if ORGANISATION_END.sub("", name):
                counted = any(w.flag == "m" and COUNTED_KIND.search(w.word) for w in words[max(0, start - 1) :])
                found += [] if counted else [name]
                break
    found = [name.rpartition("附属")[2] if len(name) > NAME_MAX else name for name in found]  # …医学院附属仁济医院
    return tuple(name for name in found if len(name) <= NAME_MAX or BRANCH.fullmatch(name))


def unpicked(text: str) -> str:
    """`text` with the 那家 between a name and its kind left out: 上海嘉会那家医院 -> 上海嘉会医院, but not
    葛丰希望这家医院 (希望 is a verb)."""
    return PICKED_KIND.sub(lambda m: m[0] if _verb(m[1][-2:]) else m[1], text)


def _first_proper(words: list[pair], start: int) -> int:
    """Where a name begins that a common word leads: 代表 + 北京大学首钢医院 begins at 北京大学."""
    proper_at = [i for i, w in enumerate(words) if i >= start and w.flag in NAMES + ("j",) and len(w.word) > 1]
    return proper_at[0] if proper_at else start


def works(text: str) -> tuple[str, ...]:
    """The works `text` names: 怀密医学中心一期工程."""
    return tuple(m.group() for m in WORK.finditer(text))


@lru_cache(maxsize=4096)
def proper(name: str) -> bool:
    """Whether jieba reads a word of `name` as a proper name, or knows it as a rare word: 瑞金医院,
    北大首钢医院, 仁济医院, not 京字号医院."""
    words = jieba.posseg.cut(name)
    return any(len(w.word) > 1 and (w.flag in NAMES + ("j",) or _rare(w.word, RARE_WORD)) for w in words)


def _rare(word: str, most: int) -> bool:
    """Whether jieba's dictionary counts `word` at most `most` times (and knows it at all)."""
    return 0 < jieba.dt.FREQ.get(word, 0) <= most


def rare_names(text: str) -> list[str]:
    """The names in `text` that jieba's dictionary knows as rare proper names (和睦家, 廊坊, 陆道培): a
    question that uses one is about what the passages name. Names jieba guesses are left out: they
    often take in the next character (宋子仙|什么 cut as 宋子仙什)."""
    return [
        word
        for word, flag in jieba.posseg.cut(text)
        if flag in NAMES and _rare(word, RARE_NAME) and not ASKING.search(word)
    ]  # 姓甚名谁 is tagged a name


def names(text: str) -> list[str]:
    """Organisations and jieba's proper names in `text`."""
    return [*organisations(text), *(w for w, flag in jieba.posseg.cut(text) if flag in NAMES and len(w) >= 2)]


def _unit(kind: str, text: str) -> str:
    if kind == "date":
        for unit, pattern in (("日", r"哪一?[天日]|几号|几日"), ("月", r"几月|哪个月"), ("年", r"哪一?年|几几年")):
            if re.search(pattern, text):
                return unit
        return ""
    if kind == "place":
        match = re.search(rf"哪(?:一|个|条|座|栋)?({PLACE_UNIT})", text.replace("城市", "市"))
        return match.group(1) if match else ""
    if kind != "number":
        return ""
    if re.search(r"百分之|占比|百分比|占[了到]?(?:大概|大约|约)?多少(?=[？?。]|$)", text):
        return "%"
    if "第几" in text:
        return "第"
    if MONEY.search(text):
        return "元"
    match = MEASURE.search(text)
    return match.group(1) if match else ""


def content_words(text: str) -> dict[str, float]:
    """jieba words of `text` minus question and function words, weighted by general-Chinese IDF."""
    stripped = ASKING.sub(" ", MEASURE.sub(" ", _joined(normalise(text))))  # 多少张床: 床, not 张床
    weights: dict[str, float] = {}
    for word in (piece for cut in jieba.lcut(stripped) for piece in _unglued(cut.strip())):
        if word and word not in STOPWORDS and re.search(r"[^\W_]", word):
            weights[word] = idf(word)
    return weights


def _joined(text: str) -> str:
    """A verb split by 的 made whole again: 挂的牌 -> 挂牌, 签的约 -> 签约."""
    return SPLIT_VERB.sub(lambda m: m[1] + m[2] if _verb(m[1] + m[2]) and _verb(m[1]) else m[0], text)


def _verb(word: str) -> bool:
    return jieba.posseg.dt.word_tag_tab.get(word, "").startswith("v")


def _unglued(word: str) -> list[str]:
    """A pair of characters jieba's dictionary lacks, glued by its guess from a function character and a
    word (对|医 of 对医联体, 提|了, 成|个), is the two characters; other words are themselves."""
    if len(word) == 2 and word not in jieba.dt.FREQ and any(char in GLUE for char in word):
        return list(word)
    return [word]


def bigrams(text: str) -> frozenset[str]:
    """Adjacent character pairs of `text`'s letters and digits, normalised (robust to word splitting)."""
    return frozenset(
        pair for piece in re.findall(r"[^\W_]+", normalise(text)) for pair in map("".join, zip(piece, piece[1:]))
    )


def pair_share(pairs: frozenset[str], text: str) -> float:
    """Share of `pairs` found in `text`."""
    return len(pairs & bigrams(text)) / len(pairs) if pairs else 0.0


@lru_cache(maxsize=65536)
def idf(word: str) -> float:
    """jieba's general-Chinese IDF; unknown words get the median, numbers and single characters less."""
    if re.fullmatch(r"[\d.]+", word):
        return 2.0
    table = jieba.analyse.default_tfidf
    value = table.idf_freq.get(word)
    if value is None:
        value = table.median_idf if len(word) > 1 else table.median_idf / 2
    return value / (2 if len(word) == 1 else 1)


def coverage(words: dict[str, float], text: str) -> float:
    """Share of the question's word weight found in `text` (0 when there are no content words).

    A word that is absent as a whole earns part of its weight from its characters and character pairs
    that are present, so near-synonyms such as 原产地/原产于 count for something. An absent word that
    only frames what is asked (大概, 最早, 跟, 里头: pronouns, adverbs, prepositions) weighs less.
    """
    text = normalise(text)
    found = total = 0.0
    for word, weight in words.items():
        credit = _credit(word, text)
        if credit < 1 and framing(word):
            weight *= FRAMING_WEIGHT
        found += weight * credit
        total += weight
    return found / total if total else 0.0


def _credit(word: str, text: str) -> float:
    if word in text or any(other in text for other in synonyms(word)):
        return 1.0
    if (len(word) >= ABBREVIATED or abbreviation(word)) and mentions(text, word):
        return ABBREVIATION_CREDIT
    return _partial(word, text) if len(word) > 1 else 0.0


def framing(word: str) -> bool:
    """Whether jieba's dictionary tags `word` as one that frames a statement rather than carries it."""
    return jieba.posseg.dt.word_tag_tab.get(word, "n").startswith(FRAMING)


def abbreviation(word: str) -> bool:
    """Whether jieba's dictionary marks `word` as an abbreviation (北医, 北大)."""
    return jieba.posseg.dt.word_tag_tab.get(word) == "j"


def _partial(word: str, text: str) -> float:
    """Credit for a word absent as a whole: its characters, more for those in a pair that is present."""
    paired = set()
    for i in range(len(word) - 1):
        if word[i : i + 2] in text:
            paired.update((i, i + 1))
    single = sum(c in text for c in word)
    return (SINGLE_CREDIT * single + PAIR_CREDIT * len(paired)) / len(word)


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in SYNONYMS:
        members = group.split()
        for word in members:
            table[word] = table.get(word, ()) + tuple(m for m in members if m != word)
    return table


def synonyms(word: str) -> tuple[str, ...]:
    return _synonym_table().get(word, ())


def mentions(text: str, name: str) -> bool:
    """Whether `text` names `name`, perhaps shortened: 北京大学首钢医院 mentions 北大首钢医院."""
    limit = 3 * len(name)
    for start in (i for i, char in enumerate(text) if char == name[0]):
        rest = iter(text[start : start + limit])
        if all(char in rest for char in name):
            return True
    return False
