"""Event detection, typing, status and date/place binding over hand-made mentions."""

from __future__ import annotations

import re

import pytest

from tests.timeline.event_fixtures import article_of, date_at, place_at
from timeline.events import find_events
from timeline.model import EventType, Kind, Precision, Role, Status, TimeMention
from timeline.triggers import ROLES, load_rows, load_triggers


@pytest.mark.parametrize("row", load_rows(), ids=lambda r: r["pattern"][:12])
def test_events_data_row_is_complete_and_matches_its_example(row: dict[str, str]) -> None:
    assert row["role"] in ROLES
    assert row["source"].strip()
    assert row["example"].strip()
    assert re.search(row["pattern"], row["example"]), (row["pattern"], row["example"])
    if row["role"] == "trigger":
        assert EventType(row["type"])
        assert 0 < float(row["weight"]) <= 1
        assert row["needs_date"] in ("yes", "no")


def test_events_trigger_table_compiles() -> None:
    table = load_triggers()
    assert {t.type for t in table.triggers} == set(EventType)
    assert table.planned.search("预计今年竣工")


@pytest.mark.parametrize(
    ("text", "phrase", "value", "etype"),
    [
        ("10月18日，枣庄市信用建设新闻发布会举行。", "10月18日", "2023-10-18", EventType.PRESS_CONFERENCE),
        ("8月16日全市社会信用体系建设现场推进会召开。", "8月16日", "2023-08-16", EventType.MEETING),
        ("2019年7月建成党性教育基地。", "2019年7月", "2019-07", EventType.PROJECT_MILESTONE),
        ("近日，一场专题培训班在高新区开课。", "近日", "2023-10", EventType.TRAINING),
        ("连日来，街道开展安全生产隐患大排查。", "连日来", "2023-10", EventType.INSPECTION),
        ("11月29日，林业局开展科普知识进校园活动。", "11月29日", "2023-11-29", EventType.CAMPAIGN),
        ("8月7日，两市成功创建第四批示范区。", "8月7日", "2023-08-07", EventType.AWARD),
        ("2021年，我市迎来建市60周年。", "2021年", "2021", EventType.OTHER),
    ],
)
def test_events_detects_and_types_a_dated_clause(text: str, phrase: str, value: str, etype: EventType) -> None:
    article = article_of(text)
    date = date_at(article.doc, phrase, value)
    (event,) = find_events(article, [date], [])
    assert event.type is etype
    assert event.date == date
    assert event.date_value == value
    # A leading date adverbial is its own clause: the date is then the sentence's.
    assert event.date_source == ("sentence" if "，" in text else "clause")
    assert event.evidence_start == 0 and article.doc.text[event.evidence_end - 1] != "。"
    assert article.doc.text[event.trigger_start : event.trigger_end] in text


@pytest.mark.parametrize(
    "text",
    [
        "各单位要建成长效机制，把培训班办好。",  # generic practice, no date
        "全市累计查处违法185.5万起。",  # statistics
        "举办此次培训班是迫切需要。",  # refers back to a reported training
    ],
)
def test_events_ignores_undated_generic_practice(text: str) -> None:
    assert find_events(article_of(text), [], []) == ()


def test_events_date_from_sentence_then_reference() -> None:
    text = "2月10日下午，会议胜利闭幕后，中心为区政协颁发了证书。区委召开了动员大会。"
    article = article_of(text, "2023-02")
    date = date_at(article.doc, "2月10日下午", "2023-02-10")
    meeting, award, mobilisation = find_events(article, [date], [])
    assert (meeting.type, meeting.date_source) == (EventType.MEETING, "sentence")
    assert (award.type, award.date_source, award.date_value) == (EventType.AWARD, "sentence", "2023-02-10")
    assert (mobilisation.date, mobilisation.date_source, mobilisation.date_value) == (None, "reference", "2023-02")


def test_events_undated_without_reference() -> None:
    (event,) = find_events(article_of("区委召开了动员大会。", None), [], [])
    assert (event.date_value, event.date_source) == (None, "none")


@pytest.mark.parametrize(
    ("text", "phrase", "value", "status"),
    [
        ("项目预计今年5月前竣工投产。", "今年5月前", "2023-05", Status.PLANNED),
        ("力争年内10个项目建成投产。", "年内", "2023", Status.PLANNED),
        ("这个项目今年年初已经建成了。", "今年年初", "2023-01", Status.OCCURRED),
        ("2019年7月建成党性教育基地。", "2019年7月", "2019-07", Status.OCCURRED),
        ("12月5日，服务站落户商城。", "12月5日", "2023-12-05", Status.PLANNED),  # after the reference date
    ],
)
def test_events_status(text: str, phrase: str, value: str, status: Status) -> None:
    article = article_of(text)
    (event,) = find_events(article, [date_at(article.doc, phrase, value)], [])
    assert event.status is status


def test_events_coordinated_dates_make_one_event_each() -> None:
    article = article_of("举办2020年和2021年市委理论学习中心组专题读书班。")
    dates = [date_at(article.doc, "2020年", "2020"), date_at(article.doc, "2021年", "2021")]
    events = find_events(article, dates, [])
    assert [e.date_value for e in events] == ["2020", "2021"]
    assert len({e.id for e in events}) == 2


def test_events_duration_and_recurrence_never_date_an_event() -> None:
    article = article_of("近日，为期4天的专题培训班开课。每年召开考核激励大会。")
    doc = article.doc
    dates = [
        date_at(doc, "近日", "2023-10"),
        date_at(doc, "4天", "P4D", kind=Kind.DURATION),
        date_at(doc, "每年", "R/P1Y", kind=Kind.RECURRING),
    ]
    # The yearly ceremony is a generic practice: its only date is a recurrence.
    (training,) = find_events(article, dates, [])
    assert training.date_value == "2023-10"


def test_events_vague_span_of_years_never_dates_an_event() -> None:
    article = article_of("近年来，公司先后投资进行三期技术改造。")
    date = date_at(article.doc, "近年来", "2020/2023", kind=Kind.ONGOING_SINCE, precision=Precision.APPROX)
    assert find_events(article, [date], []) == ()


def test_events_a_later_clause_date_does_not_date_an_earlier_trigger() -> None:
    article = article_of("吸引多个项目成功落户，2020年村集体收入突破100万元。")
    assert find_events(article, [date_at(article.doc, "2020年", "2020")], []) == ()


def test_events_date_inside_a_name_yields_to_a_free_one() -> None:
    article = article_of("春节过后省委召开了“2022年工作动员大会”。", "2022-02")
    dates = [date_at(article.doc, "春节过后", "2022-02"), date_at(article.doc, "2022年", "2022")]
    (event,) = find_events(article, dates, [])
    assert event.date_value == "2022-02"


@pytest.mark.parametrize(
    ("text", "mentions", "expected", "source"),
    [
        (
            "10月19日，新闻发布会在枣庄市会展中心召开。",
            [("枣庄市会展中心", "枣庄市会展中心", Role.EVENT_LOCATION)],
            "枣庄市会展中心",
            "clause",
        ),
        (
            "8月7日，枣庄市、滕州市同时成功创建示范区。",
            [("枣庄市", "枣庄市", Role.EVENT_LOCATION), ("滕州市", "滕州市", Role.EVENT_LOCATION)],
            "枣庄市",
            "clause",
        ),
        (
            "2月8日，台儿庄区区长在区十三届人大二次会议上表示。",
            [("台儿庄区", "台儿庄区", Role.ORGANIZATION_NAME)],
            "台儿庄区",
            "jurisdiction",
        ),
        (
            "台儿庄区提出目标。2月8日，区十三届人大二次会议召开。",
            [("台儿庄区", "台儿庄区", Role.EVENT_LOCATION)],
            "台儿庄区",
            "jurisdiction",
        ),
        (
            "本报枣庄讯 记者采访。\n\n2月8日，区十三届人大二次会议召开。",
            [("枣庄", "枣庄市", Role.ORIGIN)],
            "枣庄市",
            "focus",
        ),
    ],
)
def test_events_place_binding(text: str, mentions: list[tuple[str, str, Role]], expected: str, source: str) -> None:
    article = article_of(text)
    places = [place_at(article.doc, phrase, name, role) for phrase, name, role in mentions]
    date = date_at(article.doc, next(p for p in ("10月19日", "8月7日", "2月8日") if p in text), "2023-02-08")
    (event,) = find_events(article, [date], places)
    assert event.place is not None and event.place.place is not None
    assert (event.place.place.name, event.place_source) == (expected, source)


@pytest.mark.parametrize(("title_lines", "expected"), [(1, "枣庄市"), (0, "滕州市")])
def test_events_focus_is_the_place_the_headline_names(title_lines: int, expected: str) -> None:
    """An event with no place of its own takes the article's focus: of the places its headline
    names, the most often named; without a headline, the most often named of all."""
    text = "枣庄市召开表彰大会\n\n滕州市发言，滕州市表态。\n\n2月8日，县人大常委会召开会议。"
    article = article_of(text, title_lines=title_lines)
    places = [
        place_at(article.doc, "枣庄市", "枣庄市"),
        place_at(article.doc, "滕州市", "滕州市"),
        place_at(article.doc, "滕州市", "滕州市", nth=1),
    ]
    events = find_events(article, [date_at(article.doc, "2月8日", "2023-02-08")], places)
    (meeting,) = [e for e in events if e.place_source == "focus"]
    assert meeting.place is not None and meeting.place.place is not None
    assert meeting.place.place.name == expected


def test_events_unplaced_without_places() -> None:
    article = article_of("10月18日，新闻发布会举行。")
    (event,) = find_events(article, [date_at(article.doc, "10月18日", "2023-10-18")], [])
    assert (event.place, event.place_source) == (None, "none")


def test_events_a_later_mention_of_the_same_meeting_is_not_a_new_event() -> None:
    text = "春节过后，区委召开了动员大会。区委召开的动员大会，提出了具体要求。"
    article = article_of(text, "2022-02")
    (event,) = find_events(article, [date_at(article.doc, "春节过后", "2022-02")], [])
    assert event.sentence.startswith("春节过后")


def test_events_a_perfective_report_is_a_new_event() -> None:
    text = "春节过后，全区召开了动员大会。我们街道召开了动员大会。"
    article = article_of(text, "2022-02")
    events = find_events(article, [date_at(article.doc, "春节过后", "2022-02")], [])
    assert [e.date_source for e in events] == ["sentence", "reference"]


def test_events_a_dated_lead_supersedes_an_undated_kicker() -> None:
    text = "我市召开主题新闻发布会\n11月29日，我市召开主题新闻发布会。"
    article = article_of(text, "2023-11-29")
    (event,) = find_events(article, [date_at(article.doc, "11月29日", "2023-11-29")], [])
    assert event.date is not None and event.date.text == "11月29日"


def test_events_headline_is_not_an_event() -> None:
    text = "山亭区两会闭幕\n2月10日下午，山亭区两会胜利闭幕。"
    article = article_of(text, "2023-02", title_lines=1)
    events = find_events(article, [date_at(article.doc, "2月10日下午", "2023-02-10")], [])
    assert len(events) == 1
    assert events[0].evidence_start > text.index("\n")


def test_events_title_is_a_short_phrase_of_the_clause() -> None:
    article = article_of("10月18日，枣庄市聚力便民惠企新闻发布会举行。")
    (event,) = find_events(article, [date_at(article.doc, "10月18日", "2023-10-18")], [])
    assert event.title == "枣庄市聚力便民惠企新闻发布会举行"
    assert 0 < event.confidence <= 1


@pytest.mark.parametrize(
    ("text", "dates", "expected"),
    [
        # A year right after the verb opening the name (召开2023年…会议) names the meeting.
        (
            "5月6日上午，台儿庄区召开2023年防汛工作会议。",
            [("5月6日上午", "2023-05-06"), ("2023年", "2023")],
            "2023-05-06",
        ),
        # A quarter in the name of a ceremony.
        (
            "9月3日，滕州市举行2023年第四季度项目集中签约仪式。",
            [("9月3日", "2023-09-03"), ("2023年第四季度", "2023-10/2023-12")],
            "2023-09-03",
        ),
        # A season in the name of a campaign.
        (
            "6月中旬，街道开展夏季防溺水安全大检查。",
            [("6月中旬", "2023-06-11/2023-06-20"), ("夏季", "2023-06/2023-08")],
            "2023-06-11/2023-06-20",
        ),
        # A year before an ordinal (2023年第三批) qualifies the name, with no verb before it.
        (
            "8月2日，全市2023年第三批重点项目集中开工活动举行。",
            [("8月2日", "2023-08-02"), ("2023年", "2023")],
            "2023-08-02",
        ),
        # A 年度 year with a noun right after it names the course, with no verb before it.
        (
            "近日，某街道2023年度党员冬训培训班开班。",
            [("近日", "2024-02"), ("2023年度", "2023")],
            "2024-02",
        ),
        # A date with no finer one beside it still dates the event.
        ("台儿庄区召开2023年防汛工作会议。", [("2023年", "2023")], "2023"),
        ("某街道2023年度党员冬训培训班开班。", [("2023年度", "2023")], "2023"),
        # A coarser free date does not beat the name's finer one.
        ("今年，台儿庄区召开2023年8月防汛调度会。", [("今年", "2023"), ("2023年8月", "2023-08")], "2023-08"),
    ],
)
def test_events_date_inside_the_event_name_yields_to_a_finer_one(
    text: str, dates: list[tuple[str, str]], expected: str
) -> None:
    article = article_of(text)
    (event,) = find_events(article, [date_at(article.doc, phrase, value) for phrase, value in dates], [])
    assert event.date_value == expected


@pytest.mark.parametrize(
    ("text", "dates", "count"),
    [
        ("3月2日，县里召开防汛动员会，市长出席会议并讲话。", [("3月2日", "2023-03-02")], 1),
        ("3月2日，县里召开防汛动员会。会议通报了2022年工作情况。", [("3月2日", "2023-03-02"), ("2022年", "2022")], 1),
        ("3月2日，县里召开防汛动员会。会议强调，2023年要守住底线。", [("3月2日", "2023-03-02"), ("2023年", "2023")], 1),
        ("截至目前，共排查隐患点位56处。", [("截至目前", "2023-10-19")], 0),
        ("今年以来，全区开展安全生产检查1200余次。", [("今年以来", "2023/2023-10-19")], 0),
        ("今年以来，各镇街开展督查三轮，整改隐患40处。", [("今年以来", "2023/2023-10-19")], 0),
        ("二季度计划新开工项目12个。", [("二季度", "2023-04/2023-06")], 0),
    ],
)
def test_events_statistics_and_references_to_a_meeting_are_not_events(
    text: str, dates: list[tuple[str, str]], count: int
) -> None:
    article = article_of(text)
    events = find_events(article, [date_at(article.doc, phrase, value) for phrase, value in dates], [])
    assert len(events) == count


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("5月8日，高新区人才之家揭牌成立。", EventType.OTHER),
        ("5月8日，县退役军人服务中心挂牌成立。", EventType.OTHER),
        ("5月8日，区政府与某大学签署战略合作框架协议。", EventType.PROJECT_MILESTONE),
        ("5月8日，某村顺利通过市级文明村验收。", EventType.AWARD),
        ("5月8日，物流园项目举行奠基仪式。", EventType.PROJECT_MILESTONE),
        ("5月8日，智慧停车系统正式上线运行。", EventType.PROJECT_MILESTONE),
        ("5月8日，街道启动网格员业务培训月。", EventType.TRAINING),
        ("5月8日，省住建厅公布特色田园乡村名单，某镇北村榜上有名。", EventType.AWARD),
        ("5月8日，我县上榜全国县域经济百强。", EventType.AWARD),
        ("5月8日，某区两个案例入围全国优秀案例。", EventType.AWARD),
        ("5月8日，某县经济开发区成功获批省级高新技术产业开发区。", EventType.AWARD),
    ],
)
def test_events_types_inaugurations_agreements_and_go_lives(text: str, etype: EventType) -> None:
    article = article_of(text)
    (event,) = find_events(article, [date_at(article.doc, "5月8日", "2023-05-08")], [])
    assert (event.type, event.date_value) == (etype, "2023-05-08")


def test_events_a_venue_beats_the_organiser() -> None:
    article = article_of("5月9日，台儿庄区还在滕州市举办了招商专员培训班。")
    places = [place_at(article.doc, "台儿庄区", "台儿庄区"), place_at(article.doc, "滕州市", "滕州市")]
    (event,) = find_events(article, [date_at(article.doc, "5月9日", "2023-05-09")], places)
    assert event.place is not None and event.place.place is not None
    assert (event.place.place.name, event.place_source) == ("滕州市", "clause")


def test_events_a_re_mention_gives_the_venue() -> None:
    text = "记者从今天召开的台儿庄区营商环境新闻发布会上获悉，全区新增企业300家。发布会在枣庄市会展中心举行。"
    article = article_of(text)
    places = [place_at(article.doc, "台儿庄区", "台儿庄区"), place_at(article.doc, "枣庄市会展中心", "枣庄市会展中心")]
    (event,) = find_events(article, [date_at(article.doc, "今天", "2023-10-19")], places)
    assert event.place is not None and event.place.place is not None
    assert (event.place.place.name, event.place_source) == ("枣庄市会展中心", "venue")


def test_events_an_unresolved_date_leaves_the_event_undated() -> None:
    article = article_of("今天上午，全区防汛工作新闻发布会举行。", None)
    unresolved = TimeMention(article.doc, 0, 4, "", None, None, Precision.DAY, Kind.POINT, 0.5, 0)
    (event,) = find_events(article, [unresolved], [])
    assert event.date is unresolved
    assert event.date_value is None


@pytest.mark.parametrize(
    "text",
    [
        "15个项目集中开工\n5月18日上午，全区第二批重大项目集中开工活动举行。",
        "全区召开防汛新闻发布会\n5月18日上午，全区召开防汛新闻发布会。",
    ],
)
def test_events_an_unmarked_headline_folds_into_the_lead(text: str) -> None:
    article = article_of(text, "2023-05-18")
    (event,) = find_events(article, [date_at(article.doc, "5月18日上午", "2023-05-18")], [])
    assert event.evidence_start > text.index("\n")
