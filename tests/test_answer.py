"""The answerer over the seed articles: the reader's short answers with citations, honest refusals,
items of a list, follow-ups; and the question tables it uses."""

import re

import pytest

from qa import QueryError
from qa.followup import resolve, rewrite
from qa.question import answer_kind, mentions, organisations
from qa.service import ask, ask_stream

MARKER = re.compile(r"\[(\d+)\]")

TYPED = [
    ("保定与京津开展了多少例远程医疗合作？", "3万例", "004_22f6b134d5afdb68"),
    ("北京嘉会国际化医院规划床位多少张？", "500张", "000_7ccae0e84f9d4e94"),
    ("北京北苑中医医院的院长是谁？", "柳娟", "001_3b63b2011723f789"),
    ("北京大学怀密医学中心项目位于什么地方？", "西统路38号", "003_aba7b95ac7142b72"),
    ("新加坡莱佛士医疗集团的董事长是谁？", "吕俊暘", "002_efffaf8d8c8c7af9"),
    ("北京天坛医院的专家到保定后是在哪家医院开诊的？", "河北大学附属医院", "004_22f6b134d5afdb68"),
]


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def _check_citations(answer) -> None:
    """Every marker is in range, every citation is used, and each cited passage holds its sentence."""
    numbers = [int(n) for n in MARKER.findall(answer.text)]
    assert numbers and set(numbers) == set(range(1, len(answer.citations) + 1))
    for piece, n in re.findall(r"([^\[\]]+?)\[(\d+)\]", answer.text):
        sentence = piece.split("**。")[-1].strip("…").replace(" ", "")
        assert sentence[:20] in re.sub(r"\s", "", answer.citations[int(n) - 1].text)


@pytest.mark.parametrize(("question", "short", "doc_id"), TYPED)
def test_short_answers_lead_in_bold_with_a_citation(seed_index, question: str, short: str, doc_id: str) -> None:
    answer = ask(question, index=seed_index)
    assert answer.found and short in answer.span and 0.5 <= answer.confidence <= 1
    assert answer.text.startswith(f"**{answer.span}**。")
    assert answer.citations[0].doc_id == doc_id
    _check_citations(answer)


def test_why_questions_are_answered_with_sentences(seed_index) -> None:
    answer = ask("莱佛士为什么选择和仁济医院合作？", index=seed_index)
    assert answer.found and answer.span == "" and "**" not in answer.text
    assert answer.citations[0].doc_id == "002_efffaf8d8c8c7af9"
    _check_citations(answer)


@pytest.mark.parametrize(
    "question",
    [
        "徕芬剃须刀效果怎么样？",
        "明天北京的天气如何？",
        "特斯拉今年在上海卖了多少辆车？",
        "世界杯足球赛2026年在哪个国家举办？",
    ],
)
def test_unsupported_questions_are_refused_honestly(seed_index, question: str) -> None:
    answer = ask(question, index=seed_index)
    assert not answer.found and answer.span == ""
    assert answer.text.startswith("资料中没有找到") and answer.text.endswith("的信息。")
    assert answer.citations == [] and not MARKER.search(answer.text)
    assert answer.related


def test_follow_up_is_rewritten_and_answered(seed_index) -> None:
    first = ask("保定与京津开展了多少例远程医疗合作？", index=seed_index)
    history = [
        {"role": "user", "content": "保定与京津开展了多少例远程医疗合作？"},
        {"role": "assistant", "content": first.text},
    ]
    follow = ask("科研合作呢？", history, index=seed_index)
    assert follow.query == "保定与京津开展了多少科研合作？"
    assert follow.found and follow.citations[0].doc_id == "004_22f6b134d5afdb68"


def test_pronoun_follow_up_takes_the_previous_subject(seed_index) -> None:
    history = [
        {"role": "user", "content": "北京大学怀密医学中心规划占地多少亩？"},
        {"role": "assistant", "content": "**约1160亩**。"},
    ]
    follow = ask("它位于什么地方？", history, index=seed_index)
    assert follow.query == "北京大学怀密医学中心位于什么地方？"
    assert "西统路38号" in follow.text


def test_question_naming_its_subject_is_not_rewritten(seed_index) -> None:
    history = [
        {"role": "user", "content": "北京大学怀密医学中心规划占地多少亩？"},
        {"role": "assistant", "content": "x"},
    ]
    assert ask("仁济医院是哪一年创建的？", history, index=seed_index).query == "仁济医院是哪一年创建的？"


def test_stream_pieces_add_up_to_the_answer(seed_index) -> None:
    stream = ask_stream("北京北苑中医医院的院长是谁？", index=seed_index)
    pieces = list(stream)
    assert pieces and "".join(pieces) == stream.answer.text


def test_traditional_characters_get_the_same_answer(seed_index) -> None:
    traditional = ask("北京北苑中醫醫院的院長是誰？", index=seed_index)
    simplified = ask("北京北苑中医医院的院长是谁？", index=seed_index)
    assert traditional.found and traditional.span == simplified.span == "柳娟"
    assert traditional.citations[0].doc_id == "001_3b63b2011723f789"


@pytest.mark.parametrize("question", ["", "   ", "？！。", "👍👍"])
def test_empty_questions_are_clear_errors(seed_index, question: str) -> None:
    with pytest.raises(QueryError):
        ask(question, index=seed_index)


@pytest.mark.parametrize(
    "question", ["保定" * 5000, "What is the bed count of the hospital?", "仁济\x00医院\x1b创建于哪一年"]
)
def test_odd_questions_get_an_answer_or_an_honest_refusal(seed_index, question: str) -> None:
    answer = ask(question, index=seed_index)
    assert answer.found or answer.text.startswith("资料中没有找到")
    if answer.found:
        _check_citations(answer)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("盖在啥地方？门牌号是多少？", "place"),  # the first question decides
        ("会设在哪家医院？", "org"),
        ("上海莱佛士医院开在上海什么位置？", "place"),
        ("国际医疗基地项目被摆在了什么位置？", "other"),
        ("那家大医院叫什么？", "org"),
        ("北京大学怀密医学中心预计于何年全面建成投用？", "date"),
        ("新院子盖得怎么样了？啥时候能开门看病？", "date"),  # the date asked after it
        ("共建出来的医院叫什么名字？", "org"),
        ("北大医院专家叫什么？", "person"),
        ("北京大学第一医院以前叫什么名字？", "org"),
        ("北京大学怀密医学中心地处哪个科学城？", "place"),
        ("第二点讲的啥？", "item"),
        ("香港的第一条铁路是哪条铁路？", "other"),  # which railway, not an item of a list
        ("推进建设的几家医院里，哪些已经完成主体施工？", "list"),  # 几家…里 counts nothing
    ],
)
def test_the_kind_of_answer_asked_for(question: str, kind: str) -> None:
    assert answer_kind(question) == kind


@pytest.mark.parametrize(
    ("text", "name", "named"),
    [
        ("北京大学首钢医院与北京北苑中医医院", "北大首钢医院", True),
        ("上海交通大学医学院附属仁济医院与新加坡莱佛士医疗集团", "上海仁济医院", True),
        ("北京儿童医院保定医院、广安门医院保定医院新院区", "北京同仁医院保定医院", False),
    ],
)
def test_a_shortened_name_is_still_mentioned(text: str, name: str, named: bool) -> None:
    assert mentions(text, name) is named


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("夏强院长介绍仁济医院时提到了什么？", ["仁济医院"]),
        ("北京同仁医院保定医院预计什么时候运营？", ["北京同仁医院保定医院"]),
        ("柳娟把什么当作医院的核心评价标准？", []),
        ("哪家医院派出了专家？", []),
        ("代表北京大学首钢医院揭牌的是谁？", ["北京大学首钢医院"]),  # 代表 is no part of the name
        ("那北京大学首钢医院呢？", ["北京大学首钢医院"]),  # 那 begins no 那家医院
        ("那家医院的院长是谁？", []),
        ("现任仁济医院院长是哪位院士？", ["仁济医院"]),
        ("2026年1月北京大学首钢医院和哪家医院组建了医联体？", ["北京大学首钢医院"]),
        ("该医院是上海开埠后的第一家西医医院", []),  # a count describes it
    ],
)
def test_organisations_named_in_a_question(question: str, names: list[str]) -> None:
    assert list(organisations(question)) == names


@pytest.mark.parametrize(
    ("previous", "answered", "question", "rewritten"),
    [
        ("怀密医学中心位于什么地方？", "**西统路38号**。", "那里占地多少亩？", "西统路38号占地多少亩？"),
        ("仁济医院和莱佛士医疗集团在哪里签约？", "x", "双方有哪些举措？", "仁济医院和莱佛士医疗集团有哪些举措？"),
        ("北京北苑中医医院的院长是谁？", "**柳娟**。", "她强调了什么？", "柳娟强调了什么？"),
        ("北京大学怀密医学中心位于什么地方？", "x", "占地多少亩？", "北京大学怀密医学中心占地多少亩？"),
        (
            "密云区政府和北大医院是什么时候签约的？",
            "x",
            "那次共建了哪家医院？",
            "密云区政府和北大医院那次共建了哪家医院？",
        ),
        ("签约仪式上的上海市副市长是哪位？", "x", "那市卫生健康委主任呢？", "签约仪式上的市卫生健康委主任是哪位？"),
        ("仁济医院院长是谁？", "x", "副院长呢？", "仁济医院副院长是谁？"),
        ("仁济医院的院长是谁？", "x", "莱佛士医疗集团的董事长呢？", "莱佛士医疗集团的董事长是谁？"),
        ("跟仁济医院签约的莱佛士医疗集团是哪国的？", "x", "它是私立的吗？", "莱佛士医疗集团是私立的吗？"),
        (
            "和仁济医院签约的是哪家集团？",
            "**莱佛士医疗集团**。",
            "该集团的董事长是谁？",
            "莱佛士医疗集团的董事长是谁？",
        ),
        ("北大医院和密云区是哪天签约的？", "x", "那之后派了多少专家？", "北大医院那之后派了多少专家？"),
        ("保定的大夫从多少人涨到多少人了？", "x", "那护士呢？", "保定的护士从多少人涨到多少人了？"),
        ("保定的执业（助理）医师涨了百分之多少？", "x", "那注册护士呢？", "保定的注册护士涨了百分之多少？"),
        ("上海嘉会国际医院设了多少个科室？", "x", "那北京那家新医院呢？", "北京那家新医院设了多少个科室？"),
        (
            "嘉会医疗在上海最早开的那家大医院叫什么？",
            "**上海嘉会国际医院**。",
            "它是跟美国哪家医院合作的？",
            "上海嘉会国际医院是跟美国哪家医院合作的？",
        ),
        ("怀密医学中心地处哪个科学城？", "**怀柔科学城东区**。", "这个科学城跨哪两个区？", "怀柔科学城跨哪两个区？"),
        (
            "2026年1月北京大学首钢医院和哪家医院组建了医联体？",
            "**北京北苑中医医院**。",
            "这家医院的院长叫什么？",
            "北京北苑中医医院的院长叫什么？",
        ),
        (
            "首钢医院和北苑中医医院揭牌时，首钢医院方面是哪位领导？",
            "x",
            "那另一家医院呢？",
            "首钢医院和北苑中医医院揭牌时，北苑中医医院方面是哪位领导？",
        ),
        ("上海交通大学医学院附属仁济医院建于哪年？", "x", "它有多少个科室？", "仁济医院有多少个科室？"),  # not 医学院
        (
            "仁济医院和哪个新加坡医疗集团签了协议？",
            "3月28日,上海交通大学医学院附属仁济医院与新加坡莱佛士医疗集团在上海正式签署战略合作协议。[1]",
            "这个集团是哪年成立的？",
            "新加坡莱佛士医疗集团是哪年成立的？",
        ),  # the answer names it without a bold lead
        ("首钢医院和北苑中医的医联体哪天揭的牌", "x", "在哪办的", "首钢医院和北苑中医的医联体在哪办的"),
        ("北京嘉会国际化医院建筑面积多大", "x", "科室设了几个", "北京嘉会国际化医院科室设了几个"),
        ("怀密医学中心位于什么地址？", "x", "那北大医学在海淀区的地址呢？", "北大医学在海淀区的地址是什么？"),
    ],
)
def test_follow_up_references_are_resolved(previous: str, answered: str, question: str, rewritten: str) -> None:
    history = [_user(previous), {"role": "assistant", "content": answered}]
    assert rewrite(question, history) == rewritten


def test_this_hospital_is_the_previous_subject_not_the_place_answered() -> None:
    answered = {"role": "assistant", "content": "**中关村朝阳园北区**。"}
    history = [_user("北京嘉会国际化医院一期项目在哪儿启动的？"), answered]
    assert rewrite("这家医院建筑总面积有多大？", history) == "北京嘉会国际化医院建筑总面积有多大？"


def test_an_item_of_a_list_is_found_by_its_number(seed_index) -> None:
    history = [_user("首钢医院李猛处长提了几点规划"), {"role": "assistant", "content": "**三点**。"}]
    second = ask("第二点讲的啥？", history, index=seed_index)
    assert second.found and second.text.startswith("2、完善分级诊疗体系")
    channel = ask("李猛其中第二点要搭建什么通道？", index=seed_index)
    assert channel.found and "双向转诊通道" in channel.text
    third = ask("李猛提出的战略规划中第三点是什么？", index=seed_index)
    assert third.found and "推进智慧医疗共享" in third.text and "完善分级诊疗" not in third.text
    _check_citations(third)


def test_he_is_the_person_answered_never_an_organisation() -> None:
    asked = [
        _user("那仁济医院的院长呢？"),
        {"role": "assistant", "content": "**夏强**。中国工程院院士、仁济医院院长夏强则表示…[1]"},
    ]
    assert resolve("他是哪个学院的院士？", asked) == ("夏强是哪个学院的院士？", "夏强")
    no_person = [_user("仁济医院是哪一年创建的？"), {"role": "assistant", "content": "**1844年**。"}]
    assert resolve("他是哪个学院的院士？", no_person) == ("他是哪个学院的院士？", "")


def test_an_answer_about_him_comes_from_a_passage_that_names_him(seed_index) -> None:
    first = ask("仁济医院的院长是谁？", index=seed_index, use_llm=False)
    history = [_user(first.query), {"role": "assistant", "content": first.text}]
    second = ask("他是哪个学院的院士？", history, index=seed_index, use_llm=False)
    assert first.span == "夏强" and second.query.startswith("夏强")
    assert not second.found or all("夏强" in hit.text for hit in second.citations)
    hospital = ask("他所在的医院规划床位多少张？", history, index=seed_index, use_llm=False)
    assert hospital.query == "夏强所在的医院规划床位多少张？" and not hospital.found  # 500张 is another hospital's
