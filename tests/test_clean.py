import pytest
from conftest import SEEDS

from qa.clean import clean

# seed -> (title, date, first body paragraph start, last body paragraph end, chrome lines that must go)
EXPECTED = {
    "000_7ccae0e84f9d4e94": (
        "北京嘉会国际化医院一期项目启动 打造京城国际化智慧医院标杆",
        "2023-12-18",
        "北京2023年12月18日 /美通社/",
        '致力于让"国际化医疗"服务于更广泛人群。',
        ["科普视频", "强生荣膺中国公关行业最佳案例大赛4项大奖", "富士胶片旗下公司亮相Bio-ONE"],
    ),
    "001_3b63b2011723f789": (
        "北京大学首钢医院与北京北苑中医医院医联体授牌仪式举行",
        "2026-01-15",
        "2026年1月13日,北京大学首钢医院",
        "助力“健康中国”战略落地。",
        ["设为书签", "https://img2.danews.cc", "责任编辑", "徕芬剃须刀", "相关新闻", "当前位置"],
    ),
    "002_efffaf8d8c8c7af9": (
        "上海公立医院牵手国际医疗机构,共同探索合作样板",
        "2025-03-29",
        "为推进上海国际医疗创新发展",
        "为上海加快建设国际医疗旅游中心城市提供坚实支撑。",
        ["网站地图", "首页", "阅读量", "猜你喜欢", "林俊杰", "ICP备", "Copyright", "声明"],
    ),
    "003_aba7b95ac7142b72": (
        "1160亩,北大新布局怀密医学中心",
        "2024-01-09",
        "摘要\n12月8日,北京大学怀密医学中心建设启动仪式",
        "打造成为中国特色、世界一流的国际医学中心。",
        ["登录", "微信扫一扫", "QR Code", "新疆本科一批投档分数线", "友情链接", "声明"],
    ),
    "004_22f6b134d5afdb68": (
        "人城医产融合共生 全力打造“世界一流生命健康之都”",
        "2024-02-29",
        "保定深入推进京津冀医疗卫生协同",
        "全市总诊疗人次增长34%。",
        ["我的订阅", "快照生成时间", "信息原文地址", "吉林省音乐厅", "闫继红", "保定,开创生命健康产业美好未来"],
    ),
}


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_keeps_article_and_drops_chrome(doc_id: str) -> None:
    title, date, first, last, chrome = EXPECTED[doc_id]
    article = clean(doc_id, (SEEDS / f"{doc_id}.txt").read_text("utf-8"))
    assert article.title == title
    assert article.date == date
    body = article.text.split("\n\n", 1)[1]
    assert body.startswith(first)
    assert body.endswith(last)
    for line in chrome:
        assert line not in article.text


def test_seed_sources_are_found() -> None:
    sources = {d: clean(d, (SEEDS / f"{d}.txt").read_text("utf-8")).source for d in EXPECTED}
    assert sources["001_3b63b2011723f789"] == "百家号"
    assert sources["002_efffaf8d8c8c7af9"] == "东方网"
    assert sources["000_7ccae0e84f9d4e94"] == "百姓健康网"
    assert sources["004_22f6b134d5afdb68"] == "保定日报"  # 本文转自 names the original over the site's 来源


def test_image_urls_and_repeated_captions_are_dropped() -> None:
    article = clean("000_7ccae0e84f9d4e94", (SEEDS / "000_7ccae0e84f9d4e94.txt").read_text("utf-8"))
    assert article.text.count("嘉会医疗首席执行官葛丰现场致辞") == 1


def test_plain_article_comes_through_whole() -> None:
    raw = (
        "保定儿童医院迎来新院区\n\n"
        "记者从保定市卫健委获悉，北京儿童医院保定医院新院区将于明年投入运营。\n\n"
        "新院区规划床位800张，设有急诊、门诊和住院部。\n\n"
        "院长表示：“我们将继续提升诊疗水平！”\n"
    )
    article = clean("plain", raw)
    assert article.title == "保定儿童医院迎来新院区"
    for line in raw.split("\n"):
        assert line in article.text


@pytest.mark.parametrize("raw", ["", "   \n\n", "相关新闻\n责任编辑：某某", "https://example.com/a.jpg"])
def test_pages_without_article_give_empty_text(raw: str) -> None:
    assert clean("x", raw).text == ""
