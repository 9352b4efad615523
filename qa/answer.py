"""Answer: extract a short, cited Chinese answer from retrieved passages, or say plainly it is absent.

Each sentence of the top passages is scored by how much of the question's weighted content words
and character pairs it (and its passage) contains; the short answer of the asked kind (number, date,
person, place, organisation; see spans) is taken where the question word stands or from the clause
that shares most with the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import dropwhile, takewhile

import jieba.posseg
from jieba.posseg import pair

from .chunk import split_sentences
from .question import (
    CHINESE_NUMERALS,
    ENTITY,
    NAMED_END,
    NOT_NAMES,
    STOPWORDS,
    WHY,
    Question,
    analyse,
    asked_from,
    bigrams,
    content_words,
    coverage,
    framing,
    mentions,
    ordinal,
    organisations,
    pair_share,
    proper,
    rare_names,
    synonyms,
    unpicked,
    works,
)
from .retrieve import Hit
from .spans import (
    COUNTED,
    NO_PLACE,
    ORG_END,
    ORG_HEAD,
    PHRASE,
    PLACE_SUFFIX,
    RENAMED,
    TITLE,
    WH,
    anchored,
    asked_department,
    asked_role,
    asked_titles,
    candidates,
    change_role,
    clause_start,
    clauses,
    common_word,
    cut_to,
    in_dimension,
    office_elsewhere,
    offices,
    org_endings,
    out_of_dimension,
    overlaps,
    titled_people,
    titles_beside,
)

# How a sentence is scored: its own share of the asked words, its passage's, the passage's retrieval
# score, its character-pair overlap with the question and the asked words in the sentence before it.
# Chosen on CMRC2018 trial and the tune split: the best sentence holds the answer 85% of the time.
SENTENCE_WEIGHT, CONTEXT_WEIGHT, RETRIEVAL_WEIGHT, PAIR_WEIGHT, BEFORE_WEIGHT = 0.6, 0.4, 0.3, 0.2, 0.1
# Refuse unless the best sentence holds this share of the asked words (beyond its article's title)
# and its passage with the title this share of all the question's words; chosen on the tune split
# and CMRC2018 trial. The checks below (what is asked near a short answer, the organisation named, a
# list that lists nothing) do the finer work, so the passage threshold stays low.
MIN_SENTENCE_COVERAGE = 0.25
MIN_CONTEXT_COVERAGE = 0.55
SAME_NAME_SHARE = 0.7  # of a name's character pairs in another that makes them one name, in another order
MIN_NAME_SHARE = 0.5  # of an organisation's character pairs that the passage must hold when the question names it
MIN_PREDICATE_COVERAGE = 0.05  # share of the question's words beyond its names found around a short answer
TYPED_SENTENCES = 4  # how many of the best sentences are searched for an answer of the asked kind
NEXT_PENALTY = 0.15  # the sentences beside a top sentence are searched too, scored this much lower
BACK_IN_TIME = re.compile(r"彼时|当时|那时|此时|同年|当年|是年|其后|随后")  # the time is in the sentence before
PRONOUN = re.compile(r"(?<![其吉])[他她](?![们人])")  # the person is named in a sentence before
PRONOUN_REACH = 2  # sentences back
MAX_SUPPORT = 3
INTRODUCES = re.compile(  # a clause the items of a list follow: "……议题有：", "芙蓉洞内有70多种沉积物"
    r"(?:有|包括|包含|如下|分别是|分别为|为|是|[：:])\s*$|有(?:\d+|[一二两三四五六七八九十百几]+)多?[种个类项条名位家所大]"
)
NOT_ITEMS = tuple("p c u d r f i q y e o m t".split())  # jieba tags of words that are no item of a list
LIST_PHRASE_SHARE = 0.5  # a clause matching the question at least this share as well as the best may list
COUNT = re.compile(r"(?:近|约)?(?:\d+|[一二两三四五六七八九十百]+)[个家所项位名种类条]")  # 10个, 近六十家
ASKED_ITEMS = re.compile(r"哪(?:些|几[个家所项位名种类条]?)(\w*)")  # and the noun it asks for
VAGUELY = r"(?:多|若干|一些|众多|一批)[家个项位所种类条名][^、，,]{0,8}"  # a count without the items
MAX_ITEMS = 5  # items of a list announced by a colon shown with it
ITEM = re.compile(
    r"\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})[、.．）)]|\s*[（(](?:\d{1,2}|[一二三四五六七八九十]{1,2})[）)]|\s*第[一二三四五六七八九十]"
)
ATTRIBUTION = re.compile(r"[^“”\"。！？]{2,30}(?:表示|说|说道|分享|指出|强调|介绍|称|透露|坦言|谈到)[。！.]?")
SHOW_CHARS = 150
CONTINUITY_BONUS = 0.1  # for a sentence the previous answer quoted: follow-ups often ask about it again
CAUSE_BONUS = 0.25  # for a sentence that gives a reason, when the question asks why
BECAUSE = re.compile(r"因为|由于|原因|为了|所以|因此|因而|来看|鉴于|得益于|之所以|缘于|旨在")
QUOTE_PROBE = 12  # characters of a sentence looked for in the previous answer
# What may stand before a date that only sets the time of the next clause: "在……之初的", a dateline "… --"
FRONTED = re.compile(r"(?:.*(?:--|——))?\s*(?:(?:在|于|自|从|截至|到)\S*)?$")
MEASURE_WORD, PARTICLES = "个位名家所项例张种条座点", "啊呀啦吗呢吧哈嘛"
COUNTED_NOUN = re.compile(  # what 多少个 counts, when the question ends with it: 多少个国内城市
    rf"(?:多少|几)[{MEASURE_WORD}](?P<noun>[^{MEASURE_WORD}\W][\u4e00-\u9fff]{{1,5}}?)(?=[{PARTICLES}]*(?:[？?，,。]|$))"
)
FOUNDED = 0  # the stage of STAGES that founds an organisation
SCOPE = re.compile(r"(?:国内|国外|国际|海外|境内|境外|外籍|本地|全国|全省|全市)(?=的?(?:多少|几))")
STAGES = (  # of a work or an organisation, each dated on its own
    "创建 创办 创立 成立 始建 建院",
    "开工 动工 奠基 开建 启动",
    "竣工 建成 落成 完工 封顶",
    "开业 开诊 运营 投用 投入使用 开张 启用 开放 接诊",
)
WORKPLACE_OF = re.compile(rf"领导|{TITLE}")  # after an organisation: it names where the person works
ASKED_BEFORE = re.compile(r"(?:哪一?[家所个座位]?|什么)$")  # 哪所|大学医学院 is what is asked, not named
DISTRICT = re.compile(r"[\u4e00-\u9fff]{2,3}?(?<!商务)(?<![园片院社小景城东西南北校厂矿展营业])[区县]")  # no 商务区
NAME_MIN = 5  # characters of an organisation the question names for it to be told from an answer
PLACE_REACH = 16  # characters before a candidate in which the place the question names must stand
CAMPUS = re.compile(rf"(?P<of>{ENTITY.pattern})(?P<campus>[东西南北]院|分院)")  # 仁济医院东院
THAT_ONE = re.compile(r"该(?:医院|院|集团|公司|机构|中心)")
THAT_ORGANISATION = re.compile(r"该(集团|公司)")  # a group is another than its hospital, not the reverse
PHASE = re.compile(r"[一二三四五六七八九十]期")
STAGE_BONUS = 0.2  # added to a date in a clause of the stage asked about
ROLE_WEIGHT = 0.2  # for the figure of a change that is asked for (增长了多少: 162%), against the others
COUNTED_WEIGHT = 0.2  # for a count followed by what the question counts
ASKED_COUNT = re.compile(rf"(?:多少|几)[{MEASURE_WORD}人]([^，,。？?！!]+)")  # and what follows it
# 几条规划 is answered by 三点战略规划, 多少座城市 by 15个
ALIKE_UNITS = {unit: "条点项" for unit in "条点项"} | {"座": "座个", "栋": "栋座个"}
DEPARTMENT_REACH = 12  # characters before a person in which the department the question names must stand
OFFICE_LIKE = re.compile(  # words an office ends with: 副书记, 议员, 推官, 知县
    r"(?<![增成延生擅专特])长|[员官]|师(?!生)|书记|主任|主席|委员|顾问|参谋|总督|知[县府州]|经理|董事|秘书|主管|总裁|首席|教授|院士"
)
ANY_TITLE = frozenset({"负责人"})  # a title that any other title answers
LOCATED_AFTER = r"[^，,。？?]{0,6}?(?:在|位于|坐落|落在|地处)"  # what follows an organisation whose place is asked
PLACE_DETAIL = 0.01  # per character of a place: 上海市浦东新区前滩国际商务区 says more than 浦东新区前滩地区
NAME_MAX_CHARS = 5  # a longer phrase where a name stood that begins with a common word names nobody
ANCHOR_BONUS = 0.3  # added to a candidate that stands where the question word stood
LEAD_MAX = 16  # a longer short answer is shown inside its sentence, not in bold
META = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})?[ ]?(?:来源：(?P<source>\S+))?$", re.MULTILINE)  # clean's second line
AGENCY = re.compile(  # a news dateline: "北京2023年12月18日 /美通社/ --" or "新华社北京3月5日电"
    r"\d{1,2}日\s*[/／]\s*(?P<slashed>[^/／\s]{2,10})\s*[/／]|(?P<agency>[\u4e00-\u9fff]{1,5}社)[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日电"
)
DATELINE = re.compile(r"\s(?:--|——)\s*")  # a date before it dates the story, what follows tells the event
ASKS_AGENCY = re.compile(r"电头|通讯社|发稿|通稿")
NUMERAL = re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?|第?[一二三四五六七八九十]+(?=[期批届轮号])")  # 二期 asks of no 一期
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
    named_before: Sentence | None = None  # the sentence before that names whom its 他/她 stands for


def extract(question: str, hits: list[Hit], previous: str = "", corpus: str = "") -> Answer:
    """The extractive answer to `question` from `hits` (best first); `previous` is the answer before it.
    A rare name that neither the `corpus` (all articles' text) nor, shortened, the hits hold is not
    answered: 和睦家骨科 of a sidebar headline."""
    if corpus and any(_unknown(name, corpus, hits) for name in rare_names(question)):
        return refusal(question, hits)
    asked = analyse(question)
    sentences = rank_sentences(asked, hits, previous)
    best = sentences[0] if sentences else None
    context = coverage(asked.words, hits[best.hit].title + hits[best.hit].text) if best else 0.0
    if asked.kind in ("source", "published"):
        return _about_article(question, asked, hits)
    if asked.kind == "item":
        return _listed(question, asked, sentences, hits)
    if best is None or best.alone < MIN_SENTENCE_COVERAGE or context < MIN_CONTEXT_COVERAGE:
        return refusal(question, hits)
    typed = asked.kind in ("number", "date", "person", "place", "org")
    if _names_another(asked, hits[best.hit], hits, numbers=not typed):  # a short answer's passage is checked
        return refusal(question, hits)
    if typed:
        pool = _with_neighbours(_typed_pool(asked, sentences, hits), sentences, asked.kind)
        found = short_answer(asked, pool, hits)
        if found is None:
            return refusal(question, hits)
        short, sentence = found
        support = [sentence.named_before, sentence] if short not in sentence.text else [sentence]
        return _compose(question, hits, support, lead=short if _reads_as_answer(short) else "")
    if asked.kind == "title" and (found := _office(asked, sentences[:TYPED_SENTENCES])):
        return _compose(question, hits, [found[1]], lead=found[0])
    if asked.kind == "title" and not any(OFFICE_LIKE.search(s.text) for s in sentences[:TYPED_SENTENCES]):
        return refusal(question, hits)  # "她被派到保定挂职工作" names no office
    if asked.kind == "list" and _lists_nothing(asked, best.text):
        return refusal(question, hits)
    chosen = [s for s in sentences[:MAX_SUPPORT] if s.score >= best.score * 0.8 and s.alone >= MIN_SENTENCE_COVERAGE]
    return _compose(question, hits, _with_items(chosen, sentences))


def _unknown(name: str, corpus: str, hits: list[Hit]) -> bool:
    """Whether the articles hold less than half of `name`'s character pairs and no hit names it, perhaps
    shortened (a name jieba cut with a character of the next word, 布发源 of 扎加藏布发源于, is known)."""
    pairs = bigrams(name)
    known = sum(pair in corpus for pair in pairs) >= MIN_NAME_SHARE * len(pairs)
    return not known and not any(mentions(hit.title + hit.text, name) for hit in hits)


def rank_sentences(asked: Question, hits: list[Hit], previous: str = "") -> list[Sentence]:
    """Distinct sentences of the hits, best first; those the `previous` answer quoted count a little more."""
    top = hits[0].score if hits and hits[0].score > 0 else 1.0
    seen: set[tuple[str, int]] = set()
    sentences: list[Sentence] = []
    why = bool(WHY.search(asked.text))
    for rank, hit in enumerate(hits):
        asked_here = _beyond(asked.words, hit.title)
        passage = CONTEXT_WEIGHT * coverage(asked.words, hit.title + hit.text) + RETRIEVAL_WEIGHT * hit.score / top
        before = 0.0
        for start, end in _attributed(hit.text):
            text = hit.text[start:end]
            alone = coverage(asked_here, text)
            pairs = pair_share(asked.pairs, text)
            score = passage + SENTENCE_WEIGHT * alone + PAIR_WEIGHT * pairs + BEFORE_WEIGHT * before
            score += CONTINUITY_BONUS if previous and _quoted(text, previous) else 0.0
            score += CAUSE_BONUS if why and BECAUSE.search(text) else 0.0
            before = alone
            if (hit.doc_id, hit.start + start) not in seen:
                seen.add((hit.doc_id, hit.start + start))
                sentences.append(Sentence(rank, hit.start + start, hit.start + end, text, score, alone))
    return sorted(sentences, key=lambda s: -s.score)


def _attributed(text: str) -> list[tuple[int, int]]:
    """The sentences of `text`, a quotation joined with the short line that says who spoke it:
    "“希望未来……产业群。” 嘉会医疗首席执行官葛丰先生分享。"."""
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        if spans and text[spans[-1][1] - 1] in "”\"'」" and ATTRIBUTION.fullmatch(text[start:end]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _quoted(sentence: str, answer: str) -> bool:
    """Whether `answer` quotes `sentence`, perhaps only a window of it (see _shorten)."""
    sentence = sentence.replace("\n", " ").strip()
    probes = range(0, max(1, len(sentence) - QUOTE_PROBE + 1), QUOTE_PROBE)
    return any(sentence[at : at + QUOTE_PROBE] in answer for at in probes)


def _typed_pool(asked: Question, sentences: list[Sentence], hits: list[Hit]) -> list[Sentence]:
    """The best sentences, and for 主任是谁 every other of the best one's article that prints the asked title."""
    top = sentences[:TYPED_SENTENCES]
    titles = asked_titles(asked.text) if asked.kind == "person" else set()
    article = hits[top[0].hit].doc_id
    return top + [
        s for s in sentences[TYPED_SENTENCES:] if hits[s.hit].doc_id == article and any(t in s.text for t in titles)
    ]


def _with_neighbours(top: list[Sentence], everything: list[Sentence], kind: str) -> list[Sentence]:
    """`top` plus the sentence after each (scored a little lower): answers often follow their topic;
    for a date, the sentence before one that points back to its time ("彼时……"); for a person, a
    sentence with 他/她 knows the one before that names who it stands for."""
    by_start = {(s.hit, s.start): s for s in everything}
    starts = sorted(by_start)
    pool, neighbours = [], []
    for sentence in top:
        mine = [k for k in starts if k[0] == sentence.hit]
        earlier = [by_start[k] for k in reversed(mine) if k[1] < sentence.start]
        named = kind == "person" and PRONOUN.search(sentence.text)
        pool.append(replace(sentence, named_before=_naming(earlier)) if named else sentence)
        after = next((by_start[k] for k in mine if k[1] > sentence.start), None)
        back = earlier[0] if kind == "date" and earlier and BACK_IN_TIME.search(sentence.text) else None
        for other in (after, back):
            if other and other not in top:
                neighbours.append(replace(other, score=sentence.score - NEXT_PENALTY))
    return pool + neighbours


def _naming(earlier: list[Sentence]) -> Sentence | None:
    """The nearest of the sentences before one with 他/她 that names the person without a pronoun."""
    return next((s for s in earlier[:PRONOUN_REACH] if not PRONOUN.search(s.text)), None)


def _announces(sentence: str) -> bool:
    """Whether `sentence` ends with a colon, announcing what the next ones say ("提出三点战略规划：")."""
    return sentence.rstrip().endswith(("：", ":"))


def _lists_nothing(asked: Question, sentence: str) -> bool:
    """The clauses that match a 哪些 question best only restate it: "涵盖仁济优势学科" names no 学科."""
    if _announces(sentence):
        return False  # "……议题有：" the items follow
    if any(_only_counted(count, sentence) for count in _asked_counts(asked.text)):
        return True  # 那10个具体是哪些: the sentence, too, only counts them
    noun = _asked_noun(asked.text)
    phrases = list(PHRASE.finditer(sentence))
    texts = [phrase.group() for phrase in phrases]
    if noun and any(noun in text and "、" in text for text in texts):
        return False  # 哪些方式: "通过定期会诊、双向转诊、远程医疗等方式"
    if noun and any(re.search(VAGUELY + noun, text) and "、" not in text for text in texts):
        return True  # 哪几家企业: "与多家国际领先企业的强强联手" names none
    words = asked.predicate or asked.words
    shares = [coverage(words, text) for text in texts]
    best = max(shares, default=0.0)
    for phrase, text, share in zip(phrases, texts, shares):
        if share < best * LIST_PHRASE_SHARE and "、" not in text:
            continue  # a list may follow what it matches: "揭牌仪式后,…参观了门诊部、住院病房"
        if INTRODUCES.search(sentence[phrase.start() : phrase.end() + 1]):
            return False
        if any(_new_item(word, asked.text) for word in jieba.posseg.cut(text)):
            return False
    return bool(phrases)


def _asked_noun(question: str) -> str:
    """What a 哪些 question asks to list, by its first two characters: 哪些方式 -> 方式."""
    asked = ASKED_ITEMS.search(question)
    return re.sub(r"^(?:具体|分别|主要|都是|都)", "", asked.group(1))[:2] if asked else ""


def _asked_counts(question: str) -> list[str]:
    """The counts the question gives of what it asks to list: 近六十家 (保险公司) of 都是哪些保险公司,
    10个 of 那10个具体是哪些; not 40个 (医联体) of 名单是由哪几个部门确认的."""
    asked = ASKED_ITEMS.search(question)
    if not asked:
        return []
    noun = _asked_noun(question)
    return [
        count.group()
        for count in COUNT.finditer(question[: asked.start()])
        if question.startswith(noun, count.end())
        and (noun or not re.search(r"[，,]", question[count.end() : asked.start()]))
    ]


def _only_counted(count: str, sentence: str) -> bool:
    """Whether `sentence` gives `count` (10个) in a clause that lists nothing."""
    at = sentence.find(count)
    return at >= 0 and "、" not in clauses(sentence, at, PHRASE)[0]


def _new_item(word: pair, question: str) -> bool:
    """Whether `word` could be an item the question does not name: no function word, number or idiom
    (通过, 40, 榜上有名), neither in the question nor a synonym of a word in it, nor made of its characters."""
    text = word.word
    if len(text) < 2 or word.flag.startswith(NOT_ITEMS) or text in STOPWORDS:
        return False
    return not any(w in question for w in (text, *synonyms(text))) and not set(text) <= set(question)


def _about_another(asked: Question, sentence: str) -> bool:
    """`sentence` names, instead of an organisation or a project the question names, another one of
    its kind or a project: 科学城的…成像设施工程竣工 is no answer about 怀密医学中心(一期工程); or another
    campus of it: 仁济医院东院 for 仁济医院西院."""
    if _another_campus(asked.text, sentence):
        return True
    for name in filter(proper, organisations(asked.text) + works(asked.text)):
        kind = NAMED_END.search(name)
        if kind and not mentions(sentence, name) and _that_other_kind(sentence, kind.group()):
            return True  # 该集团成立于1976年 is not when 上海莱佛士医院 was
        if kind and not mentions(sentence, name):
            projects = works(sentence)  # an organisation's news is not another's 工程
            others = [o for o in organisations(sentence) + projects if o.endswith(kind.group()) or o in projects]
            asking = _asking_clause(asked.text, name)
            others = [o for o in others if not mentions(asking, o)]
            others += [o for o in organisations(asked.text) if o not in asking and mentions(sentence, o)]
            if not all(_same(name, other) for other in others):
                return True
    return False


def _another_campus(question: str, sentence: str) -> bool:
    """Whether `sentence` names only other campuses of an organisation than the one the question names."""
    for asked in CAMPUS.finditer(question):
        told = {m.group("campus") for m in CAMPUS.finditer(sentence) if mentions(m.group("of"), asked.group("of"))}
        if told and asked.group("campus") not in told:
            return True
    return False


def _topic_elsewhere(asked: Question, sentence: Sentence, hit: Hit) -> bool:
    """A sentence that names none of the question's organisations speaks of the one the sentence before
    begins with, when that sentence names the asked one later and the article is about its first:
    "北京嘉会国际化医院将在上海嘉会国际医院基础上再度升级……。医院综合体……规划床位500张" gives
    北京嘉会's beds, not 上海嘉会's."""
    asked_names = [m.group() for m in ENTITY.finditer(unpicked(asked.text)) if proper(m.group())]
    trimmed = [name for name in organisations(asked.text) if proper(name)]  # 仁济医院 of 现任仁济医院
    if not asked_names or any(mentions(sentence.text, name) for name in asked_names + trimmed):
        return False
    before = hit.text[: sentence.start - hit.start]
    if that := THAT_ONE.search(sentence.text):
        return _that_one_elsewhere(trimmed, before + sentence.text[: that.start()])
    for start, end in reversed(split_sentences(before)):
        subject = ENTITY.search(before, start, end)
        if subject:
            later, own = before[subject.end() : end], subject.group()
            return (
                mentions(hit.title, own)
                and not any(_same(name, own) for name in asked_names)
                and any(mentions(later, name) and not mentions(hit.title, name) for name in asked_names)
            )
    return False


def _that_one_elsewhere(asked_names: list[str], before: str) -> bool:
    """Whether the 该医院 after `before` is another organisation than those asked: the first one the
    nearest sentence names ("新加坡莱佛士医疗集团董事长……。而……该医院……" is 莱佛士's)."""
    cores = [core for core in map(_core, asked_names) if core]
    for start, end in reversed(split_sentences(before)):
        named = [name for name in organisations(before[start:end]) if proper(name)]
        if named:
            return bool(cores) and not any(core in named[0] for core in cores)
    return False


def _core(name: str) -> str:
    """The name without its kind and the places and words before it: 上海莱佛士医院 -> 莱佛士, as in
    莱佛士医疗集团, 附属仁济医院 -> 仁济; "" for a place and a kind (上海医院)."""
    words = list(jieba.posseg.cut(NAMED_END.sub("", name)))
    if all(w.flag == "ns" for w in words):
        return ""
    leading = dropwhile(lambda w: w.flag in NOT_NAMES | {"ns", "b"}, words[:-1])
    return "".join(w.word for w in leading) + words[-1].word


def _asking_clause(question: str, name: str) -> str:
    """What the question says from the clause naming `name` on: "仁济医院一年看700万人次，那上海莱佛士医院
    一年能看多少？" compares 仁济医院 with what it asks about."""
    at = question.find(name)
    return question[max(question.rfind(mark, 0, at) for mark in "，,；;。？?") + 1 :] if at >= 0 else question


def _that_other_kind(sentence: str, kind: str) -> bool:
    """Whether `sentence` speaks of "该集团" or "该公司" when the question asks about another kind."""
    return any(not kind.endswith(m.group(1)) for m in THAT_ORGANISATION.finditer(sentence))


def _same(name: str, other: str) -> bool:
    """Whether two names may name one thing: 北大首钢医院 and 北京大学首钢医院, 嘉会北京医院一期工程 and
    北京嘉会国际化医院一期工程; not 北京同仁医院保定医院 and 北京儿童医院保定医院."""
    return mentions(other, name) or mentions(name, other) or pair_share(bigrams(name), other) >= SAME_NAME_SHARE


def _names_another(asked: Question, best: Hit, hits: list[Hit], numbers: bool = True) -> bool:
    """The question names an organisation or a number its best passage does not (瑞金医院 in a story
    about 仁济医院, 二期 of a project whose 一期 is reported), or a person with a title that no
    retrieved passage names (保定市长闫继红, only in the page's sidebar)."""
    retrieved = "".join(hit.title + hit.text for hit in hits)
    return (
        not _holds_names(asked, best)
        or any(person not in retrieved for person in titled_people(asked.text))
        or (numbers and not _holds_numbers(asked, best))
    )


def _holds_numbers(asked: Question, hit: Hit) -> bool:
    """Whether `hit` holds the numbers the question names: 二期, 2014年."""
    return all(number in hit.title + hit.text for number in NUMERAL.findall(asked.text))


def _holds_names(asked: Question, hit: Hit) -> bool:
    """Whether `hit` names, perhaps shortened, the organisations the question names."""
    text = hit.title + hit.text
    return all(pair_share(bigrams(name), text) >= MIN_NAME_SHARE for name in _named_organisations(asked.text))


def _named_organisations(question: str) -> list[str]:
    """The proper organisations the question names, not the kind it asks for: 哪家美国医疗机构 names none."""
    return [
        name
        for name in organisations(question)
        if proper(name)
        and not ASKED_BEFORE.search(question, 0, max(0, question.find(name)))
        and name + "附属" not in question  # 上海交通大学医学院附属仁济医院 is named 仁济医院
    ]


def _with_items(chosen: list[Sentence], everything: list[Sentence]) -> list[Sentence]:
    """`chosen` in reading order; one that ends with a colon ("提出三点战略规划：") brings the items it announces."""
    order = sorted(everything, key=lambda s: (s.hit, s.start))
    kept = set(chosen)
    for sentence in chosen:
        if not _announces(sentence.text):
            continue
        at = order.index(sentence) + 1
        following = [s for s in order[at : at + MAX_ITEMS] if s.hit == sentence.hit]
        kept.update(list(takewhile(lambda s: ITEM.match(s.text), following)) or following[:1])
    return sorted(kept, key=lambda s: (s.hit, s.start))


def _beyond(words: dict[str, float], title: str) -> dict[str, float]:
    """The question's words that its article's title does not already name (what is asked)."""
    rest = {w: v for w, v in words.items() if w not in title}
    return rest or words


def short_answer(asked: Question, sentences: list[Sentence], hits: list[Hit]) -> tuple[str, Sentence] | None:
    """The best candidate of the asked kind in `sentences` (of `hits`), with the sentence it came from."""
    best: tuple[float, str, Sentence] | None = None
    titles = asked_titles(asked.text) if asked.kind == "person" else set()
    endings = org_endings(asked.text) if asked.kind == "org" else ()
    people = titled_people(asked.text)
    for sentence in sentences:
        hit = hits[sentence.hit]
        if _of_another(asked, sentence, hit, people):
            continue
        span = anchored(asked.text, sentence.text)
        found = candidates(asked.kind, sentence.text) + _stood_for(sentence)
        alone = span and _standing(asked, sentence.text, span)
        if alone and not any(overlaps(s, c, alone) for s, c in found):
            found.append((alone[0], sentence.text[alone[0] : alone[1]]))
        for start, candidate in found:
            candidate = cut_to(candidate, endings)
            if asked.kind == "org" and (COUNTED.match(candidate) or not candidate.endswith(endings or ("",))):
                continue  # 两家医院 names no organisation; 仁济医院 is no answer to 哪所大学
            score = _candidate_score(asked, titles, sentence, start, candidate)
            if score is not None and _holds_office_elsewhere(asked, candidate, hit.text):
                score = None
            if score is not None:
                score += ANCHOR_BONUS if span and overlaps(start, candidate, span) else 0.0
                if best is None or score > best[0]:
                    best = (score, candidate, sentence)
    return (best[1], best[2]) if best else None


def _of_another(asked: Question, sentence: Sentence, hit: Hit, people: set[str]) -> bool:
    """Whether `sentence` (of `hit`) speaks of another organisation, person or number than the question:
    北京儿童医院保定医院…预计2025年初投入运营 says nothing of 北京同仁医院保定医院, and 嘉会's 500张 beds
    are not 首钢医院's."""
    return (
        _about_another(asked, sentence.text)
        or any(person not in hit.text for person in people)
        or _topic_elsewhere(asked, sentence, hit)
        or not _holds_names(asked, hit)
        or not _holds_numbers(asked, hit)
    )


def _listed(question: str, asked: Question, sentences: list[Sentence], hits: list[Hit]) -> Answer:
    """The answer to 第二点是什么: the item numbered so, when its article's passages hold what is asked
    (李猛 of the sentence announcing the list, 通道 of the item)."""
    item = _item(ordinal(question), sentences, hits)
    if item is None:
        return refusal(question, hits)
    article = "".join(hit.title + hit.text for hit in hits if hit.doc_id == hits[item.hit].doc_id)
    if coverage(asked.words, article) < MIN_CONTEXT_COVERAGE:
        return refusal(question, hits)
    return _compose(question, hits, [item])


def _item(n: int, sentences: list[Sentence], hits: list[Hit]) -> Sentence | None:
    """The item numbered `n` of a list near one of the best sentences: 第二点 of "提出三点战略规划：" is
    the sentence "2、完善分级诊疗体系……" after it, or the "二是……" of a sentence that enumerates."""
    order = sorted(sentences, key=lambda s: (hits[s.hit].doc_id, s.start))
    for sentence in sentences[:TYPED_SENTENCES]:
        at, doc = order.index(sentence), hits[sentence.hit].doc_id
        near = [s for s in order[max(0, at - MAX_ITEMS) : at + MAX_ITEMS + 1] if hits[s.hit].doc_id == doc]
        for other in sorted(near, key=lambda s: abs(s.start - sentence.start)):
            if item := _numbered(other.text, n):
                return replace(other, text=item)
    return None


def _numbered(text: str, n: int) -> str:
    """The part of `text` that is item `n` of a list: "2、完善……" whole, or "二是……" up to the next item."""
    digit, numeral = str(n), CHINESE_NUMERALS[n - 1] if n <= len(CHINESE_NUMERALS) else str(n)
    head = re.match(rf"\s*(?:(?:{digit}|{numeral})[、）)]|{digit}[.．](?!\d)|[（(](?:{digit}|{numeral})[）)])", text)
    if head:
        return text
    marker = rf"{numeral}是|第{numeral}[，,、是]|其{numeral}[，,、]"
    inner = re.search(rf"(?:^|[，,；;。：:])\s*((?:{marker})[^；;。]*[；;。]?)", text)
    return inner.group(1) if inner else ""


def _office(asked: Question, sentences: list[Sentence]) -> tuple[str, Sentence] | None:
    """The titles a sentence prints beside the person the question names, with that sentence."""
    people = [word for word, flag in jieba.posseg.cut(asked.text) if flag.startswith("nr") and len(word) >= 2]
    for sentence in sentences:
        for name in people:
            at = sentence.text.find(name)
            held = offices(sentence.text, at, len(name)) if at >= 0 else ""
            if held:
                return held, sentence
    return None


def _stood_for(sentence: Sentence) -> list[tuple[int, str]]:
    """The people the sentence before names, placed where this sentence's 他/她 stands."""
    if sentence.named_before is None:
        return []
    pronoun = PRONOUN.search(sentence.text).start()
    return [(pronoun, name) for _, name in candidates("person", sentence.named_before.text)]


def _in_unit(candidate: str, unit: str) -> bool:
    """Whether `candidate` is counted in `unit`: 800余场次 counts 场, 近6000人次 counts no 人."""
    alike = ALIKE_UNITS.get(unit, unit)
    return any(u in candidate for u in alike) and (unit != "人" or "人次" not in candidate)


def _reads_as_answer(short: str) -> bool:
    """Whether `short` is fit to lead in bold; a long phrase is better shown inside its sentence."""
    return len(short) <= LEAD_MAX and not re.search(r"[的了其曾]", short)


def _standing(asked: Question, text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The words found where the question word stood, if they may answer a 谁/哪里/哪家 question alone.

    They must name something: an organisation ends like one (南昌路 + the asked 小学, not
    我市召开…城市), and a lone function word (与) names nothing.
    """
    words = text[span[0] : span[1]]
    if len(words) < 2 or (asked.kind != "person" and not _word_bounds(text, span[0])):
        return None  # 北京|大学首钢医院 begins inside a word
    if asked.kind == "org":
        head = ORG_HEAD.match(text, span[1])
        if head and head.group() in asked.text and _word_bounds(text, head.end()):
            return span[0], head.end()
        return span if ORG_END.search(words) and _word_bounds(text, span[1]) else None  # not 设计团|队
    if asked.kind != "person":
        return span if asked.kind == "place" else None
    office = ORG_END.search(words) and WORKPLACE_OF.match(text, span[1])  # 首钢医院医务处 of 医务处领导李猛
    first = next(iter(jieba.posseg.cut(words)))
    if office or common_word(words) or first.flag.startswith(("p", "u")):  # 对一中心的诊断报告…
        return None
    if first.flag in ("n", "v", "vn", "d", "a") and common_word(first.word) and len(words) > NAME_MAX_CHARS:
        return None  # 专家|团队定期出诊 begins with a common word: it names nobody
    return (span[0] + len(first.word), span[1]) if first.flag == "c" else span  # 但只有世袭统治者


def _word_bounds(text: str, at: int) -> bool:
    """Whether a jieba word of `text` begins or ends at `at`."""
    position = 0
    for word in jieba.lcut(text):
        if position >= at:
            break
        position += len(word)
    return position == at


def _candidate_score(asked: Question, titles: set[str], sentence: Sentence, start: int, candidate: str) -> float | None:
    """How well `candidate` at `start` answers (`titles`: those a 谁 question asks for); None if it cannot."""
    text = sentence.text
    if any(candidate in said or PLACE_SUFFIX.sub("", candidate) in said for said in (asked.text, asked.said)):
        return None
    if asked.kind == "org" and _not_what_is_asked(asked.text, text, start, candidate):
        return None
    if asked.kind == "number" and (phase := PHASE.search(asked.text)) and phase.group() not in text:
        return None  # the 约1160亩 of the whole 医学中心 is not its 一期's
    if asked.kind == "place" and _another_district(asked.text, candidate):
        return None  # 密云区西统路38号 is not where in 海淀区
    if asked.kind == "place" and any(pair_share(bigrams(n), candidate) >= MIN_NAME_SHARE for n in _located(asked.text)):
        return None  # 将在上海莱佛士医院落地: the hospital is not where it is
    if asked.unit and not _in_unit(candidate, asked.unit):
        return None
    near = clauses(text, start, PHRASE)[1]
    if (
        _says_something(asked.predicate)
        and coverage(asked.predicate, near) < MIN_PREDICATE_COVERAGE
        and not (asked.kind == "date" and _stages(asked.text) & _stages(near))  # 开张 is told by 运营
    ):
        return None  # nothing of what is asked near it: 哪一年开业 needs some trace of 开业
    own, around = clauses(text, start)
    if (asked.kind == "date" and _fronted(text, own, start, candidate)) or own == candidate:
        own += clauses(text, start + len(candidate) + 1)[0]  # what a fronted time or name is said of:
        # "曹振环,一位来自北京佑安医院……的专家"
    elif asked.kind == "date" and DATELINE.search(own):  # "北京2023年12月18日 /美通社/ -- …,…启动仪式…举行"
        own += clauses(text, clause_start(text, start) + len(own) + 1)[0]
    role = change_role(text, start) if asked.kind == "number" else ""
    if role == "change" and (opens := clause_start(text, start)) > 1:  # "注册护士从…增长到32581人,增长162%"
        own = clauses(text, opens - 2)[0] + own  # the clause before says whose change it is
    if asked.kind == "date" and _another_stage(asked.text, own):
        return None  # 哪年开工 is not answered by the year it 建成
    staged = asked.kind == "date" and _stages(asked.text) & _stages(own)  # 预计2025年初投入运营: 啥时候能投入使用
    if asked.kind == "number" and (
        out_of_dimension(asked.text, candidate)
        or _counts_another(asked.text, text, start, candidate)
        or (candidate.endswith("级") and "级" not in asked.text)  # 三级甲等 is a grade, no count
    ):
        return None
    score = sentence.score + 0.6 * coverage(asked.words, own) + 0.1 * coverage(asked.words, around)
    score += STAGE_BONUS if staged else 0.0
    score += PLACE_DETAIL * len(candidate) if asked.kind == "place" else 0.0
    score += ANCHOR_BONUS if asked.kind == "org" and _renamed(asked.text, text, start + len(candidate)) else 0.0
    if asked.kind == "number":
        score -= 0.2 if candidate[-1].isdigit() else 0.0  # a bare number is rarely the answer to 多少
        score += 0.2 if in_dimension(asked.text, candidate) else 0.0
        score += COUNTED_WEIGHT * _counted_match(asked, text, start, candidate)
        if (asked_for := asked_role(asked.text)) and role:
            score += ROLE_WEIGHT if role == asked_for else -ROLE_WEIGHT
    if titles:  # 市委书记是谁 -> a name printed beside 市委书记, or in a clause that names it
        department = asked_department(asked.text)
        if department and department not in text[max(0, start - DEPARTMENT_REACH) : start]:
            return None  # 泌尿外科主任张玉石 is not the 内分泌科主任
        beside = titles_beside(text, start, len(candidate))
        if beside and titles <= ANY_TITLE:  # 负责人是谁: 董事长吕俊暘
            titles = titles | beside
        if beside and not beside & titles:
            return None  # 李猛处长 for 首钢医院的院长
        if beside:
            score += 0.3
        elif not any(title in own for title in titles):
            return None
    return score


def _not_what_is_asked(question: str, text: str, start: int, candidate: str) -> bool:
    """Whether an organisation is the one the question asks about (北儿保定医院以前是哪家医院: not
    北京儿童医院保定医院), or lies outside the place it names (北京哪家医院: a hospital in 北京)."""
    named = [m.group() for m in ENTITY.finditer(question) if not ASKED_BEFORE.search(question, 0, m.start())]
    if any(mentions(candidate, name) for name in named if len(name) >= NAME_MIN):
        return True
    place = _place_before_asking(question)
    return bool(place) and place not in text[max(0, start - PLACE_REACH) : start + len(candidate)]


def _renamed(question: str, text: str, end: int) -> bool:
    """Whether the organisation ending at `end` is, by another name, one the question names:
    北京医学院第一医院(现北京大学第一医院)."""
    other = RENAMED.match(text, end)
    return bool(other) and any(mentions(other.group(1), name) for name in organisations(question))


def _located(question: str) -> list[str]:
    """The organisations the question asks the place of: 上海莱佛士医院(的院址)具体在哪, not 北苑中医医院
    of 北苑中医医院医联体的揭牌仪式在哪举行."""
    return [name for name in organisations(question) if re.search(re.escape(name) + LOCATED_AFTER, question)]


def _another_district(question: str, candidate: str) -> bool:
    """Whether `candidate` lies in another district or county than the one the question names."""
    words = list(jieba.posseg.cut(question))
    asked = {w.word for before, w in zip([None, *words], words) if DISTRICT.fullmatch(w.word) and _stands_alone(before)}
    return bool(asked) and any(m.group() not in asked for m in DISTRICT.finditer(candidate))


def _stands_alone(before: pair | None) -> bool:
    """Whether a word after `before` begins a name: not 城东区 of 怀柔科学城东区."""
    return before is None or not before.flag.startswith(("n", "j"))


def _place_before_asking(question: str) -> str:
    """The place that qualifies what the question asks for: 北京 of 找北京哪家医院."""
    words = [w for w in jieba.posseg.cut(question) if w.word != "的"]
    after = (before for before, word in zip(words, words[1:]) if word.word.startswith("哪"))
    return next((w.word for w in after if w.flag == "ns" and w.word not in NO_PLACE), "")


def _says_something(predicate: dict[str, float]) -> bool:
    """Whether the words outside the names say more than 跟 and 办 of 跟北京哪家医院一起办的."""
    return any(len(word) > 1 and not framing(word) for word in predicate)


def _counted_match(asked: Question, text: str, start: int, candidate: str) -> float:
    """How much of what the question's 几所/多少名 is followed by also follows `candidate`, up to the next
    figure: "10所市属和3所驻保省属医疗机构" answers 几所驻保的省属医疗机构 with 3所."""
    words = {w: v for w, v in _counted_words(asked.text).items() if w in asked.words}
    after = re.match(r"[^，,。；;、\d一二两三四五六七八九十]*", text[start + len(candidate) :]).group()
    return coverage(words, after) if words and after else 0.0


@lru_cache(maxsize=256)
def _counted_words(question: str) -> dict[str, float]:
    """The words after the question's 几所/多少名, cut once per question rather than once per candidate."""
    said = ASKED_COUNT.search(question)
    return content_words(said.group(1)) if said else {}


def _counts_another(question: str, text: str, start: int, candidate: str) -> bool:
    """Whether `candidate` counts something other than the question's 多少个国内城市 (国内多少个城市): a clause
    without 城市 (近六十家保险公司), or other 城市 (15个国际城市)."""
    asked = COUNTED_NOUN.search(question)
    if not asked:
        return False
    scope = SCOPE.search(question)  # 覆盖了国内多少个城市 counts 国内城市
    noun = (scope.group() if scope and scope.end() <= asked.start() else "") + asked["noun"].rstrip(PARTICLES)
    if len(noun) < 3:
        return False
    head = noun[-2:]
    after = re.match(r"[^，,。；;、（(]*", text[start + len(candidate) :]).group()[: len(noun) + 2]
    return head not in clauses(text, start, PHRASE)[0] or (head in after and noun not in after)


def _stages(text: str) -> set[int]:
    """The STAGES that `text` speaks of, by index."""
    return {i for i, stage in enumerate(STAGES) if any(word in text for word in stage.split())}


def _another_stage(question: str, clause: str) -> bool:
    """Whether `clause` dates only another stage of a work than the question asks about (开工, 竣工, 开业);
    an organisation is founded (成立) when it opens, so a founding question takes any."""
    asked, told = _stages(asked_from(question)), _stages(clause)  # 一期工程已经启动，它预计在哪一年竣工
    return bool(asked and told) and not asked & told and FOUNDED not in asked


def _fronted(text: str, own: str, start: int, candidate: str) -> bool:
    """Whether `candidate` closes a clause that only sets the time of the next one:
    "在……之初的2015年,北京儿童医院正式托管……"."""
    end = start + len(candidate)
    return own.endswith(candidate) and bool(FRONTED.match(own[: -len(candidate)])) and text.startswith(("，", ","), end)


def _holds_office_elsewhere(asked: Question, name: str, passage: str) -> bool:
    """The passage gives `name` a title at an organisation other than the one the question asks about
    (the last it names before its question word): 北京北苑中医医院院长柳娟 is not who 首钢医院 sent."""
    if asked.kind != "person" or not ENTITY.search(asked.text):
        return False
    wh = WH.search(asked.text)
    named = [m.group() for m in ENTITY.finditer(asked.text[: wh.start() if wh else None])]
    about = named[-1] if named else asked.text  # 北大首钢医院和北苑中医医院…，首钢医院那边是谁: 首钢医院
    return any(office_elsewhere(passage, m.start(), about) for m in re.finditer(re.escape(name), passage))


def _about_article(question: str, asked: Question, hits: list[Hit]) -> Answer:
    """Where or when the best-matching article was published, from its date and source line."""
    top = hits[0] if hits else None
    if top is None or coverage(asked.words, top.title + top.text) < MIN_CONTEXT_COVERAGE:
        return refusal(question, hits)
    field = "source" if asked.kind == "source" else "date"
    if asked.kind == "source" and ASKS_AGENCY.search(question):
        return _dateline(question, hits) or refusal(question, hits)
    for rank, hit in enumerate(hits):
        match = next((m for m in META.finditer(hit.text) if m.group(field)), None)
        if match and hit.doc_id == top.doc_id:
            line = Sentence(rank, hit.start + match.start(), hit.start + match.end(), match.group(), 1.0, 1.0)
            return _compose(question, hits, [line], lead=match.group(field))
    return refusal(question, hits)


def _dateline(question: str, hits: list[Hit]) -> Answer | None:
    """The agency in the dateline of the best-matching article: 北京2023年12月18日 /美通社/ -> 美通社."""
    for rank, hit in enumerate(hits):
        match = AGENCY.search(hit.text) if hit.doc_id == hits[0].doc_id else None
        if match:
            spans = split_sentences(hit.text)
            start, end = next(((s, e) for s, e in spans if s <= match.start() < e), match.span())
            line = Sentence(rank, hit.start + start, hit.start + end, hit.text[start:end], 1.0, 1.0)
            return _compose(question, hits, [line], lead=match.group("slashed") or match.group("agency"))
    return None


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
