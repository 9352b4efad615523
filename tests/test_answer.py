import re

import pytest

from qa import QueryError
from qa.followup import rewrite
from qa.question import analyse, content_words, coverage, mentions, organisations
from qa.service import ask, ask_stream
from qa.spans import (
    anchored,
    asked_department,
    asked_role,
    candidates,
    change_role,
    offices,
    out_of_dimension,
    titles_beside,
)

MARKER = re.compile(r"\[(\d+)\]")

TYPED = [
    ("保定与京津开展了多少例远程医疗合作？", "3万例", "004_22f6b134d5afdb68"),
    ("北京嘉会国际化医院规划床位多少张？", "500张", "000_7ccae0e84f9d4e94"),
    ("首钢医院和北苑中医医院的医联体是几号揭的牌？", "2026年1月13日", "001_3b63b2011723f789"),
    ("密云县医院开始选送医务人员到北大医院进修学习，最早是哪年？", "1959年", "003_aba7b95ac7142b72"),
    ("在方案评审会上讲话的保定市委书记叫什么？", "党晓龙", "004_22f6b134d5afdb68"),
    ("北京北苑中医医院的院长是谁？", "柳娟", "001_3b63b2011723f789"),
    ("北京儿童医院是哪一年托管保定市儿童医院的？", "2015", "004_22f6b134d5afdb68"),
    ("北京大学怀密医学中心项目位于什么地方？", "密云区西统路38号", "003_aba7b95ac7142b72"),
    ("莱佛士医疗集团的医疗设施一共分布在多少个城市？", "十多个", "002_efffaf8d8c8c7af9"),
    ("新加坡莱佛士医疗集团的董事长是谁？", "吕俊暘", "002_efffaf8d8c8c7af9"),
    ("2020年密云区政府和北大医院签约后共建了一家叫什么名字的医院？", "密云医院", "003_aba7b95ac7142b72"),
    ("上海市卫健委主任是谁？", "闻大翔", "002_efffaf8d8c8c7af9"),  # 卫健委 is short for 卫生健康委
    ("北大医院这几年给密云医院新增了几个病区？", "6个", "003_aba7b95ac7142b72"),  # 这几年 asks for no year
    ("仁济医院是哪所大学医学院的附属医院？", "上海交通大学医学院", "002_efffaf8d8c8c7af9"),
    ("谁说希望北京嘉会成为国际医疗目的地机构？", "葛丰", "000_7ccae0e84f9d4e94"),  # the line after the quote
    ("是谁协调市人民医院启动了乙肝临床治愈门诊项目？", "曹振环", "004_22f6b134d5afdb68"),  # 她 is named before
    ("上海交通大学医学院附属仁济医院是哪一年创建的？", "1844年", "002_efffaf8d8c8c7af9"),  # "仁济医院创建于"
    ("代表北京大学首钢医院揭牌的是哪位处长？", "李猛", "001_3b63b2011723f789"),
    ("嘉会北京医院一期工程是什么时候开工的？", "2023年12月18日", "000_7ccae0e84f9d4e94"),  # after the dateline
    ("北大医院帮密云医院建了几个多学科诊疗中心？", "6个", "003_aba7b95ac7142b72"),  # not 近6000人次
    ("仁济医院院长夏强还有什么头衔？", "中国工程院院士", "002_efffaf8d8c8c7af9"),
    ("怀密医学中心具体地址是在哪儿啊？导航搜不到", "西统路38号", "003_aba7b95ac7142b72"),  # what follows is no question
    ("北大医院的大夫跟密云打交道，最早是从哪年开始的？", "1959年", "003_aba7b95ac7142b72"),  # 跟, 最早 frame it
    ("保定有个孕妇得了库欣综合征，当时是找北京哪家医院会诊的？", "北京协和医院", "004_22f6b134d5afdb68"),
    ("北大在密云那个医学中心盖在啥地方？门牌号是多少？", "西统路38号", "003_aba7b95ac7142b72"),  # the first question
    ("上海莱佛士医院在哪块儿？我想带老母亲去看看。", "前滩", "002_efffaf8d8c8c7af9"),
    ("从北京佑安医院派到保定挂职的那位80后肝病专家是谁？", "曹振环", "004_22f6b134d5afdb68"),  # 曹振环,一位…专家
    ("北京天坛医院的专家到保定后是在哪家医院开诊的？", "河北大学附属医院", "004_22f6b134d5afdb68"),
    ("北京儿童医院保定医院的新院区啥时候能投入使用？", "2025年", "004_22f6b134d5afdb68"),  # 预计…投入运营
    ("嘉会医疗现在的CEO叫什么名字？", "葛丰", "000_7ccae0e84f9d4e94"),  # CEO is 首席执行官
    ("保定市人民医院的肝胆诊疗中心是跟北京哪家医院一起办的？", "北京佑安医院", "004_22f6b134d5afdb68"),
    ("保定注册护士人数十年里增长了多少？", "162%", "004_22f6b134d5afdb68"),  # the change, not where it began
    ("到2023年保定执业（助理）医师有多少人？", "37133人", "004_22f6b134d5afdb68"),  # where the change went
    ("保定有几所驻保的省属医疗机构跟京津高水平医院建立了合作关系？", "3所", "004_22f6b134d5afdb68"),  # not 10所市属
    (
        "从北京佑安医院派到保定挂职、研究肝病的那位80后专家叫什么名字？",
        "曹振环",
        "004_22f6b134d5afdb68",
    ),  # not 对一中心的…
    ("哪家美国医疗机构与上海嘉会国际医院联合挂牌？", "麻省总医院", "000_7ccae0e84f9d4e94"),  # asked, not named
    ("1965年北大医院组医疗队去密云高岭乡,带队的专家里有谁", "严仁英", "003_aba7b95ac7142b72"),  # 里有谁 is nobody
    ("1965年带队去密云高岭乡送医下乡的北大医院专家叫什么？", "严仁英", "003_aba7b95ac7142b72"),  # 专家叫什么: a person
    ("向澎湃新闻记者讲述合作缘由的莱佛士方面负责人是谁？", "吕俊暘", "002_efffaf8d8c8c7af9"),  # 董事长 is one
    ("怀密医学中心具体地址在哪儿,门牌号多少", "西统路38号", "003_aba7b95ac7142b72"),  # the first clause asks
    ("上海莱佛士医院具体在什么位置？", "前滩国际商务区", "002_efffaf8d8c8c7af9"),  # the finer place
    ("上海莱佛士医院开在上海什么位置？", "前滩", "002_efffaf8d8c8c7af9"),  # not 将在上海莱佛士医院落地
    ("北京那个嘉会国际化医院，建好了能放多少张床啊？", "500张", "000_7ccae0e84f9d4e94"),  # 床, not 张床
    ("北京大学第一医院以前叫什么名字？", "北京医学院第一医院", "003_aba7b95ac7142b72"),  # …(现北京大学第一医院)
    ("北大那个怀密医学中心地址在哪", "密云区西统路38号", "003_aba7b95ac7142b72"),  # 那个 weighs nothing
    ("北京大学首钢医院医务处的那位主任姓甚名谁？", "王麒", "001_3b63b2011723f789"),
    ("上海交通大学医学院附属仁济医院的院长是哪位？", "夏强", "002_efffaf8d8c8c7af9"),  # 中国工程院 is no 工程
    ("首钢医院跟北苑中医那个医联体是哪天挂的牌", "2026年1月13日", "001_3b63b2011723f789"),  # 挂的牌 is 挂牌
    ("仁济医院的医疗网络延伸到了多少座国际城市？", "15个", "002_efffaf8d8c8c7af9"),  # 座 counts like 个
    ("首钢医院和北苑中医的医联体在哪办的？", "北京北苑中医医院", "001_3b63b2011723f789"),  # 在…医院隆重举行
    (
        "北大医学的老校址在海淀区学院路38号，那么北京大学怀密医学中心项目具体位于什么地址？",
        "密云区西统路38号",
        "003_aba7b95ac7142b72",
    ),  # what is said before the question is not asked
    (
        "仁济医院东院和上海莱佛士医院都在浦东新区，其中上海莱佛士医院具体位于浦东新区的什么区域？",
        "前滩国际商务区",
        "002_efffaf8d8c8c7af9",
    ),  # 商务区 is no district
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
    assert answer.found
    assert answer.text.startswith("**") and short in answer.text.split("**")[1]
    assert answer.citations[0].doc_id == doc_id
    _check_citations(answer)


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("北京嘉会国际化医院一期项目启动的这篇报道来源是哪里？", "百姓健康网"),
        ("保定医疗卫生协同的这篇文章是哪天发布的？", "2024-02-29"),
    ],
)
def test_questions_about_the_article_itself_use_its_date_and_source(seed_index, question: str, short: str) -> None:
    answer = ask(question, index=seed_index)
    assert answer.found and answer.text.startswith(f"**{short}**")
    assert answer.quotes[0] in answer.citations[0].text and short in answer.quotes[0]


def test_the_agency_comes_from_the_dateline(seed_index) -> None:
    answer = ask("北京嘉会国际化医院一期项目启动的新闻稿，电头署的是哪家通讯社？", index=seed_index)
    assert answer.text.startswith("**美通社**。北京2023年12月18日 /美通社/")
    _check_citations(answer)


def test_a_document_named_in_an_article_is_not_the_article(seed_index) -> None:
    answer = ask("《关于推进上海国际医疗创新发展的实施意见》是什么时候发布的？", index=seed_index)
    assert answer.found and "2025年1月" in answer.text.split("**")[1]


def test_a_sentence_announcing_a_list_brings_its_first_item(seed_index) -> None:
    answer = ask("首钢医院李猛处长针对这次医联体建设提了哪几条战略规划？", index=seed_index)
    assert "提出三点战略规划:[1]1、推动优质资源下沉" in answer.text
    _check_citations(answer)


def test_who_from_the_organisation_the_question_names(seed_index) -> None:
    history = [
        _user("北京大学首钢医院和北苑中医医院的医联体揭牌仪式是在哪里举行的？"),
        {"role": "assistant", "content": "x"},
    ]
    answer = ask("当时首钢医院那边是谁上台揭的牌？", history, index=seed_index)
    assert answer.text.startswith("**李猛**")  # not 北京北苑中医医院院长柳娟 beside him


def test_a_follow_up_prefers_the_sentence_answered_before(seed_index) -> None:
    first = ask("北京嘉会国际化医院规划了多少张床位？", index=seed_index)
    history = [_user("北京嘉会国际化医院规划了多少张床位？"), {"role": "assistant", "content": first.text}]
    follow = ask("那科室一共打算设多少个？", history, index=seed_index)
    assert follow.query == "北京嘉会国际化医院科室一共打算设多少个？"
    assert "30余个" in follow.text.split("**")[1]  # not 上海嘉会国际医院's 超35个 in the same passage


def test_list_questions_get_cited_sentences(seed_index) -> None:
    answer = ask("北京大学首钢医院对医联体建设提出了哪些战略规划？", index=seed_index)
    assert answer.found and "**" not in answer.text
    assert answer.citations[0].doc_id == "001_3b63b2011723f789"
    _check_citations(answer)


@pytest.mark.parametrize(
    "question",
    [
        "嘉会医疗的注册资本是多少？",
        "仁济医院有多少名医生？",
        "徕芬剃须刀效果怎么样？",
        "明天北京的天气如何？",
        "上海嘉会国际医院是哪一年开业的？",  # a year is printed near its name, but not an opening
        "北京嘉会国际化医院一期工程总投资多少钱？",  # numbers nearby, none of them money
        "瑞金医院和莱佛士医疗集团是哪天签的合作协议？",  # the article is about 仁济医院, not 瑞金医院
        "首钢医院定期派专家去北苑中医医院坐诊，每次派几个人？",  # "1、" numbers a list item, no count
        "北京同仁医院保定医院预计什么时候投入运营？",  # the sentence dates two other 保定医院
        "1965年严仁英带去密云的医疗队一共有多少人？",  # 近6000人次 counts visits, not people
        "北京儿童医院保定医院创建的13个市级医学重点学科都有哪些？",  # named as a count, never listed
        "北京大学首钢医院的院长是谁？",  # the 院长 in the article is 北京北苑中医医院's
        "保定市长闫继红在产业发展会议上讲了什么？",  # 闫继红 is only in the page's sidebar
        "夏强院士是从哪所大学毕业的？",  # the articles name hospitals near him, no 大学
        "北京嘉会国际化医院的二期工程计划什么时候启动？",  # only its 一期 is reported
        "怀密医学中心一期工程什么时候竣工？",  # the 竣工 reported is another 工程's
        "莱佛士医疗集团在日本开了几家医院？",  # "是一家…医院" counts nothing
        "在怀密医学中心建设启动仪式上致辞的北京大学领导是谁？",  # 地处怀柔科学城: 怀柔 is a place
        "保定入选第一批京津冀医联体名单的那10个医联体具体是哪些？",  # the article only counts them
        "保定国际医疗基地起步区的占地面积有多大？",  # no area is given, 一座 is none
        "上海莱佛士医院是哪年开工建的？",  # only the year it 建成 is given
        "仁济医院的医疗网络一共覆盖了多少个国内城市？",  # 15个国际城市 are other 城市
        "北京大学怀密医学中心预计哪年建成并投入使用？",  # the 竣工 reported is 科学城's 成像设施工程
        "仁济医院一年看将近700万人次病人，那上海莱佛士医院一年能看多少病人？",  # the number is 仁济's
        "北京大学肿瘤医院保定医院预计何时投入运营？",  # a long name: the sentence dates two other 保定医院
        "仁济医院东院是在哪一年建成启用的？",  # only the year 仁济医院 was 创建 is given
        "北京佑安医院的曹振环专家在保定要挂职多长时间？",  # 一位 is no length of time
        "保定国际医疗基地起步区具体在哪两条路附近？",  # 广安门 of 广安门医院 is no place
        "北苑中医医院在北京什么地方？坐几路车能到？",  # 北京|大学首钢医院 begins inside a word
        "北京大学怀密医学中心一期工程占地面积是多少亩？",  # 约1160亩 is the whole 医学中心's
        "仁济医院的医疗网络覆盖了国内多少个城市？",  # 15个国际城市 are other 城市
        "上海莱佛士医院一年大概接诊多少病人？",  # 该集团…近30年 is the group's, and no count of patients
        "上海嘉会国际医院一共有多少张床位？",  # the 500张 after "北京嘉会…将在上海嘉会…基础上升级" are 北京's
        "仁济医院与莱佛士医疗集团的签约仪式上，出席的上海市市长是哪位？",  # 陈宇剑 is the 副市长
        "参与张楠线上联合会诊的北京协和医院内分泌科主任是谁？",  # 张玉石 heads 泌尿外科
        "北京和睦家骨科在诊疗中引入了哪些创新技术？",  # 和睦家 is in no article, only a sidebar
        "仁济医院和莱佛士的签约仪式是在哪个院区、哪个会场办的？",  # 新加坡 is no 院区
        "嘉会说北京这家医院要和多家国际领先企业强强联手，具体是跟哪几家企业合作？",  # 多家 lists none
        "北京嘉会国际化医院一期工程预计什么时候竣工？",  # the date after the dateline is the 启动仪式's
        "作为三级综合医院的北京大学首钢医院，目前开放床位有多少张？",  # the 500张 are 北京嘉会's
        "仁济医院服务的患者中，来自中国本土的患者占比大约是多少？",  # 该医院 there is 莱佛士's
        "曹振环被派到保定后挂职担任的具体职务是什么？",  # "她被派到保定挂职工作" names no office
        "图片中位于浦东新区的仁济医院东院是哪一年正式启用的？",  # the 2021年 is 上海莱佛士医院's
        "李猛提出的战略规划中第五点是什么？",  # he gave three
        "上海嘉会那家医院建筑面积有多大",  # the 42.2万平方米 are 北京嘉会's
        "上海莱佛士医院的院长叫啥名字",  # 惠民 of 两大惠民举措 is no 院长
        "北京嘉会国际化医院一期工程已经启动，它预计在哪一年竣工并正式开始接诊？",  # 启动 is said, not asked
        "从2013年到2023年保定全市总诊疗人次增长了34%，2023年全市总诊疗人次具体是多少？",  # 11753个 counts no 人次
    ],
)
def test_unsupported_questions_are_refused_honestly(seed_index, question: str) -> None:
    answer = ask(question, index=seed_index)
    assert not answer.found
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
    assert "**44项**" in follow.text and follow.citations[0].doc_id == "004_22f6b134d5afdb68"


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


def test_traditional_characters_find_the_answer(seed_index) -> None:
    answer = ask("北京兒童醫院是哪一年託管保定市兒童醫院的？", index=seed_index)
    assert answer.found and "2015年" in answer.text.split("**")[1]
    assert answer.citations[0].doc_id == "004_22f6b134d5afdb68"


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
    ("question", "sentence", "span"),
    [
        ("洛拉·帕尼亚尼出生于哪儿？", "她出生于罗马，父亲是画家。", "罗马"),
        ("乍都节公园是由谁捐献土地建造的？", "公园于1975年由泰国国家铁路局捐献土地建造。", "泰国国家铁路局"),
        ("《SOUL EATER》是谁的漫画作品？", "《SOUL EATER》是大久保笃的漫画作品。", "大久保笃"),
    ],
)
def test_the_answer_stands_where_the_question_word_stands(question: str, sentence: str, span: str) -> None:
    found = anchored(question, sentence)
    assert found and sentence[found[0] : found[1]] == span


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("date", "卡塞雷斯城是罗马人在公元前25年建立的，盛花期为夏季。", {"公元前25年", "夏季"}),
        ("date", "该书写成于二十世纪初期，一九六一年九月十日互换批准书。", {"二十世纪初期", "一九六一年九月十日"}),
        (
            "number",
            "斥资77亿美元，纪录为3分33秒62，男女比例约为1：7，分为两类。",
            {"77亿美元", "3分33秒62", "1：7", "两类"},
        ),
        ("number", "该区土地面积1.601 km²，体重118公斤。", {"1.601 km²", "118公斤"}),
        ("person", "本年总决赛最有价值球员是保罗·皮尔斯。", {"保罗·皮尔斯"}),
    ],
)
def test_candidates_of_each_kind(kind: str, text: str, expected: set[str]) -> None:
    assert expected <= {candidate for _, candidate in candidates(kind, text)}


def test_a_duration_is_not_a_date() -> None:
    assert not candidates("date", "该集团已经在上海有近30年的历史")


def test_an_idiom_is_not_a_person() -> None:
    assert not candidates("person", "医联体揭牌仪式在北京北苑中医医院隆重举行。")  # jieba tags 隆重举行 nr


@pytest.mark.parametrize("text", ["该中心地处怀柔科学城东区。", "医疗队到密云高岭乡等地区开展支援工作。"])
def test_a_place_is_not_a_person(text: str) -> None:
    assert not candidates("person", text)  # jieba tags 怀柔 and 高岭 nr


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("盖在啥地方？门牌号是多少？", "place"),  # the first question decides
        ("会设在哪家医院？", "org"),
        ("上海莱佛士医院开在上海什么位置？", "place"),
        ("国际医疗基地项目被摆在了什么位置？", "other"),
        ("保定国际医疗基地 总投资", "number"),
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
    assert analyse(question).kind == kind


def test_a_follow_up_on_another_organisation_is_answered_for_it(seed_index) -> None:
    history = [_user("新加坡莱佛士医疗集团是哪一年成立的？"), {"role": "assistant", "content": "**1976年**。"}]
    answer = ask("那上海莱佛士医院呢？", history, index=seed_index)
    assert answer.found and "2021年" in answer.text and "**1976年**" not in answer.text  # 该集团 is another


def test_a_place_in_an_organisations_name_is_no_place() -> None:
    assert [c for _, c in candidates("place", "加快推进广安门医院保定医院建设，在高岭乡开展支援。")] == ["高岭乡"]


def test_a_run_of_organisations_gives_each() -> None:
    found = {c for _, c in candidates("org", "北京天坛医院专家在河北大学附属医院开诊")}
    assert found == {"北京天坛医院", "河北大学附属医院"}


def test_a_name_inside_a_titled_name_is_not_another() -> None:
    assert {c for _, c in candidates("person", "泌尿外科主任张玉石等专家")} == {"张玉石"}


def test_framing_words_missing_from_a_text_weigh_less() -> None:
    words = content_words("北大医院的大夫最早跟密云打交道")
    unweighted = 1 - (words["最早"] + words["跟"]) / sum(words.values())
    assert coverage(words, "北大医院的大夫到密云打交道") > unweighted + 0.1


def test_is_a_counts_nothing() -> None:
    assert [c for _, c in candidates("number", "仁济医院是一家综合医院，有一家分院。")] == ["一家"]


def test_the_titles_beside_a_name() -> None:
    text = "会上,中国工程院院士、仁济医院院长夏强则表示"
    assert offices(text, text.find("夏强"), 2) == "中国工程院院士、仁济医院院长"
    assert offices("北京大学首钢医院李猛处长致辞", 8, 2) == "处长"


def test_a_name_after_a_title_stops_before_an_adverb() -> None:
    assert {c for _, c in candidates("person", "中国工程院院士、仁济医院院长夏强则表示")} == {"夏强"}


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


@pytest.mark.parametrize(
    ("question", "figure", "role"),
    [
        ("注册护士增长了多少？", "162%", "change"),
        ("到2023年注册护士有多少人？", "32581人", "to"),
        ("注册护士原来有多少人？", "12440人", "from"),
    ],
)
def test_the_figure_of_a_change_a_question_asks_for(question: str, figure: str, role: str) -> None:
    text = "注册护士从12440人增长到32581人,增长162%;"
    assert asked_role(question) == role == change_role(text, text.index(figure))
    assert asked_role("注册护士有多少人？") == "" and change_role("共有32581人", 2) == ""


def test_why_questions_prefer_the_sentence_that_gives_a_reason(seed_index) -> None:
    answer = ask("莱佛士为什么偏偏挑了仁济医院来合作？", index=seed_index)
    assert answer.found and "近邻" in answer.text
    _check_citations(answer)


def test_a_follow_up_counts_in_a_like_measure(seed_index) -> None:
    history = [_user("首钢医院那边来揭牌的领导是哪位？"), {"role": "assistant", "content": "**李猛**。"}]
    answer = ask("他讲话时提了几条规划？", history, index=seed_index)
    assert answer.query == "李猛讲话时提了几条规划？" and answer.text.startswith("**三点**")  # 条 and 点 count alike


def test_this_hospital_is_the_previous_subject_not_the_place_answered() -> None:
    answered = {"role": "assistant", "content": "**中关村朝阳园北区**。"}
    history = [_user("北京嘉会国际化医院一期项目在哪儿启动的？"), answered]
    assert rewrite("这家医院建筑总面积有多大？", history) == "北京嘉会国际化医院建筑总面积有多大？"


def test_a_percentage_answers_only_a_share_or_a_change() -> None:
    assert out_of_dimension("2013年保定全市的总诊疗人次是多少？", "34%")
    assert not out_of_dimension("中国患者占多大比例？", "75%")
    assert not out_of_dimension("外地患者比上年同期多了多少？", "96.06%")


def test_the_department_and_deputy_of_an_asked_title() -> None:
    assert asked_department("北京协和医院内分泌科主任是谁？") == "内分泌科"
    assert asked_department("仁济医院的院长是谁？") == ""
    assert titles_beside("上海市副市长陈宇剑出席", 6, 3) == {"副市长"}


def test_an_item_of_a_list_is_found_by_its_number(seed_index) -> None:
    history = [_user("首钢医院李猛处长提了几点规划"), {"role": "assistant", "content": "**三点**。"}]
    second = ask("第二点讲的啥？", history, index=seed_index)
    assert second.found and second.text.startswith("2、完善分级诊疗体系")
    channel = ask("李猛其中第二点要搭建什么通道？", index=seed_index)
    assert channel.found and "双向转诊通道" in channel.text
    third = ask("李猛提出的战略规划中第三点是什么？", index=seed_index)
    assert third.found and "推进智慧医疗共享" in third.text and "完善分级诊疗" not in third.text
    _check_citations(third)


def test_a_follow_up_counts_what_was_listed_by_another_word(seed_index) -> None:
    history = [_user("京津冀医联体第一批建设名单一共有多少个？"), {"role": "assistant", "content": "**40个**。"}]
    answer = ask("保定有几个入选？", history, index=seed_index)
    assert answer.found and answer.text.startswith("**10个**")  # 入选 is 榜上有名
