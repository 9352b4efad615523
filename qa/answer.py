"""Answer: extract a short, cited Chinese answer from retrieved passages, or say plainly it is absent.

Each sentence of the top passages is scored by how much of the question's weighted content words
it (and its passage) contains; the short answer of the asked kind (number, date, person, place,
organisation) is taken from the clause that shares most with the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import jieba.posseg

from .chunk import split_sentences
from .question import ENTITY, ORGANISATION, Question, analyse, bigrams, coverage, pair_share
from .retrieve import Hit

# How a sentence is scored: its own share of the asked words, its passage's, the passage's retrieval
# score, its character-pair overlap with the question and the asked words in the sentence before it.
# Chosen on CMRC2018 trial and the tune split: the best sentence holds the answer 85% of the time.
SENTENCE_WEIGHT, CONTEXT_WEIGHT, RETRIEVAL_WEIGHT, PAIR_WEIGHT, BEFORE_WEIGHT = 0.6, 0.4, 0.3, 0.2, 0.1
# Refuse unless the best sentence holds this share of the asked words (beyond its article's title)
# and its passage with the title this share of all the question's words; chosen on the tune split
# and CMRC2018 trial.
MIN_SENTENCE_COVERAGE = 0.25
MIN_CONTEXT_COVERAGE = 0.65
MIN_PREDICATE_COVERAGE = 0.05  # share of the question's words beyond its names found around a short answer
TYPED_SENTENCES = 4  # how many of the best sentences are searched for an answer of the asked kind
NEXT_PENALTY = 0.15  # the sentence after a top sentence is searched too, scored this much lower
MAX_SUPPORT = 3
SHOW_CHARS = 150

UNIT = (
    r"(?:%|％|‰|人次|场次|万平方米|平方米|平方公里|平方千米|公顷|公里|千米|公尺|公斤|千克|毫米|厘米|英里|英尺|"
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
    rf"(?:{TITLE})([^\W\d在与和的等及为对向从于是将也已把被说表][\u4e00-\u9fff]{{1,2}})"
    r"(?=[，,、。；;：:“”在与和等表示说介绍强调则指出先生女士共向对就也还曾称认透告回出]|$)"
)
OFFICE = re.compile(rf"(?P<org>{ENTITY.pattern})(?:{TITLE})$")
ORGANISATION_END = re.compile(rf"{ORGANISATION}$")
FOREIGN_REST = re.compile(r"(?:[·・•][\u4e00-\u9fff]{1,6})+")
AGENT = re.compile(r".*(?:由|被|是|为|向|给|让|将|把)")  # 由泰国国家铁路局捐献 -> who comes after 由
PLACE_SUFFIX = re.compile(r"(?:省|市|区|县|镇|乡|村|街道|路|国|州|岛|新区|园区|地区|科学城|商务区|\d+号)$")
PLACE_PHRASE = re.compile(
    r"(?:位于|地处|落户|落地于|坐落于|在)([^，,。；;、（(在]{2,24}(?:省|市|区|县|镇|乡|村|街道|号|园|城|商务区|地区|新区))"
)
ORG_SUFFIX = (
    r"(?:医院|大学|学院|医学院|集团|公司|委员会|卫健委|研究院|研究所|研究中心|医疗中心|实验室|政府|协会|学会|基金会|"
    r"银行|机构|部门|医学部|卫生院|诊所)"
)
ORG = re.compile(
    rf"[\u4e00-\u9fffA-Za-z（）()]{{2,24}}?{ORG_SUFFIX}(?:[\u4e00-\u9fffA-Za-z（）()]{{0,6}}?{ORG_SUFFIX})*"
)
ORG_LEAD = re.compile(r"^.*[的了与和将在对把被由向从为是及等]")  # 统筹共建了北京大学第一医院 -> 北京大学第一医院
WH = re.compile(
    r"哪一?(?:个|位|家|所|座|部|本|条|种|国|间|支|首|项|年|天|日|月|里|儿)?|谁|什么(?:时候|时间|地方|人)?|多少|几|"
    r"何时|何地|何处|何人|怎样|怎么样|如何|为什么|为何"
)
ANCHOR_MIN, ANCHOR_MAX, SPAN_MAX = 2, 10, 24
ANCHOR_BONUS = 0.3
LEAD_MAX = 16
META = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})?[ ]?(?:来源：(?P<source>\S+))?$", re.MULTILINE)  # clean's second line
CLAUSE = re.compile(r"[^，,；;：:。！？、]+")
PHRASE = re.compile(r"[^，,；;：:。！？]+")  # a clause with its 、 lists whole
REFUSAL = "资料中没有找到"
NOT_FOUND = REFUSAL + "{}的信息。"


@dataclass
class Answer:
    """An answer: `text` cites `citations[n-1]` as [n]; `related` are the closest passages when not found."""

    text: str
    found: bool
    citations: list[Hit]
    query: str
    related: list[Hit] = field(default_factory=list)
    note: str = ""
    quotes: list[str] = field(default_factory=list)  # the sentence each citation supports, "" if unknown


@dataclass(frozen=True)
class Sentence:
    hit: int
    start: int  # offsets into the article, like Hit.start
    end: int
    text: str
    score: float
    alone: float  # coverage of the sentence by itself


def extract(question: str, hits: list[Hit]) -> Answer:
    """The extractive answer to `question` from `hits` (best first)."""
    asked = analyse(question)
    sentences = rank_sentences(asked, hits)
    best = sentences[0] if sentences else None
    context = coverage(asked.words, hits[best.hit].title + hits[best.hit].text) if best else 0.0
    if asked.kind in ("source", "published"):
        return _about_article(question, asked, hits)
    if best is None or best.alone < MIN_SENTENCE_COVERAGE or context < MIN_CONTEXT_COVERAGE:
        return refusal(question, hits)
    if asked.kind in ("number", "date", "person", "place", "org"):
        found = short_answer(asked, _with_next(sentences[:TYPED_SENTENCES], sentences))
        if found is None:
            return refusal(question, hits)
        short, sentence = found
        return _compose(question, hits, [sentence], lead=short if _reads_as_answer(short) else "")
    chosen = [s for s in sentences[:MAX_SUPPORT] if s.score >= best.score * 0.8 and s.alone >= MIN_SENTENCE_COVERAGE]
    chosen.sort(key=lambda s: (s.hit, s.start))
    return _compose(question, hits, chosen)


def rank_sentences(asked: Question, hits: list[Hit]) -> list[Sentence]:
    """Distinct sentences of the hits, best first."""
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    seen: set[tuple[str, int]] = set()
    sentences: list[Sentence] = []
    for rank, hit in enumerate(hits):
        asked_here = _beyond(asked.words, hit.title)
        passage = CONTEXT_WEIGHT * coverage(asked.words, hit.title + hit.text) + RETRIEVAL_WEIGHT * hit.score / top
        before = 0.0
        for start, end in split_sentences(hit.text):
            text = hit.text[start:end]
            alone = coverage(asked_here, text)
            pairs = pair_share(asked.pairs, text)
            score = passage + SENTENCE_WEIGHT * alone + PAIR_WEIGHT * pairs + BEFORE_WEIGHT * before
            before = alone
            if (hit.doc_id, hit.start + start) not in seen:
                seen.add((hit.doc_id, hit.start + start))
                sentences.append(Sentence(rank, hit.start + start, hit.start + end, text, score, alone))
    return sorted(sentences, key=lambda s: -s.score)


def _with_next(top: list[Sentence], everything: list[Sentence]) -> list[Sentence]:
    """`top` plus the sentence after each (scored a little lower): answers often follow their topic."""
    following = {(s.hit, s.start): s for s in everything}
    starts = sorted(following)
    pool = list(top)
    for sentence in top:
        after = next((k for k in starts if k[0] == sentence.hit and k[1] > sentence.start), None)
        if after and following[after] not in pool:
            pool.append(replace(following[after], score=sentence.score - NEXT_PENALTY))
    return pool


def _beyond(words: dict[str, float], title: str) -> dict[str, float]:
    """The question's words that its article's title does not already name (what is asked)."""
    rest = {w: v for w, v in words.items() if w not in title}
    return rest or words


def short_answer(asked: Question, sentences: list[Sentence]) -> tuple[str, Sentence] | None:
    """The best candidate of the asked kind in `sentences`, with the sentence it came from."""
    best: tuple[float, str, Sentence] | None = None
    for sentence in sentences:
        span = anchored(asked.text, sentence.text)
        found = candidates(asked.kind, sentence.text)
        alone = span and _may_stand_alone(asked.kind, sentence.text[span[0] : span[1]])
        if alone and not any(_inside(s, span) for s, _ in found):
            found.append((span[0], sentence.text[span[0] : span[1]]))
        for start, candidate in found:
            score = _candidate_score(asked, sentence, start, candidate)
            if score is not None:
                score += ANCHOR_BONUS if span and _inside(start, span) else 0.0
                if best is None or score > best[0]:
                    best = (score, candidate, sentence)
    return (best[1], best[2]) if best else None


def _reads_as_answer(short: str) -> bool:
    """Whether `short` is fit to lead in bold; a long phrase is better shown inside its sentence."""
    return len(short) <= LEAD_MAX and not re.search(r"[的了其曾]", short)


def _may_stand_alone(kind: str, words: str) -> bool:
    """Words found where the question word stood may answer a 谁/哪里/哪家 question by themselves."""
    return kind in ("place", "org") or (kind == "person" and not _common_word(words))


def _candidate_score(asked: Question, sentence: Sentence, start: int, candidate: str) -> float | None:
    """How well `candidate` at `start` answers; None when it cannot be the answer."""
    text = sentence.text
    if candidate in asked.text or PLACE_SUFFIX.sub("", candidate) in asked.text:
        return None
    if asked.unit and asked.unit not in candidate:
        return None
    if asked.predicate and coverage(asked.predicate, _clauses(text, start, PHRASE)[1]) < MIN_PREDICATE_COVERAGE:
        return None  # nothing of what is asked near it: 哪一年开业 needs some trace of 开业
    own, around = _clauses(text, start)
    score = sentence.score + 0.6 * coverage(asked.words, own) + 0.1 * coverage(asked.words, around)
    if asked.kind == "number":
        score -= 0.2 if candidate[-1].isdigit() else 0.0  # a bare number is rarely the answer to 多少
        score += 0.2 if _in_dimension(asked.text, candidate) else 0.0
    titles = _asked_titles(asked.text) if asked.kind == "person" else set()
    if titles:  # 市委书记是谁 -> a name printed beside 市委书记, or in a clause that names it
        beside = _titles_beside(text, start, len(candidate))
        if (beside and not beside & titles) or _office_elsewhere(text, start, asked.text):
            return None  # 李猛处长 or 北苑中医医院院长柳娟 for 首钢医院的院长
        if beside:
            score += 0.3
        elif not any(title in own for title in titles):
            return None
    return score


def anchored(question: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` holds what stands in place of the question word: "洛拉出生于哪儿" -> after 出生于."""
    wh = WH.search(question)
    if not wh:
        return None
    left = re.sub(r"(?:一[家个所位座])?(?:叫做?|名为|称为)?$", "", question[: wh.start()])
    right = re.sub(r"[呢吗？?。！!\s]+$", "", question[wh.end() :])
    after = _find(sentence, [left[-n:] for n in range(min(len(left), ANCHOR_MAX), ANCHOR_MIN - 1, -1)], 0, end=True)
    before = _find(sentence, [right[:n] for n in range(min(len(right), ANCHOR_MAX), ANCHOR_MIN - 1, -1)], after or 0)
    if after is None and before is None:
        return None
    start = after if after is not None else _clause_start(sentence, before)
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


def _clause_start(text: str, at: int) -> int:
    return max(text.rfind(p, 0, at) for p in "，,；;：:。") + 1


def _clause_end(text: str, at: int) -> int:
    ends = [i for i in (text.find(p, at) for p in "，,；;。") if i >= 0]
    return min(ends) if ends else len(text)


def _inside(position: int, span: tuple[int, int]) -> bool:
    return span[0] <= position < span[1]


def _in_dimension(question: str, candidate: str) -> bool:
    return any(asks.search(question) and unit.search(candidate) for asks, unit in DIMENSIONS)


def _office_elsewhere(text: str, start: int, question: str) -> bool:
    """The name at `start` holds its title at an organisation the question does not ask about.

    "北京北苑中医医院院长柳娟" does not answer "北京大学首钢医院的院长是谁".
    """
    office = OFFICE.search(text[max(0, start - 30) : start])
    if not office:
        return False
    return pair_share(bigrams(ORGANISATION_END.sub("", office["org"])), question) < 0.5


def _asked_titles(question: str) -> set[str]:
    """The titles next to the question word: 院长是谁 asks for a 院长, 和柳娟院长一起…的是谁 does not."""
    wh = WH.search(question)
    return set(re.findall(TITLE, question[max(0, wh.start() - 4) : wh.end() + 4])) if wh else set()


def _titles_beside(text: str, start: int, length: int) -> set[str]:
    """The titles printed right before or after the name at `start`: 院长柳娟, 李猛处长."""
    before, after = text[max(0, start - 6) : start], text[start + length : start + length + 6]
    return {m.group() for m in re.finditer(TITLE, before) if before.endswith(m.group())} | {
        m.group() for m in re.finditer(TITLE, after) if after.startswith(m.group())
    }


def candidates(kind: str, text: str) -> list[tuple[int, str]]:
    """(position, text) of every possible answer of `kind` in `text`."""
    if kind == "number":
        dates = [range(m.start(), m.end()) for m in DATE.finditer(text)]
        return [
            (m.start(), m.group())
            for m in NUMBER.finditer(text)
            if not any(m.start() in d for d in dates) and not text.startswith("号", m.end())
        ]
    if kind == "date":
        return [(m.start(), m.group()) for m in DATE.finditer(text)]
    if kind == "org":
        return [_organisation(m.start(), m.group()) for m in ORG.finditer(text)]
    if kind == "person":
        return _people(text)
    return _places(text)


def _organisation(start: int, name: str) -> tuple[int, str]:
    lead = ORG_LEAD.match(name)
    if lead and ORG.fullmatch(name[lead.end() :]):
        return start + lead.end(), name[lead.end() :]
    return start, name


def _people(text: str) -> list[tuple[int, str]]:
    found = [(m.start(1), m.group(1)) for m in NAME_AFTER_TITLE.finditer(text) if not _common_word(m.group(1))]
    position = 0
    for word, flag in jieba.posseg.cut(text):
        if flag.startswith("nr") and len(word) >= 2:
            found.append((position, word + _foreign_rest(text, position + len(word))))
        position += len(word)
    return found


def _common_word(word: str) -> bool:
    """A word jieba's dictionary knows as something other than a name: 院长强调 is no 院长 named 强调."""
    tag = jieba.posseg.dt.word_tag_tab.get(word)
    return tag is not None and not tag.startswith("nr")


def _foreign_rest(text: str, at: int) -> str:
    """The rest of a transliterated name: 保罗 + ·皮尔斯."""
    match = FOREIGN_REST.match(text, at)
    return match.group() if match else ""


def _places(text: str) -> list[tuple[int, str]]:
    found = [(m.start(1), m.group(1)) for m in PLACE_PHRASE.finditer(text)]
    position = 0
    for word, flag in jieba.posseg.cut(text):
        if flag in ("ns", "nsf") and (len(word) >= 3 or PLACE_SUFFIX.search(word)):
            found.append((position, word))
        position += len(word)
    return found


def _clauses(text: str, start: int, pattern: re.Pattern = CLAUSE) -> tuple[str, str]:
    """The clause holding position `start`, and that clause with its neighbours on either side."""
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)] or [(0, len(text))]
    index = next((i for i, (s, e) in enumerate(spans) if s <= start < e), 0)
    own = text[spans[index][0] : spans[index][1]]
    return own, text[spans[max(0, index - 1)][0] : spans[min(len(spans) - 1, index + 1)][1]]


def _about_article(question: str, asked: Question, hits: list[Hit]) -> Answer:
    """Where or when the best-matching article was published, from its date and source line."""
    top = hits[0] if hits else None
    if top is None or coverage(asked.words, top.title + top.text) < MIN_CONTEXT_COVERAGE:
        return refusal(question, hits)
    field = "source" if asked.kind == "source" else "date"
    for rank, hit in enumerate(hits):
        match = next((m for m in META.finditer(hit.text) if m.group(field)), None)
        if match and hit.doc_id == top.doc_id:
            line = Sentence(rank, hit.start + match.start(), hit.start + match.end(), match.group(), 1.0, 1.0)
            return _compose(question, hits, [line], lead=match.group(field))
    return refusal(question, hits)


def refusal(question: str, hits: list[Hit]) -> Answer:
    """An honest "not found", listing the closest passages as possibly related."""
    topic = re.sub(r"[？?！!。，,\s]+$", "", question)
    topic = re.sub(r"(?:是|有|为|在)?(?:多少|几\w?|什么|哪\w*|谁|何\w)\w{0,3}$", "", topic).rstrip("的是有")
    return Answer(NOT_FOUND.format(f"关于“{topic or question}”"), False, [], question, related=hits[:3])


def _compose(question: str, hits: list[Hit], sentences: list[Sentence], lead: str = "") -> Answer:
    citations: list[Hit] = []
    quotes: list[str] = []
    parts = [f"**{lead}**。"] if lead else []
    for sentence in sentences:
        hit = hits[sentence.hit]
        if hit not in citations:
            citations.append(hit)
            quotes.append(sentence.text)
        parts.append(f"{_shorten(sentence.text, lead)}[{citations.index(hit) + 1}]")
    return Answer("".join(parts), True, citations, question, quotes=quotes)


def _shorten(text: str, keep: str) -> str:
    """The sentence, or a window of it around `keep` marked with …… when it is long."""
    text = text.replace("\n", " ").strip()
    if len(text) <= SHOW_CHARS:
        return text
    at = max(0, text.find(keep)) if keep else 0
    start = max(0, at - SHOW_CHARS // 2)
    end = min(len(text), start + SHOW_CHARS)
    return ("……" if start else "") + text[start:end] + ("……" if end < len(text) else "")
