"""Follow-up: rewrite a question that leans on earlier turns into one that stands alone.

"它/该院/这家医院…" take the subject of the previous question; an elliptic "科研合作呢？" replaces
the matching phrase of the previous question ("…多少例远程医疗合作？" -> "…多少科研合作？").
"""

from __future__ import annotations

import re

import jieba.posseg

from .question import ASKED_NOUNS, ASKING, ENTITY, ORGANISATION_END, TITLE, answer_kind, mentions, names, organisations

THING = re.compile(r"该(?:院|医院|集团|公司|中心|机构|项目|校|市|区)|它们|它|其")
PICKED = re.compile(r"(?:这|那)(?:家|所|个|座|位)(?:医院|集团|公司|机构|中心|学校|大学|项目|城市|科学城|园区|地方)?")
PERSON = re.compile(r"他们|他|她")
THERE = re.compile(r"那里|那儿|该地|当地")
OTHER = re.compile(r"另一(?:家|所|方)(?:医院|集团|公司|机构|学校|大学)?|对方")
BOTH = re.compile(r"双方|两家|两者")
MEASURE = re.compile(r"(多少|几)(?:人次|[个例项张名位家所次亩])")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ELLIPSIS = re.compile(r"^(?:那么|那|还有|另外|而)?\s*(?P<rest>.+?)\s*(?:呢|怎么样|如何)?\s*[？?。！!]*$")
EVENT = re.compile(r"那之后|此后|之后|那次|这次|此次|那回|这回|当时|那时|该项目|这个项目|那个项目|这项|该协议|这份协议")
LEAD = re.compile(r"^(?:那么|那)(?![里儿边些次回时个家所位座样])")
TITLED = re.compile(rf"(?<=的)[\u4e00-\u9fff]*?(?:{TITLE})|(?:{TITLE})")  # the office a question asks about
SHORT = 16  # a question this short that names nothing is about the previous subject
NOUNISH = ("n", "nr", "ns", "nt", "nz", "vn", "j", "m", "eng")

Turn = dict[str, str]


def rewrite(question: str, history: list[Turn] | None) -> str:
    """`question` made standalone using the last user turn of `history`; unchanged if it needs nothing."""
    return resolve(question, history)[0]


def resolve(question: str, history: list[Turn] | None) -> tuple[str, str]:
    """`question` made standalone, and the person put in for its 他/她 ("" when none was): an answer to
    the rewritten question must come from a sentence that names that person."""
    previous = last_turn(history, "user")
    if not previous:
        return question, ""
    subject = _subject(previous)
    if OTHER.search(question) and (swapped := _other_side(previous, question)):
        return swapped, ""
    answer = last_turn(history, "assistant")
    answered = BOLD.search(answer)
    kind = answer_kind(previous)
    picked = answered.group(1) if answered else _organisation_told(answer, previous, question) if kind == "org" else ""
    for pattern, referent in (
        (PERSON, _answered_person(answered.group(1) if answered else "", kind) or _person(previous)),
        (PICKED, _picked(question, picked, kind) or subject),
        (THERE, answered.group(1) if answered and kind == "place" else subject),
        (BOTH, _both(previous)),
        (THING, answered.group(1) if answered and kind == "org" else subject),
    ):
        found = pattern.search(question)
        if found and _placed(question[: found.start()]):
            continue  # 北京那家新医院 is another than the one before
        if found and referent and referent not in question:
            return pattern.sub(referent, question, count=1), referent if pattern is PERSON else ""
    if PERSON.search(question):
        return question, ""  # no person before it to stand for
    return _standalone(question, previous, subject), ""


def _standalone(question: str, previous: str, subject: str) -> str:
    """A question with no pronoun that still leans on `previous`: elliptic, about the same event, or short."""
    match = _elliptic(question)
    if match and not ASKING.search(match["rest"]):
        if names(match["rest"]) and match["rest"].endswith(tuple(ASKED_NOUNS)):
            return f"{match['rest']}是什么？"  # 那北大医学原来在海淀区的地址呢: it names what it asks of
        return _replace_phrase(previous, match["rest"], subject)
    if EVENT.search(question) and not names(question):
        return (_both(previous) or subject) + question  # 那次签约… is about the same event
    carried = subject or _person(previous)
    if carried and len(question) <= SHORT and not names(question):
        return _topic(previous, carried) + LEAD.sub("", question)  # "指导手术多少例？" goes on about it
    return question


def _answered_person(answered: str, kind: str) -> str:
    """The previous answer's bold lead when it is a person: 他/她 never stands for an organisation."""
    tagged = [flag for _, flag in jieba.posseg.cut(answered)]
    return answered if answered and (kind == "person" or tagged == ["nr"] or tagged == ["nrfg"]) else ""


def _elliptic(question: str) -> re.Match | None:
    """The match of a question that ends in 呢 and leaves out what the one before said: "科研合作呢？"."""
    return ELLIPSIS.match(question.strip()) if question.rstrip("？?。 ").endswith("呢") else None


def _topic(previous: str, subject: str) -> str:
    """What the previous question asked about: all before its question word when that ends in a noun
    and a predicate follows it (首钢医院和北苑中医的医联体 of "…的医联体哪天揭的牌", not 北京嘉会国际化医院
    建筑面积 of "…建筑面积多大"), else its subject."""
    asked = ASKING.search(previous)
    if not asked or not re.sub(r"[\W_呢吗啊呀的是了]", "", previous[asked.end() :]):
        return subject
    before = previous[: asked.start()]
    words = list(jieba.posseg.cut(before))
    return before if subject in before and words and words[-1].flag.startswith("n") else subject


def _picked(question: str, answered: str, kind: str) -> str:
    """What "这家医院/这个城市" stands for when the previous answer names it: an organisation answered
    by a 哪家 question, or a place, unless the question picks an organisation (这家医院 is no 园区)."""
    found = PICKED.search(question)
    if not answered or not found or kind not in ("org", "place"):
        return ""
    noun = found.group()[2:]
    if noun and noun in answered:  # 这个科学城 of 怀柔科学城东区 is 怀柔科学城
        return answered[: answered.index(noun) + len(noun)]
    return answered if kind == "org" or not ORGANISATION_END.search(found.group()) else ""


def _organisation_told(answer: str, previous: str, question: str) -> str:
    """The first organisation of the kind `question` picks (这个集团) that an answer without a bold lead
    names and the question before it does not: 新加坡莱佛士医疗集团 of "……仁济医院与新加坡莱佛士医疗集团
    ……签署……" after 仁济医院和哪个新加坡医疗集团签了协议."""
    found = PICKED.search(question)
    kind = found.group()[2:] if found else ""
    told = (name for name in organisations(answer) if not mentions(previous, name) and name.endswith(kind))
    return next(told, "")


def _placed(before: str) -> bool:
    """Whether `before` ends with a place name, which makes the pronoun after it pick another thing."""
    words = list(jieba.posseg.cut(before))
    return bool(words) and words[-1].flag == "ns"


def last_turn(history: list[Turn] | None, role: str) -> str:
    for turn in reversed(history or []):
        if isinstance(turn, dict) and turn.get("role") == role and str(turn.get("content") or "").strip():
            return str(turn["content"]).strip()
    return ""


def _subject(question: str) -> str:
    """The organisation a question is about, else its first place name: the first organisation, or
    one a clause describes (跟仁济医院签协议的莱佛士医疗集团 is about 莱佛士医疗集团)."""
    found = [m for m in ENTITY.finditer(question) if not question.startswith("附属", m.end())]  # not 上海交通大学医学院
    if found:
        subject = next((m for m in found if question[: m.start()].endswith("的")), found[0]).group()
        return subject.removeprefix("附属")
    return next((w for w, flag in jieba.posseg.cut(question) if flag in ("ns", "nt", "nz") and len(w) >= 2), "")


def _other_side(previous: str, question: str) -> str:
    """A question about "另一家" of the two organisations `previous` names: the other one than it asks
    about. "那另一家医院呢？" after "首钢医院和北苑中医医院…，首钢医院方面是由哪位领导揭的牌？" asks it of
    北苑中医医院."""
    named = list(dict.fromkeys(ENTITY.findall(previous)))
    if len(named) != 2:
        return ""
    asked = max(named, key=previous.rfind)  # the one named last is asked about
    other = next(name for name in named if name != asked)
    if _elliptic(question):
        at = previous.rfind(asked)
        return previous[:at] + other + previous[at + len(asked) :]
    return OTHER.sub(other, question, count=1)


def _both(question: str) -> str:
    """The organisations of a question that names two or more: 双方 -> 仁济医院和莱佛士医疗集团."""
    found = ENTITY.findall(question)
    return "和".join(found) if len(found) > 1 else ""


def _person(question: str) -> str:
    return next((w for w, flag in jieba.posseg.cut(question) if flag.startswith("nr") and len(w) >= 2), "")


def _replace_phrase(previous: str, fragment: str, subject: str) -> str:
    """Put `fragment` in place of the phrase of `previous` that plays the same part."""
    office = TITLED.search(previous)
    if office and re.search(rf"(?:{TITLE})$", fragment):  # …的上海市副市长是哪位 + 市卫生健康委主任呢
        start = office.start()
        if subject and ENTITY.search(fragment) and 0 <= previous.find(subject) < start:
            start = previous.find(subject)  # 仁济医院的院长 + 莱佛士医疗集团的董事长: both are replaced
        return previous[:start] + fragment + previous[office.end() :]
    if subject and (ORGANISATION_END.search(fragment) or _is_name(fragment)):
        return previous.replace(subject, fragment, 1)
    runs = _noun_runs(previous)
    fragment_words = {w for w, _ in jieba.posseg.cut(fragment)}
    target = next((run for run in runs if fragment_words & set(jieba.lcut(run))), "")
    asked = ASKING.search(previous)
    nouns = [run for run in runs if len(run) > 1 and not re.search(r"\d|[年月日]$", run)]  # not 人, 2013年
    if not target and nouns and asked:
        after = [run for run in nouns if previous.find(run) > asked.start()]
        target = after[0] if after else nouns[-1]
    if not target or target == subject:
        return f"{previous} {fragment}"
    # the measure word belonged to the replaced noun: 多少例远程医疗合作 -> 多少科研合作
    return MEASURE.sub(r"\1", previous.replace(target, fragment, 1), count=1)


def _noun_runs(text: str) -> list[str]:
    runs: list[str] = []
    current = ""
    for word, flag in jieba.posseg.cut(text):
        if (flag.startswith(NOUNISH) and not ASKING.fullmatch(word)) or (current and word in "（）()"):
            current += word
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def _is_name(fragment: str) -> bool:
    return any(flag in ("nr", "ns", "nt", "nz") for _, flag in jieba.posseg.cut(fragment))
