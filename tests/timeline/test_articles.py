"""Article splitting and reference dates: the seeds against gold, small pages, the pattern data."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.articles import is_heading_like, split_articles
from timeline.model import Document, Precision
from timeline.page_patterns import load_patterns, raw_patterns
from timeline.reference import festival_day, parse_timestamp
from timeline.textnorm import fold_width

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold"
SEED_NAMES = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))


def _doc(text: str) -> Document:
    return Document("page", "test", text)


def _gold_articles() -> list[Any]:
    if not GOLD.is_dir():
        return []
    cases = []
    for name in SEED_NAMES:
        for index, _ in enumerate(json.loads((GOLD / f"{name}.json").read_text("utf-8"))["articles"]):
            marks = []
            if (name, index) == ("004_093c9fea730c4e25", 6):
                marks.append(pytest.mark.xfail(strict=True, reason="headline + subtitle read as kicker + headline"))
            cases.append(pytest.param(name, index, marks=marks, id=f"{name[:3]}-{index}"))
    return cases


@pytest.mark.parametrize("name", SEED_NAMES)
def test_articles_seed_spans_and_reference_dates(
    name: str, seed_texts: dict[str, str], seed_gold: dict[str, dict[str, Any]]
) -> None:
    articles = split_articles(_doc(seed_texts[name]))
    gold = seed_gold[name]["articles"]
    assert [(a.start, a.end) for a in articles] == [(g["start"], g["end"]) for g in gold]
    assert [a.reference.value if a.reference else None for a in articles] == [g["publication_date"] for g in gold]
    assert all(a.reference and a.reference.evidence for a in articles)


@pytest.mark.parametrize(("name", "index"), _gold_articles())
def test_articles_seed_titles(
    name: str, index: int, seed_texts: dict[str, str], seed_gold: dict[str, dict[str, Any]]
) -> None:
    assert split_articles(_doc(seed_texts[name]))[index].title == seed_gold[name]["articles"][index]["title"]


DATELINE_PAGE = """市政府召开防汛工作会议

本报济南6月3日讯（记者 王芳）6月2日，市政府召开全市防汛工作会议，部署2024年汛期工作。

会议要求，各区县要压实责任。

新建学校秋季开学

本报济南6月3日讯（记者 李明）今年秋季，全市将新增中小学学位1.2万个。
"""


def test_articles_dateline_page() -> None:
    articles = split_articles(_doc(DATELINE_PAGE))
    assert [a.title for a in articles] == ["市政府召开防汛工作会议", "新建学校秋季开学"]
    assert [a.reference.value if a.reference else None for a in articles] == ["2024-06-03", "2024-06-03"]
    assert all(a.reference and a.reference.source == "dateline" for a in articles)
    assert articles[0].text.endswith("各区县要压实责任。")


BYLINE_PAGE = """小麦机收进度过半

作者:张强 来源:农民日报 2022-06-10 08:15:00

记者从农业农村部获悉，全国麦收进度已过半。今年夏粮生产形势较好。
"""


def test_articles_byline_timestamp() -> None:
    (article,) = split_articles(_doc(BYLINE_PAGE))
    assert article.reference is not None
    assert (article.reference.value, article.reference.source) == ("2022-06-10", "byline")
    assert article.reference.precision is Precision.DAY
    assert "2022-06-10 08:15:00" in article.reference.evidence
    assert article.title == "小麦机收进度过半"


@pytest.mark.parametrize(
    ("text", "value", "max_confidence"),
    [
        ("社区开展义诊活动\n\n社区组织医生为老人义诊，测量血压、讲解健康知识。\n", None, 0.0),
        ("社区开展义诊活动\n\n2019年以来，社区每年组织医生义诊。\n", "2019", 0.3),
    ],
)
def test_articles_no_date_gives_none_or_low_confidence(text: str, value: str | None, max_confidence: float) -> None:
    (article,) = split_articles(_doc(text))
    if value is None:
        assert article.reference is None
    else:
        assert article.reference is not None
        assert article.reference.value == value
        assert article.reference.precision is Precision.YEAR
        assert article.reference.confidence <= max_confidence


@pytest.mark.parametrize("text", [DATELINE_PAGE, BYLINE_PAGE, "社区开展义诊活动\n\n社区组织医生义诊。\n"])
def test_articles_user_date_wins(text: str) -> None:
    articles = split_articles(_doc(text), dt.date(2020, 1, 2))
    assert articles
    for article in articles:
        assert article.reference is not None
        assert (article.reference.value, article.reference.confidence, article.reference.source) == (
            "2020-01-02",
            1.0,
            "user",
        )


MARKDOWN_PAGE = """《基层一线》专栏

# 老旧小区焕新颜

记者 赵雷

2023年，全区完成12个老旧小区改造。

## 加装电梯

居民反映，加装电梯方便了出行。

# 夜市经济点亮街区

今年以来，街区夜市吸引游客50万人次。
"""


def test_articles_markdown_headings_and_column() -> None:
    articles = split_articles(_doc(MARKDOWN_PAGE))
    assert [a.title for a in articles] == ["老旧小区焕新颜", "夜市经济点亮街区"]
    assert articles[0].start == MARKDOWN_PAGE.index("# 老旧")
    assert "《基层一线》专栏" not in articles[0].text
    assert "加装电梯" in articles[0].text
    assert all(a.reference and a.reference.value == "2023" for a in articles)


TWO_LINE_PAGE = """镇街道

敲响安全警钟

□通讯员 王雷 报道

本报讯 3月2日，街道开展安全隐患排查。

坛山街道推动

政务公开走深走实

□记者 张环 报道

本报讯 3月5日，2023年街道政务公开工作推进会召开。




为提高群众反诈意识，开展宣传。图为3月4日，民警在敬老院宣传防诈骗知识。
"""


def test_articles_two_line_headlines_caption_and_page_month() -> None:
    articles = split_articles(_doc(TWO_LINE_PAGE))
    assert [a.title for a in articles] == ["镇街道 敲响安全警钟", "坛山街道推动 政务公开走深走实", None]
    # The page reports different days, so each item is referenced at month precision.
    assert [a.reference.value if a.reference else None for a in articles] == ["2023-03"] * 3


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("干部大会召开\n\n新春伊始，区委召开2024年工作动员大会。\n", "2024-02"),
        ("走访慰问困难群众\n\n春节前夕，2022年走访慰问活动在全区展开。\n", "2022-01"),
    ],
)
def test_articles_festival_anchor_gives_month(text: str, value: str) -> None:
    (article,) = split_articles(_doc(text))
    assert article.reference is not None
    assert (article.reference.value, article.reference.source) == (value, "festival")


STALE_PAGE = """新闻发布会召开

本报讯 2月13日，2023年全市优化营商环境新闻发布会召开。

村集体经济增收

2021年村集体收入57万元，比2020年增加17万元。“去年全村分红，今年还要加油干。”
"""


def test_articles_older_item_keeps_year_only() -> None:
    first, second = split_articles(_doc(STALE_PAGE))
    assert first.reference is not None and first.reference.value == "2023-02-13"
    assert second.reference is not None
    assert (second.reference.value, second.reference.precision) == ("2022", Precision.YEAR)


def test_articles_sibling_month_for_undated_item() -> None:
    page = "发布会召开\n\n本报枣庄10月19日讯 2023年诚信建设发布会召开。\n\n干部培训\n\n记者 王芳\n\n培训班开课，学员热情高涨。\n"
    undated = split_articles(_doc(page))[1]
    assert undated.reference is not None
    assert (undated.reference.value, undated.reference.source) == ("2023-10", "page")
    assert undated.reference.confidence < 0.5


def test_articles_never_read_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    class Clock(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            raise AssertionError("the system clock was read")

    monkeypatch.setattr(dt, "date", Clock)
    assert split_articles(_doc("社区义诊\n\n今年社区组织医生义诊。\n"))[0].reference is None


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_articles_blank_page_has_no_articles(text: str) -> None:
    assert split_articles(Document("p", "t", text)) == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("共同规划绘制锂电新图景", True),
        ("撕掉“标签”，培养“一线蹲苗”的“高新铁军”", True),
        ("秦魁讲到，枣庄市深入推进信用分级分类差异化监管。枣庄市信用等级A级", False),
        ("市中区则“持续抢跑新能源赛道”，重点围绕链主企业完善产业链配套，加快企业集聚、", False),
        ("**主持人王坤：**你好，孔书记。", False),
    ],
)
def test_articles_heading_like(line: str, expected: bool) -> None:
    assert is_heading_like(fold_width(line), load_patterns()) is expected


def _pattern_rows() -> list[Any]:
    raw = raw_patterns()
    return [
        pytest.param(section, row, id=f"{section}-{row['name']}")
        for section in ("line", "dateline", "lead", "happening", "timestamp", "festival")
        for row in raw[section]
    ]


@pytest.mark.parametrize(("section", "row"), _pattern_rows())
def test_articles_pattern_examples(section: str, row: dict[str, Any]) -> None:
    assert row.get("source"), "every pattern row names its source"
    assert row.get("examples"), "every pattern row carries examples"
    regex = re.compile(row["pattern"])
    for example in row["examples"]:
        assert regex.search(fold_width(example)), example
    for counter in row.get("counter_examples", []):
        assert not regex.search(fold_width(counter)), counter


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021-09-01 14:26:56", dt.date(2021, 9, 1)), ("2023年2月14日 09:30", dt.date(2023, 2, 14))],
)
def test_articles_parse_timestamp(text: str, expected: dt.date) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(("year", "day"), [(2022, dt.date(2022, 2, 1)), (2023, dt.date(2023, 1, 22))])
def test_articles_festival_day(year: int, day: dt.date) -> None:
    assert festival_day("spring_festival", year) == day


@pytest.mark.parametrize("name", SEED_NAMES)
def test_articles_spans_are_trimmed_and_ordered(name: str, seed_texts: dict[str, str]) -> None:
    articles = split_articles(_doc(seed_texts[name]))
    for a, b in itertools.pairwise(articles):
        assert a.end <= b.start
    for a in articles:
        assert a.text == a.text.strip()
    assert [x.index for x in articles] == list(range(len(articles)))


PIECES = [
    "\n",
    "\n\n",
    "# ",
    "## ",
    "□ 记者 王芳",
    "记者 李明",
    "本报讯",
    "本报枣庄3月5日讯",
    "3月5日",
    "2023年",
    "去年",
    "今年",
    "新春伊始",
    "。",
    "，",
    "图为",
    "《专栏》专栏",
    "会议召开",
    "——",
    "**",
    " ",
    "\u3000",
    "２０２２年",
]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_articles_property_spans_ordered_and_in_bounds(pieces: list[str]) -> None:
    text = "".join(pieces)
    doc = _doc(text)
    articles = split_articles(doc)
    for a, b in itertools.pairwise(articles):
        assert a.end <= b.start
    for a in articles:
        assert 0 <= a.start < a.end <= len(text)
        assert a.text == a.text.strip()
        if a.title_start is not None and a.title_end is not None:
            assert a.start <= a.title_start < a.title_end <= a.end
        if a.reference is not None:
            assert 0.0 < a.reference.confidence <= 1.0
            a.reference.anchor  # noqa: B018 - the value must be a valid calendar date


@pytest.mark.parametrize("tail", ["压实责任", "压实责任\n\n落实到人"])
def test_articles_wrapped_line_is_not_a_headline(tail: str) -> None:
    page = f"防汛会议召开\n\n记者 王芳\n\n本报讯 6月2日，会议要求各区县\n\n{tail}\n\n会议还部署了其他工作。\n"
    (article,) = split_articles(_doc(page))
    assert article.title == "防汛会议召开"
    assert article.text.endswith("会议还部署了其他工作。")


@pytest.mark.parametrize(
    "sentence", ["到2025年建成全国领先基地。", "2025年前建成全国领先基地。", "2021—2025年规划出台。"]
)
def test_articles_target_years_are_not_the_page_year(sentence: str) -> None:
    page = f"锂电产业规划发布\n\n本报讯 2月8日，2023年全区锂电产业规划发布。{sentence}\n"
    (article,) = split_articles(_doc(page))
    assert article.reference is not None and article.reference.value == "2023-02-08"


PORTAL_PAGE = """清河新闻网

{headline}

{byline}

6月11日，清河区召开夏粮收购工作会议。今年全区计划收购小麦5万吨。
"""


@pytest.mark.parametrize(
    ("byline", "stamp"),
    [
        ("2023-06-12 09:30:00\u3000来源：清河融媒", "2023-06-12 09:30:00"),
        ("2023年06月12日 09:30\u3000\u3000来源：清河日报", "2023年06月12日 09:30"),
        ("发布时间：2023-06-12 09:30:00\u3000来源：清河融媒", "2023-06-12 09:30:00"),
        ("来源：清河日报\u3000发布时间：2023-06-12 09:30:00", "2023-06-12 09:30:00"),
    ],
)
@pytest.mark.parametrize("headline", ["清河区部署夏粮收购工作", "城南街道：夏粮收购有序推进"])
def test_articles_timestamp_first_byline_and_site_header(headline: str, byline: str, stamp: str) -> None:
    text = PORTAL_PAGE.format(headline=headline, byline=byline)
    (article,) = split_articles(_doc(text))
    assert article.title == headline
    assert article.start == text.index(headline), "the site header stays outside the article"
    assert article.reference is not None
    assert (article.reference.value, article.reference.source) == ("2023-06-12", "byline")
    assert stamp in article.reference.evidence


@pytest.mark.parametrize("header", ["广阳开发区\u3000东湖区", "东湖新闻", "东湖日报"])
def test_articles_site_header_is_not_the_headline(header: str) -> None:
    text = f"{header}\n\n东湖区召开安全生产会议\n\n本报讯 4月10日，东湖区召开安全生产会议。\n"
    (article,) = split_articles(_doc(text))
    assert article.title == "东湖区召开安全生产会议"
    assert article.start == text.index("东湖区召开")


CLOSING_PAGE = """守好社区“小窗口”——访城关街道党工委书记

记者：今年有什么新的打算？

书记：春节过后，街道召开了工作动员大会。目前，养老服务中心正在装修。

（记者 刘红 整理）

2024年04月02日\u3000\u3000东湖日报
"""


def test_articles_closing_dateline() -> None:
    (article,) = split_articles(_doc(CLOSING_PAGE))
    assert article.title == "守好社区“小窗口”——访城关街道党工委书记"
    assert article.text.endswith("东湖日报")
    assert article.reference is not None
    assert (article.reference.value, article.reference.source) == ("2024-04-02", "byline")
    assert "closing dateline" in article.reference.evidence


BRIEFS_PAGE = """东湖新闻

东湖区召开2024年优化营商环境大会

本报讯（记者 王芳）3月4日上午，东湖区召开优化营商环境大会。

会议要求，各单位要在年底前完成改革任务。

城关镇：春节前夕村民领到分红

本报讯（通讯员 李振）春节前夕，城关镇举行集体经济分红大会。

本报省城3月5日讯（记者 赵明）记者从今天召开的新闻发布会上获悉，全省脱贫人口收入增长。

发布会在省城举行。

南湖街道：“数字社区”让居民办事不出门

3月3日，南湖街道社区服务平台上线运行。

链接：南湖街道概况

南湖街道辖6个社区。
"""


def test_articles_briefs_with_place_colon_headlines() -> None:
    articles = split_articles(_doc(BRIEFS_PAGE))
    assert [a.title for a in articles] == [
        "东湖区召开2024年优化营商环境大会",
        "城关镇：春节前夕村民领到分红",
        None,
        "南湖街道：“数字社区”让居民办事不出门",
    ]
    assert articles[2].text.startswith("本报省城3月5日讯")
    assert articles[2].reference is not None and articles[2].reference.value == "2024-03-05"
    assert articles[3].text.endswith("南湖街道辖6个社区。"), "a 链接：sidebar stays inside its article"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("本报东湖1月3日讯（记者 张三）12月28日，东湖区召开经济工作会议。2023年全区GDP增长7%。", "2024-01-03"),
        ("本报东湖1月3日讯（记者 张三）1月2日，东湖区召开会议，部署2023年工作。", "2023-01-03"),
        ("本报东湖6月3日讯（记者 张三）6月2日，东湖区召开会议。2023年全区GDP增长7%。", "2023-06-03"),
        ("本报东湖2024年1月3日讯 12月28日，东湖区召开经济工作会议。", "2024-01-03"),
        ("2024-01-03 10:00:00\n本报讯 12月28日，东湖区召开经济工作会议。", "2024-01-03"),
    ],
)
def test_articles_january_dateline_year(text: str, value: str) -> None:
    (article,) = split_articles(_doc(text))
    assert article.reference is not None
    assert article.reference.value == value


def test_articles_notice_fields_do_not_split() -> None:
    text = "东湖区举办读书节\n\n本报讯 4月20日，东湖区读书节开幕。\n\n地点：东湖区图书馆\n\n市民可现场借阅图书。\n"
    (article,) = split_articles(_doc(text))
    assert article.text.endswith("市民可现场借阅图书。")


BRIEFS = """某区召开冬季安全生产工作部署会
2024-11-21 09:30:12　来源：某区融媒体中心

11月20日上午，某区召开冬季安全生产工作部署会。

某高新区新材料项目竣工投产

11月18日，某高新区新材料项目正式竣工投产。

某镇北村获评省级特色田园乡村

近日，省住建厅公布名单，某镇北村榜上有名。
"""

SECTIONS = """某区全力抓好干部队伍建设
2024-11-21 09:30:12　来源：某区融媒体中心

今年以来，某区坚持把干部队伍建设摆在突出位置。

选优配强领导班子

班子建设是关键。某区调整充实镇街领导班子12个。

培养选拔年轻干部

此前，某区举办年轻干部培训班，60人参加。
"""


def test_articles_lone_headlines_over_dated_leads_open_briefs() -> None:
    """Headlines of one shape are sub-headings unless a lead opening on its day follows each."""
    briefs = split_articles(_doc(BRIEFS))
    assert [a.title for a in briefs] == [
        "某区召开冬季安全生产工作部署会",
        "某高新区新材料项目竣工投产",
        "某镇北村获评省级特色田园乡村",
    ]
    assert len(split_articles(_doc(SECTIONS))) == 1
