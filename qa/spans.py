"""Spans: where in a sentence the short answer to a question can be.

Typed candidates (numbers with units, dates, people, places, organisations) and the span that stands
where the question word stood ("洛拉出生于哪儿" -> the words after 出生于).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import takewhile

import jieba.posseg

from .question import ENTITY, ORGANISATION_END, bigrams, pair_share

UNIT = (
    r"(?:%|％|‰|\s?(?:km²|km2|m²|㎡|kg|km)|人次|场次|万平方米|平方米|平方公里|平方千米|公顷|公里|千米|公尺|公斤|千克|毫米|厘米|英里|英尺|"
    r"美元|港元|欧元|日元|英镑|小时|分钟|[个人例项张亩年家所名位场次岁元米床间台倍栋层座种条类级届期篇部辆架吨克天周哩区点])"
)
NUMBER = re.compile(
    r"\d+分\d+秒\d*|\d+[:：]\d+"
    rf"|(?:约|近|超|超过|逾|达|仅|第)?\d+(?:[.,]\d+)*(?:万|亿|千|百)?(?:余|多)?{UNIT}?"
    rf"|(?:约|近|超过|第)?[一二三四五六七八九十两百千万]+(?:余|多)?{UNIT}"
)
# The units that answer 多高, 多长, …: a candidate in one of them is preferred.
DIMENSIONS = (
    (re.compile(r"多高|多深|海拔"), re.compile(r"米|公尺|英尺")),
    (re.compile(r"多长|多远|距离"), re.compile(r"米|公里|千米|公尺|英里|哩|小时|分钟|天|年")),
    (re.compile(r"多重|体重|重量"), re.compile(r"克|吨|斤")),
    (re.compile(r"多久|多长时间|时长"), re.compile(r"年|月|天|周|小时|分钟|秒")),
    (re.compile(r"面积|多大"), re.compile(r"平方|亩|公顷")),
    (re.compile(r"多少钱|价格|资金|投资|花费|斥资|金额"), re.compile(r"元|美元|港元|欧元|英镑")),
    (re.compile(r"年龄|几岁|多大年纪|多少岁"), re.compile(r"岁")),
)
PEOPLE_COUNTED = re.compile(r"(?:多少|几)[名位个]?(?:患者|病人|病患|医生|护士|专家|学生|居民|员工|游客|人)")
# Those a candidate must be in: 占地面积 is never answered by 一座.
STRICT_DIMENSIONS = (
    (re.compile(r"面积|占地"), re.compile(r"平方|亩|公顷|km|㎡|m²")),
    (re.compile(r"多重|体重|重量"), re.compile(r"克|吨|斤|磅|kg")),
    (re.compile(r"(?:几|多少)个"), re.compile(r"[个项家所座名位张条种类件部台间]$|\d$")),  # not 近6000人次
    (re.compile(r"多久|多长时间|时长"), re.compile(r"年|月|天|日|周|小时|分钟|秒")),  # 挂职多长时间 is not 一位
    (PEOPLE_COUNTED, re.compile(r"[人名位例户]|[\d万亿]$")),  # 多少患者 is not 近30年
    (re.compile(r"人次[^，,]*(?:多少|几)|(?:多少|几)[^，,]*人次"), re.compile(r"人次|[\d万亿]$")),  # not 11753个
)
PERCENT = re.compile(r"[%％]$|百分之")
# What a percentage answers: a share, a rate or a change.
ASKS_RATE = re.compile(r"比例|比重|占|百分|率|增|涨|降|减|提高|提升|上升|幅|成|变化|倍|[多少]了|同比|比上?年")
# "从12440人增长到32581人,增长162%": which of the three figures of a change a number stands for,
# read from the words before it, and which one a question asks for.
CHANGE = r"(?:增长|增加|上升|提高|提升|下降|减少|降低|增|涨|降)了?"
CHANGE_ROLES = (
    ("to", re.compile(rf"(?:{CHANGE}|达)(?:到|至)$|[升增降]至$")),
    ("change", re.compile(rf"{CHANGE}(?:约|近|超过?)?$")),
    ("from", re.compile(r"从$")),
)
ASKED_ROLES = (
    ("change", re.compile(rf"{CHANGE}(?:了|的)?(?:百分之|大概|大约|约)?(?:多少|几)|增幅|涨幅|降幅|增速")),
    ("to", re.compile(rf"{CHANGE}(?:到|至)(?:了)?多少|(?:到|至|截至)\d{{4}}年|现在|目前|如今")),
    ("from", re.compile(r"原来|起初|最初|原先|之前|当初")),
)
DATE = re.compile(
    r"(?:公元前?\d{1,4}|(?<!\d)\d{3,4})年(?![来间多余左])(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{2,4}年代|"
    r"[一二三四五六七八九〇零]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?|"
    r"(?:公元前?)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})世纪(?:\d0年代)?(?:初期|中期|末期|中叶|初|中|末)?|"
    r"\d{1,2}(?:至|到|-|－|~)\d{1,2}月|\d{1,2}月(?:份|上旬|中旬|下旬)?|[春夏秋冬](?:季|天)|夏至|冬至|[上下]半年"
)
TITLE = (
    r"院长|副院长|主任|处长|局长|市长|书记|主席|董事长|总裁|总经理|首席执行官|首席医务官|首席\w{1,3}官|"
    r"教授|院士|专家|记者|部长|校长|理事长|会长|秘书长|负责人"
)
NAME_AFTER_TITLE = re.compile(
    rf"(?:{TITLE})([^\W\d在与和的等及为对向从于是将也已把被说表叫][\u4e00-\u9fff]{{1,2}})"
    r"(?=先生|女士|[，,、。；;：:“”在与和等表示说介绍强调则指出共向对就也还曾称认透告回出]|$)"
)
OFFICE_ITEM = re.compile(rf"(?:{TITLE}|领导|委员|代表|[长员师官])$")  # one of the titles before a name
PLACE_AFTER = tuple("乡镇村县省路街")  # 高岭乡: a name before them is a place
ADVERB_AFTER_NAME = "则也还就都又便亦即曾"  # 院长夏强则表示: the name is 夏强
OFFICE = re.compile(rf"(?P<org>{ENTITY.pattern})(?:{TITLE})$")
COMPOUND_SURNAME = re.compile(
    r"欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|司徒|夏侯|端木|独孤|南宫|西门"
)
FOREIGN_REST = re.compile(r"(?:[·・•][\u4e00-\u9fff]{1,6})+")
AGENT = re.compile(r".*(?:由|被|是|为|向|给|让|将|把)")  # 由泰国国家铁路局捐献 -> who comes after 由
PLACE_SUFFIX = re.compile(r"(?:省|市|区|县|镇|乡|村|街道|路|国|州|岛|新区|园区|地区|科学城|商务区|\d+号)$")
NO_PLACE = frozenset(
    "城市 都市 地区 国家 全国 全省 全市 当地 本地 国内 国外 海外 各地 城乡 市区 郊区".split()
)  # jieba: ns
PLACE_PHRASE = re.compile(
    r"(?:位于|地处|落户|落地于|坐落于|在|从|到|至|赴|前往)([^，,。；;、（(在等]{2,24}(?:省|市|区|县|镇|乡|村|街道|号|园|城|商务区|地区|新区))"
)
VENUE = re.compile(  # 揭牌仪式在北京北苑中医医院隆重举行: where an event is held
    r"在([^，,。；;、（(在]{2,20}?(?:医院|大学|学院|中心|会场|酒店|礼堂|大厦|会议室|[厅馆]))(?:隆重|正式)?(?:举行|举办|召开|开幕)"
)
ORG_SUFFIX = (
    r"(?:医院|大学|学院|医学院|集团|公司|委员会|卫健委|研究院|研究所|研究中心|医疗中心|实验室|政府|协会|学会|基金会|"
    r"银行|机构|部门|医学部|卫生院|诊所)"
)
ORG_AFTER = re.compile(ORG_SUFFIX)
ORG_KIND = r"(?:[院所局厅部处委办队馆台报网社会司厂店行学校园团组科]|中心|机构|单位|企业|媒体|组织|政府|银行)"
ORG_END = re.compile(ORG_KIND + "$")
ORG_HEAD = re.compile(rf"[\u4e00-\u9fff]{{0,3}}?{ORG_KIND}")  # 小学 after 南昌路: the kind a 哪所小学 names
ORG = re.compile(
    rf"[\u4e00-\u9fffA-Za-z（）()]{{2,24}}?{ORG_SUFFIX}(?:[\u4e00-\u9fffA-Za-z（）()]{{0,6}}?{ORG_SUFFIX})*"
)
ORG_GROUPS = (("大学", "学院", "学校", "中学", "小学"), ("医院", "卫生院"), ("公司", "集团", "企业"), ("银行",))
ASKED_ORG = re.compile(rf"(?:哪一?[家所个间]|什么)[\u4e00-\u9fff]{{0,6}}?({'|'.join(sum(ORG_GROUPS, ()))})")
RENAMING = r"[（(](?:现|原|今|即)"  # 北京医学院第一医院(现北京大学第一医院) names two
RENAMED = re.compile(rf"{RENAMING}名?[为是]?([^）)]{{2,20}})[）)]")  # and the other name
COUNTED = re.compile(r"[一二两三四五六七八九十几多数各每本该此这那其][家所个座]")  # 两家医院 names none
LINK = r"[的了与和将在对把被由向从为是及等]"  # no part of a name: 统筹共建了北京大学第一医院 -> 北京大学第一医院
WH = re.compile(
    r"哪一?(?:个|位|家|所|座|部|本|条|种|国|间|支|首|项|年|天|日|月|里|儿)?|谁|什么(?:时候|时间|地方|人)?|多少|几|"
    r"何时|何地|何处|何人|怎样|怎么样|如何|为什么|为何|啥|姓甚名谁"
)
INDEFINITE = re.compile(r".?[是为]一[家个所位座名种项]$")  # 是一家…医院 counts nothing
ANCHOR_MIN, ANCHOR_MAX, SPAN_MAX = 2, 10, 24
CLAUSE = re.compile(r"[^，,；;：:。！？、]+")
PHRASE = re.compile(r"[^，,；;：:。！？]+")  # a clause with its 、 lists whole


def anchored(question: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` holds what stands in place of the question word: "洛拉出生于哪儿" -> after 出生于."""
    wh = WH.search(question)
    if not wh:
        return None
    left = re.sub(r"(?:一[家个所位座])?(?:叫做?|名为|称为)?$", "", question[: wh.start()])
    right = re.sub(r"^[来去]|[呢吗？?。！!\s]+$", "", question[wh.end() :])  # 借助谁来搭建: 搭建 follows
    after = _find(sentence, [left[-n:] for n in range(min(len(left), ANCHOR_MAX), ANCHOR_MIN - 1, -1)], 0, end=True)
    before = _find(sentence, [right[:n] for n in range(min(len(right), ANCHOR_MAX), ANCHOR_MIN - 1, -1)], after or 0)
    if after is None and before is None:
        return None
    start = after if after is not None else clause_start(sentence, before)
    if after is None and before is not None:
        agent = AGENT.match(sentence, start, before)
        start = agent.end() if agent and agent.end() < before else start
    end = before if before is not None and before > start else _clause_end(sentence, start)
    start += len(sentence[start:end]) - len(sentence[start:end].lstrip("是为于在了由被：:，, "))
    end -= len(sentence[start:end]) - len(sentence[start:end].rstrip("的是了，, "))
    return (start, end) if 0 < end - start <= SPAN_MAX else None


def _find(text: str, anchors: list[str], since: int, end: bool = False) -> int | None:
    for anchor in anchors:
        at = text.find(anchor, since)
        if at >= 0:
            return at + len(anchor) if end else at
    return None


def clause_start(text: str, at: int) -> int:
    return max(text.rfind(p, 0, at) for p in "，,；;：:。") + 1


def _clause_end(text: str, at: int) -> int:
    ends = [i for i in (text.find(p, at) for p in "，,；;。") if i >= 0]
    return min(ends) if ends else len(text)


def overlaps(start: int, text: str, span: tuple[int, int]) -> bool:
    """Whether `text` at `start` shares a character with `span`: 上海交通大学… holds the 交通大学… after 上海."""
    return start < span[1] and span[0] < start + len(text)


def out_of_dimension(question: str, candidate: str) -> bool:
    """Whether the question asks for an area, a weight or a count (面积, 多重, 几个) not in `candidate`."""
    if PERCENT.search(candidate) and not ASKS_RATE.search(question):
        return True  # 总诊疗人次是多少 is not answered by the 34% it grew
    return any(asks.search(question) and not unit.search(candidate) for asks, unit in STRICT_DIMENSIONS)


def change_role(text: str, start: int) -> str:
    """Whether the number at `start` is where a change went "from", "to", or its "change"; "" if none."""
    before = text[max(0, start - 5) : start]
    return next((role for role, pattern in CHANGE_ROLES if pattern.search(before)), "")


def asked_role(question: str) -> str:
    """Which figure of a change the question asks for: 增长了多少 the change, 到2023年 where it went."""
    return next((role for role, pattern in ASKED_ROLES if pattern.search(question)), "")


def in_dimension(question: str, candidate: str) -> bool:
    return any(asks.search(question) and unit.search(candidate) for asks, unit in DIMENSIONS)


def org_endings(question: str) -> tuple[str, ...]:
    """How the asked organisation's name must end: 哪所大学 is answered by a 大学 or 学院, not a 医院."""
    asked = ASKED_ORG.search(question)
    return next((group for group in ORG_GROUPS if asked and asked.group(1) in group), ())


def cut_to(name: str, endings: tuple[str, ...]) -> str:
    """The longest part of `name` from its start that ends in one of `endings`:
    上海交通大学医学院附属仁济医院 cut to a 学院 is 上海交通大学医学院; `name` itself if none."""
    ends = [name.rfind(ending) + len(ending) for ending in endings if ending in name]
    ends = [end for end in ends if not re.search(r"[(（][^)）]*$", name[:end])]  # not inside brackets
    return name[: max(ends)] if ends else name


def office_elsewhere(text: str, start: int, question: str) -> bool:
    """The name at `start` holds its title at an organisation the question does not ask about.

    "北京北苑中医医院院长柳娟" does not answer "北京大学首钢医院的院长是谁".
    """
    office = OFFICE.search(text[max(0, start - 30) : start])
    if not office:
        return False
    return pair_share(bigrams(ORGANISATION_END.sub("", office["org"])), question) < 0.5


def offices(text: str, start: int, length: int) -> str:
    """The titles printed beside the name at `start`: 中国工程院院士、仁济医院院长 (夏强), 处长 (李猛)."""
    items = re.split(r"[，,。；;：:“”（(]", text[:start])[-1].split("、")
    held = [item for item in takewhile(OFFICE_ITEM.search, reversed(items))][::-1]
    if held:
        held[0] = re.sub(r"^.*[的有是为由在]", "", held[0])
        return "、".join(filter(None, held))
    after = re.match(TITLE, text[start + length :])
    return after.group() if after else ""


def asked_titles(question: str) -> set[str]:
    """The titles next to the question word: 院长是谁 asks for a 院长, 和柳娟院长一起…的是谁 does not."""
    wh = WH.search(question)
    if not wh:
        return set()
    near = [m for m in re.finditer(TITLE, question) if m.end() > wh.start() - 4 and m.start() < wh.end() + 4]
    return {_deputy(question, m) for m in near}


def _deputy(text: str, title: re.Match) -> str:
    """The title with the 副 before it: 副市长 is not the 市长."""
    return "副" + title.group() if text[max(0, title.start() - 1) : title.start()] == "副" else title.group()


@lru_cache(maxsize=256)
def asked_department(question: str) -> str:
    """The department whose head a question asks for: 内分泌科 of 内分泌科主任是谁."""
    words = jieba.lcut(question)
    pairs = zip(words, words[1:])
    return next((word for word, title in pairs if re.fullmatch(TITLE, title) and re.search(r"..[科处室]$", word)), "")


def titles_beside(text: str, start: int, length: int) -> set[str]:
    """The titles printed right before or after the name at `start`: 院长柳娟, 李猛处长."""
    before, after = text[max(0, start - 6) : start], text[start + length : start + length + 6]
    return {_deputy(before, m) for m in re.finditer(TITLE, before) if before.endswith(m.group())} | {
        _deputy(after, m) for m in re.finditer(TITLE, after) if after.startswith(m.group())
    }


def candidates(kind: str, text: str) -> list[tuple[int, str]]:
    """(position, text) of every possible answer of `kind` in `text`."""
    if kind == "number":
        dates = [range(m.start(), m.end()) for m in DATE.finditer(text)]
        return [
            (m.start(), m.group())
            for m in NUMBER.finditer(text)
            if not any(m.start() in d for d in dates)
            and not text.startswith("号", m.end())
            and not _enumerator(text, m)
            and not INDEFINITE.match(text, max(0, m.start() - 2), m.end())
        ]
    if kind == "date":
        return [(m.start(), m.group()) for m in DATE.finditer(text)]
    if kind == "org":
        return [found for m in ORG.finditer(text) for found in _organisations(m.start(), m.group())]
    if kind == "person":
        return _people(text)
    return _places(text)


def _enumerator(text: str, number: re.Match) -> bool:
    """Whether `number` only numbers an item of a list: the 1 of "1、推动优质资源下沉"."""
    first = number.start() == 0 or text[number.start() - 1] in "\n，,；;：:。"
    return first and number.group().isdigit() and text.startswith(("、", ".", "．", "）", ")"), number.end())


def _organisations(start: int, name: str) -> list[tuple[int, str]]:
    """The organisations in a match of ORG, which may run over several: 北京天坛医院专家在河北大学附属医院."""
    found, at = [], 0
    for piece in re.split(f"({LINK}|{RENAMING})", name):
        match = ORG.match(piece) if not re.fullmatch(f"{LINK}|{RENAMING}", piece) else None
        if match:
            found.append((start + at, match.group()))
        at += len(piece)
    return found or [(start, name)]


def _people(text: str) -> list[tuple[int, str]]:
    # 处长致辞时说: a name does not start with a dictionary word (致辞)
    after_title = (m for m in NAME_AFTER_TITLE.finditer(text) if not common_word(m.group(1)[:2]))
    found = [(m.start(1), re.sub(rf"(?<=^..)[{ADVERB_AFTER_NAME}]$", "", m.group(1))) for m in after_title]
    places = [range(*m.span(1)) for m in PLACE_PHRASE.finditer(text)]  # 地处怀柔科学城: 怀柔 is a place
    position = 0
    for word, flag in jieba.posseg.cut(text):
        place = any(position in p for p in places) or text.startswith(PLACE_AFTER, position + len(word))
        inside = any(at < position < at + len(name) for at, name in found)  # 玉石 of 主任张玉石
        if flag.startswith("nr") and len(word) >= 2 and not _idiom(word) and not place and not inside:
            found.append((position, word + _foreign_rest(text, position + len(word))))
        position += len(word)
    return found


def titled_people(text: str) -> set[str]:
    """The people `text` names beside a title, where a name is surely one: 市长闫继红, 李猛处长."""
    after = {name for _, name in _people(text) if titles_beside(text, text.find(name), len(name))}
    return {
        name for name in after if not common_word(name) and not ORGANISATION_END.search(name) and not WH.search(name)
    }


def common_word(word: str) -> bool:
    """A word jieba's dictionary knows as something other than a name: 院长强调 is no 院长 named 强调."""
    tag = jieba.posseg.dt.word_tag_tab.get(word)
    return tag is not None and not tag.startswith("nr")


def _idiom(word: str) -> bool:
    """A four-character dictionary word jieba tags as a name is nearly always an idiom (隆重举行)."""
    return len(word) >= 4 and word in jieba.posseg.dt.word_tag_tab and not COMPOUND_SURNAME.match(word)


def _foreign_rest(text: str, at: int) -> str:
    """The rest of a transliterated name: 保罗 + ·皮尔斯."""
    match = FOREIGN_REST.match(text, at)
    return match.group() if match else ""


def _places(text: str) -> list[tuple[int, str]]:
    found = [(m.start(1), m.group(1)) for m in (*PLACE_PHRASE.finditer(text), *VENUE.finditer(text))]
    position = 0
    for word, flag in jieba.posseg.cut(text):
        named = flag in ("ns", "nsf") and (len(word) >= 3 or PLACE_SUFFIX.search(word)) and word not in NO_PLACE
        if named and not ORG_AFTER.match(text, position + len(word)):  # 广安门医院 is no place
            found.append((position, word))
        position += len(word)
    return found


def clauses(text: str, start: int, pattern: re.Pattern = CLAUSE) -> tuple[str, str]:
    """The clause holding position `start`, and that clause with its neighbours on either side."""
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)] or [(0, len(text))]
    index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), 0)
    own = text[spans[index][0] : spans[index][1]]
    return own, text[spans[max(0, index - 1)][0] : spans[min(len(spans) - 1, index + 1)][1]]
