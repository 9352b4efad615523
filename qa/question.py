"""Question: what kind of answer a question asks for, and the organisations and names it mentions.

The reader finds answers; these small tables of Chinese question words only say how to show one (a
short answer in bold, or whole sentences for 为什么 and 哪些), which item of a list is asked for, and
what a follow-up's pronoun may stand for.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba.posseg
from jieba.posseg import pair

HOLDER = r"(?:长|书记|主任|主席|总裁|经理|官|专家|医生|大夫|教授|院士|记者|负责人|领导)"  # 市委书记叫什么: a person
# 这几年, 十几个, 好几位 and 推进建设的几家医院里 ask for no number
HOW_MANY = r"(?<![哪这那近前后好十数])几(?![个家所位项名种条][\u4e00-\u9fff]{0,5}?[里中][，,])"
FORMERLY = r"以前|原来|过去|曾经|之前|最早|原先|当初|原"  # 医院以前叫什么名字 asks for an organisation
ORGANISATION = r"(?:医院|大学|集团|公司|医学中心|中心|机构|政府|学院|医学部|委员会|卫健委)"
TITLE = (
    r"院长|副院长|主任|处长|局长|市长|书记|主席|董事长|总裁|总经理|首席执行官|首席医务官|首席\w{1,3}官|"
    r"教授|院士|专家|记者|部长|校长|理事长|会长|秘书长|负责人"
)
CHINESE_NUMERALS = "一二三四五六七八九十"
ORDINAL = rf"第(?P<n>[{CHINESE_NUMERALS}]|\d{{1,2}})(?:点|条|项|方面|步|部分)"  # 第二点是什么: an item of a list
PLACE_UNIT = "院区|科学城|会场|商务区|片区|园区|街道|区|省|县|市|镇|乡|村"
# (kind, pattern) in priority order: the first that matches decides the kind of answer.
KINDS = (
    ("date", re.compile(r"哪一?[年天日]|几月|几号|什么时候|啥时候|什么时间|何时|何[年日]|哪个月|日期|时间是")),
    (
        "number",
        re.compile(
            rf"多少|{HOW_MANY}[个位家所项名次种条人年天岁倍点层]?|多大|多高|多长|多远|多久|多重|比例|面积|占比|百分之"
        ),
    ),
    ("list", re.compile(r"哪些|哪几|哪方面|哪一?类")),
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
            rf"什么名字的\S{{0,4}}{ORGANISATION}|{ORGANISATION}\S{{0,2}}叫什么|哪家|哪所|哪一家|什么机构|"
            rf"哪一?个[\u4e00-\u9fff]{{0,6}}?(?:{ORGANISATION}|单位|部门|学校)"
        ),
    ),
    (
        "place",
        re.compile(
            rf"在哪|哪里|哪儿|哪块|哪片|什么地方|何处|何地|位于|哪个(?:城市|国家|地方|{PLACE_UNIT})|地址|哪座|"
            r"(?<![摆放])在\S{0,8}?什么位置"
        ),
    ),
    ("item", re.compile(rf"^(?!.*哪).*{ORDINAL}")),  # 第一条铁路是哪条 asks which, not the item
    ("reason", re.compile(r"为什么|为何|为啥|原因|怎么|如何|怎样|意义|目的")),
)
VAGUE_KINDS = ("reason", "list")  # a question that also asks for a date or a number asks for it
ASKING = re.compile(
    r"哪一?[年天日个位家所些里儿座种项块片]儿?|几[个位家所项名次种条人年天岁倍点层]?|什么时候|什么时间|什么地方|什么机构|什么人|"
    r"多少|多大|多高|多长|多远|多久|为什么|为何|怎么样|怎么|如何|怎样|是否|有没有|姓甚名谁|谁|何时|何年|何日|何处|何地|叫什么|什么样的?|什么|啥时候|啥|哪|吗|呢|么"
)
CLAUSE_ASKS = re.compile(rf"(?:{ASKING.pattern})[啊呀呢]?$")  # a clause that ends in a question word asks one
ASKED_NOUNS = frozenset("头衔 职务 职位 官职 身份 担任 地址 地点 位置 所在地 门牌号 门牌".split())
ORGANISATION_END = re.compile(rf"{ORGANISATION}$")
NOT_AFTER = r"(?:(?<![这那哪该每此])|(?<=[这那])(?![家所个位座间些种]))"  # 那家医院 names none, 那北京大学… does
AFTER_DATE = r"(?!(?<=\d)[年月日号])"  # 2026年1月北京大学首钢医院 names no 月北京大学首钢医院
ENTITY = re.compile(rf"{NOT_AFTER}{AFTER_DATE}[^\W\d_是从在和与跟的了哪谁几多么什这那该它他她其]{{1,12}}{ORGANISATION}")
PICKED_KIND = re.compile(rf"([\u4e00-\u9fff]{{4}})[这那][家所个](?={ORGANISATION})")  # 上海嘉会那家医院: 上海嘉会医院
ROLE_BEFORE = re.compile(r"^(?:现任|时任|前任|原任)")  # 现任仁济医院院长: 仁济医院
COUNTED_KIND = re.compile(r"[家所批个座]$")
NAMES = ("nr", "nrt", "ns", "nt", "nz")  # jieba's tags of people, places, organisations and other proper names
NOT_NAMES = frozenset("v vn p c d r u q m a f t".split())  # a name holds no verb, pronoun, measure word…
# A longer match of ENTITY is a run of words that happens to end in 医院, unless it names a branch.
NAME_MAX, BRANCH = 10, re.compile(r"[\u4e00-\u9fff]{4,8}医院[\u4e00-\u9fff]{2,3}医院")


def asking_part(text: str) -> str:
    """`text` without what follows its last question: "……在哪儿啊？导航搜不到" -> "……在哪儿啊？"."""
    parts = [part for part in re.split(r"(?<=[？?！!。；;])", text) if part.strip()]
    asking = [i for i, part in enumerate(parts) if ASKING.search(part) or part.rstrip().endswith(("？", "?"))]
    return "".join(parts[: asking[-1] + 1]) if asking else text


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


@lru_cache(maxsize=4096)
def organisations(text: str) -> tuple[str, ...]:
    """The organisations `text` names, without the words before them: 夏强院长介绍仁济医院 -> 仁济医院.

    A match with nothing left before its suffix (当作医院, 哪家医院) names none, nor does one that a count
    describes (第一家西医医院, 首批公立医院).
    """
    found = []
    for match in ENTITY.finditer(_unpicked(text)):
        words = list(jieba.posseg.cut(ROLE_BEFORE.sub("", match.group())))
        after_last = len(words) - next((i for i, w in enumerate(reversed(words)) if w.flag in NOT_NAMES), len(words))
        first = next((i for i, w in enumerate(words) if w.flag not in NOT_NAMES), len(words))
        for start in (after_last, first):  # a place tagged as a verb is kept: 北京同仁医院保定医院
            start = _first_proper(words, start)
            name = "".join(w.word for w in words[start:])
            if ORGANISATION_END.sub("", name):
                counted = any(w.flag == "m" and COUNTED_KIND.search(w.word) for w in words[max(0, start - 1) :])
                found += [] if counted else [name]
                break
    found = [name.rpartition("附属")[2] if len(name) > NAME_MAX else name for name in found]  # …医学院附属仁济医院
    return tuple(name for name in found if len(name) <= NAME_MAX or BRANCH.fullmatch(name))


def _unpicked(text: str) -> str:
    """`text` with the 那家 between a name and its kind left out (上海嘉会那家医院 -> 上海嘉会医院), unless
    a verb stands before it (希望这家医院)."""
    return PICKED_KIND.sub(lambda m: m[0] if _verb(m[1][-2:]) else m[1], text)


def _verb(word: str) -> bool:
    return jieba.posseg.dt.word_tag_tab.get(word, "").startswith("v")


def _first_proper(words: list[pair], start: int) -> int:
    """Where a name begins that a common word leads: 代表 + 北京大学首钢医院 begins at 北京大学."""
    proper_at = [i for i, w in enumerate(words) if i >= start and w.flag in NAMES + ("j",) and len(w.word) > 1]
    return proper_at[0] if proper_at else start


def names(text: str) -> list[str]:
    """Organisations and jieba's proper names in `text`."""
    return [*organisations(text), *(w for w, flag in jieba.posseg.cut(text) if flag in NAMES and len(w) >= 2)]


def mentions(text: str, name: str) -> bool:
    """Whether `text` names `name`, perhaps shortened: 北京大学首钢医院 mentions 北大首钢医院."""
    limit = 3 * len(name)
    for start in (i for i, char in enumerate(text) if char == name[0]):
        rest = iter(text[start : start + limit])
        if all(char in rest for char in name):
            return True
    return False
