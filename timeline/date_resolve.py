"""Resolve a rule match to a gold-syntax value and a day interval: one small function per resolver.

Each rule of ``data/date_patterns.toml`` names its resolver. News is past-leaning: a year-less
date later than the reference falls in the previous year unless its clause points forward
(``预计``, ``将``…). Anchored words (``当天``, ``此前``) follow the last date mentioned, which
``dates.find_dates`` passes in as ``Context.previous``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from timeline.date_calendar import add_months, festival_day, format_period, month_end, parse_number
from timeline.date_grammar import Grammar, Rule, Term
from timeline.model import Kind, Precision

__all__ = ["RESOLVERS", "Context", "Ref", "Resolver", "Value", "ref_of"]

_CLAUSE_BREAK = re.compile(r"[。;；!！?？\n,，]")
_SENTENCE_BREAK = re.compile(r"[。;；!！?？\n]")
_PAST_SLACK = dt.timedelta(days=14)
_FUTURE_SLACK = dt.timedelta(days=60)
_GRAIN = {Precision.YEAR: "year", Precision.MONTH: "month", Precision.DAY: "day"}


@dataclass(frozen=True, slots=True)
class Ref:
    """The reference as a day interval with its grain and gold-syntax value."""

    first: dt.date
    last: dt.date
    value: str
    grain: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Value:
    """A resolved value: gold syntax, inclusive day interval (None when open), precision, kind."""

    value: str
    first: dt.date | None
    last: dt.date | None
    precision: Precision
    kind: Kind
    note: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    """What a resolver sees besides its groups: tables, reference, text around the match."""

    grammar: Grammar
    ref: Ref
    folded: str
    start: int
    end: int
    previous: Value | None
    previous_end: int = -1
    """Where the mention of ``previous`` ends in ``folded`` (-1: unknown)."""


Resolver = Callable[[Mapping[str, str], Rule, Context], "Value | None"]


def ref_of(value: str, confidence: float) -> Ref:
    """A gold-syntax reference value (``YYYY[-MM[-DD]]``) as a day interval with its grain."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return Ref(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), value, "year", confidence)
    if len(parts) == 2:
        return Ref(dt.date(parts[0], parts[1], 1), month_end(parts[0], parts[1]), value, "month", confidence)
    day = dt.date(parts[0], parts[1], parts[2])
    return Ref(day, day, value, "day", confidence)


def _period(first: dt.date, last: dt.date, precision: Precision, kind: Kind, note: str = "") -> Value:
    grain = _GRAIN.get(precision, "month" if precision in (Precision.QUARTER, Precision.SEASON) else "year")
    return Value(format_period(first, last, grain), first, last, precision, kind, note)


def _term(ctx: Context, anchor: str, word: str) -> Term | None:
    return ctx.grammar.terms.get((anchor, word))


def _year(groups: Mapping[str, str], ctx: Context) -> int | None:
    if "y" in groups:
        return parse_number(groups["y"].replace("○", "〇"))
    if "yy" in groups:
        return 2000 + int(groups["yy"])
    if "ry" in groups:
        term = _term(ctx, "reference", groups["ry"])
        return ctx.ref.first.year + (term.offset if term else 0)
    return None


def _is_future(ctx: Context, deadline: bool = False) -> bool:
    """Whether the clause of the mention points forward.

    It does with a future cue, and a ``deadline`` (10月前完成) with a verb of completion and no 已:
    a target.
    """
    before = [m.end() for m in _CLAUSE_BREAK.finditer(ctx.folded, max(0, ctx.start - 40), ctx.start)]
    after = _CLAUSE_BREAK.search(ctx.folded, ctx.end, ctx.end + 40)
    clause = ctx.folded[before[-1] if before else max(0, ctx.start - 40) : after.start() if after else ctx.end + 40]
    grammar = ctx.grammar
    if grammar.future_cues.search(clause) is not None:
        return True
    return (
        deadline
        and grammar.deadline_targets.search(clause) is not None
        and grammar.deadline_done.search(clause) is None
    )


def _range_start(ctx: Context) -> dt.date | None:
    """The start of the range this mention ends (9月26日开幕，持续至10月8日), or None.

    The mention follows a range word (``range_end_before``) and the date before it in the same
    sentence has a day or month.
    """
    previous = ctx.previous
    if previous is None or previous.first is None or previous.precision not in (Precision.DAY, Precision.MONTH):
        return None
    if not 0 <= ctx.previous_end <= ctx.start or _SENTENCE_BREAK.search(ctx.folded, ctx.previous_end, ctx.start):
        return None
    if not ctx.grammar.range_end_before.search(ctx.folded, ctx.previous_end, ctx.start):
        return None
    return previous.first


def _infer_year(month: int, day: int | None, ctx: Context, deadline: bool = False) -> int:
    year = ctx.ref.first.year
    if not 1 <= month <= 12:
        return year
    start = _range_start(ctx)
    if start is not None:  # on or after the range's start, in its year or the next
        return start.year + ((month, day or 31) < (start.month, start.day))
    if ctx.ref.grain == "year":
        return year
    end = month_end(year, month)
    first = dt.date(year, month, min(day or 1, end.day))  # 2月29日 of a common year: compare by month end
    last = first if day else end
    future = _is_future(ctx, deadline)
    if not future and first > ctx.ref.last + _PAST_SLACK:
        return year - 1
    if future and last < ctx.ref.first - _FUTURE_SLACK:
        return year + 1
    return year


def _month_day(groups: Mapping[str, str], ctx: Context, deadline: bool = False) -> tuple[int, int, int | None] | None:
    day = parse_number(groups["d"]) if "d" in groups else None
    if "rm" in groups:  # a month relative to the reference (本月, 下个月)
        term = _term(ctx, "reference", groups["rm"].replace("个", ""))
        if term is None or term.unit != "month":
            return None
        return (*add_months(ctx.ref.first.year, ctx.ref.first.month, term.offset), day)
    month = parse_number(groups["m"])
    if month is None or not 1 <= month <= 12:
        return None
    year = _year(groups, ctx) or _infer_year(month, day, ctx, deadline)
    return year, month, day


def _date(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    ymd = _month_day(groups, ctx)
    if ymd is None or ymd[2] is None:
        return None
    try:
        day = dt.date(ymd[0], ymd[1], ymd[2])
    except ValueError:
        return None
    return Value(day.isoformat(), day, day, Precision.DAY, rule.kind)


def _date_range(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    start = _date(groups, rule, ctx)
    if start is None or start.first is None:
        return None
    month2 = parse_number(groups["m2"]) if "m2" in groups else start.first.month
    day2 = parse_number(groups["d2"])
    year2 = parse_number(groups["y2"]) if "y2" in groups else start.first.year
    if month2 is None or day2 is None or year2 is None:
        return None
    if "y2" not in groups and month2 < start.first.month:
        year2 += 1
    try:
        end = dt.date(year2, month2, day2)
    except ValueError:
        return None
    return Value(f"{start.value}/{end.isoformat()}", start.first, end, Precision.DAY, rule.kind)


def _bare_day(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    base = ctx.previous.first if ctx.previous is not None and ctx.previous.first else None
    if base is None or ctx.previous is None or ctx.previous.precision not in (Precision.DAY, Precision.MONTH):
        month = {"m": str(ctx.ref.first.month)}
    else:
        month = {"m": str(base.month), "y": str(base.year)}
    return _date({**groups, **month}, rule, ctx)


def _month(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    ymd = _month_day(groups, ctx, rule.kind is Kind.DEADLINE)
    if ymd is None:
        return None
    note = "deadline" if rule.kind is Kind.DEADLINE else ""
    return _period(dt.date(ymd[0], ymd[1], 1), month_end(ymd[0], ymd[1]), Precision.MONTH, rule.kind, note)


def _month_range(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    ymd = _month_day(groups, ctx)
    month2 = parse_number(groups["m2"])
    if ymd is None or month2 is None or not 1 <= month2 <= 12:
        return None
    year2 = _year({"y": groups["y2"]} if "y2" in groups else {"ry": groups.get("ry2", "")}, ctx)
    year2 = year2 if "y2" in groups or "ry2" in groups else ymd[0]
    if year2 is None or (year2, month2) < (ymd[0], ymd[1]):
        return None
    return _period(dt.date(ymd[0], ymd[1], 1), month_end(year2, month2), Precision.MONTH, rule.kind)


def _month_part(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    term = _term(ctx, "month", groups["part"])
    ymd = _month_day(groups, ctx, term is not None and term.kind is Kind.DEADLINE)
    if ymd is None or term is None:
        return None
    end = month_end(ymd[0], ymd[1])
    first, last = dt.date(ymd[0], ymd[1], term.first), min(end, dt.date(ymd[0], ymd[1], min(term.last, end.day)))
    if term.precision is Precision.APPROX:
        return Value(f"{ymd[0]:04d}-{ymd[1]:02d}", first, last, term.precision, term.kind, term.note)
    return _period(first, last, term.precision, term.kind)


def _year_value(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    year = _year(groups, ctx)
    if year is None:
        return None
    return Value(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR, rule.kind)


def _year_range(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    first, last = _year(groups, ctx), parse_number(groups["y2"])
    if first is None or last is None or last <= first:
        return None
    return Value(f"{first}/{last}", dt.date(first, 1, 1), dt.date(last, 12, 31), rule.precision, rule.kind)


def _cutoff(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    if "m" in groups:
        ymd = _month_day(groups, ctx)
        if ymd is None:
            return None
        day = month_end(ymd[0], ymd[1]) if ymd[2] is None else dt.date(ymd[0], ymd[1], min(ymd[2], 31))
    else:
        year = _year(groups, ctx)
        if year is None:
            return None
        day = dt.date(year, 12, 31)
    return Value(day.isoformat(), day, day, Precision.DAY, rule.kind)


def _since(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    if "m" in groups:
        base = _date(groups, rule, ctx) if "d" in groups else _month(groups, rule, ctx)
    else:
        base = _year_value(groups, rule, ctx)
    if base is None or base.first is None or base.first > ctx.ref.last:
        return None
    value = f"{base.value}/{ctx.ref.value}"
    return Value(value, base.first, ctx.ref.last, base.precision, Kind.ONGOING_SINCE)


def _years_since(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    n = parse_number(groups["n"])
    if n is None or not 0 < n < 200:
        return None
    start = ctx.ref.first.year - n
    return Value(f"{start}/{ctx.ref.value}", dt.date(start, 1, 1), ctx.ref.last, rule.precision, rule.kind)


def _anchor_since(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    anchor = ctx.grammar.anchors[groups["anchor"]]
    start = ref_of(anchor, 1.0)
    precision = Precision.MONTH if start.grain == "month" else Precision.YEAR
    return Value(f"{anchor}/{ctx.ref.value}", start.first, ctx.ref.last, precision, rule.kind)


def _open_since(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    return Value(f"../{ctx.ref.value}", None, ctx.ref.last, rule.precision, rule.kind)


def _recent_years(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    n, year = parse_number(groups["n"]), ctx.ref.first.year
    if n is None or not 1 < n < 50:
        return None
    return Value(f"{year - n + 1}/{year}", dt.date(year - n + 1, 1, 1), ctx.ref.last, rule.precision, rule.kind)


def _future_years(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    n, year = parse_number(groups["n"]), ctx.ref.first.year
    if n is None or not 1 < n < 50:
        return None
    return Value(
        f"{year}/{year + n - 1}", dt.date(year, 1, 1), dt.date(year + n - 1, 12, 31), rule.precision, rule.kind
    )


def _first_months(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    n, year = parse_number(groups["n"]), _year(groups, ctx) or ctx.ref.first.year
    if n is None or not 1 < n <= 12:
        return None
    return _period(dt.date(year, 1, 1), month_end(year, n), Precision.MONTH, rule.kind)


def _months_of_year(year: int, term: Term) -> Value:
    last_year, last_month = add_months(year, term.last, 0)
    first, last = dt.date(year, term.first, 1), month_end(last_year, last_month)
    if term.precision is Precision.APPROX:
        return Value(
            format_period(first, dt.date(last_year, last_month, 1), "month"),
            first,
            last,
            term.precision,
            term.kind,
            term.note,
        )
    return _period(first, last, term.precision, term.kind, term.note)


def _in_procedure(ctx: Context) -> bool:
    """Whether the sentence up to the match describes a standing procedure (奖励流程…, 审批程序…)."""
    sentence = re.split(r"[。;；!！?？\n]", ctx.folded[max(0, ctx.start - 80) : ctx.start])[-1]
    return any(str(cue) in sentence for cue in ctx.grammar.defaults.get("procedure_cues", ()))


def _year_part(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    word = groups["part"] if len(groups["part"]) > 1 else "年" + groups["part"] + groups.get("dl", "")
    no_year = not {"y", "yy", "ry"} & groups.keys()
    if no_year and word in rule.params.get("procedural", ()) and _in_procedure(ctx):
        return Value("R/P1Y", None, None, Precision.APPROX, Kind.RECURRING, "a yearly step of a standing procedure")
    term = _term(ctx, "year", word)
    year = _year(groups, ctx) or ctx.ref.first.year
    return None if term is None else _months_of_year(year, term)


def _list_part(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    term = _term(ctx, "yearlist", groups["part"])
    return None if term is None else _months_of_year(ctx.ref.first.year, term)


def _baseline(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    day = dt.date(ctx.ref.first.year, 1, 1)
    return Value(day.isoformat(), day, day, Precision.DAY, rule.kind, "baseline: start of the year")


def _relative_term(term: Term, ref: Ref) -> Value:
    if term.kind is Kind.RECURRING:
        return Value("R/P1Y", None, None, term.precision, term.kind)
    if term.unit == "open":
        return Value(f"../{ref.value}", None, ref.last, term.precision, term.kind)
    if term.unit in ("ref", "day", "week") and (term.unit == "ref" or ref.grain == "day"):
        return _reference_term(term, ref)
    if term.unit == "year":
        year = ref.first.year + term.offset
        if term.kind is Kind.ONGOING_SINCE:
            return Value(f"{year}/{ref.first.year}", dt.date(year, 1, 1), ref.last, term.precision, term.kind)
        return Value(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), term.precision, term.kind)
    # a month word, or a day word against a reference coarser than a day: the reference month, approx
    y, m = add_months(ref.first.year, ref.first.month, term.offset if term.unit == "month" else 0)
    precision = term.precision if term.unit == "month" else Precision.APPROX
    return Value(f"{y:04d}-{m:02d}", dt.date(y, m, 1), month_end(y, m), precision, term.kind)


def _reference_term(term: Term, ref: Ref) -> Value:
    if term.unit == "week":
        monday = ref.first - dt.timedelta(days=ref.first.weekday() - 7 * term.offset)
        return _period(monday, monday + dt.timedelta(days=6), term.precision, term.kind)
    if term.unit == "day":
        day = ref.first + dt.timedelta(days=term.offset)
        return Value(day.isoformat(), day, day, term.precision, term.kind)
    first = ref.first + dt.timedelta(days=term.first)
    return Value(ref.value, first, ref.last, term.precision, term.kind, term.note)


def _term_value(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    anchor = str(rule.params.get("anchor", "reference"))
    term = _term(ctx, anchor, groups["rel"])
    if term is None:
        return None
    ref = ctx.ref
    prev_first = ctx.previous.first if anchor == "previous" and ctx.previous is not None else None
    if prev_first is not None and ctx.previous is not None and ctx.previous.last is not None:
        grain = "day" if prev_first == ctx.previous.last else "month"
        last = prev_first if grain == "day" else month_end(prev_first.year, prev_first.month)
        ref = Ref(prev_first, last, format_period(prev_first, prev_first, grain), grain, 1.0)
    return _relative_term(term, ref)


def _in_name(ctx: Context) -> bool:
    """Whether the match sits inside a quoted name (“迎新春”系列活动): an open quote not yet closed."""
    opening, closing = str(ctx.grammar.defaults.get("name_open", "")), str(ctx.grammar.defaults.get("name_close", ""))
    before = _CLAUSE_BREAK.split(ctx.folded[max(0, ctx.start - 12) : ctx.start])[-1]
    after = _CLAUSE_BREAK.split(ctx.folded[ctx.end : ctx.end + 12])[0]
    last_open = max((before.rfind(q) for q in opening), default=-1)
    last_close = max((before.rfind(q) for q in closing if q not in opening), default=-1)
    return last_open > last_close and any(q in after for q in closing)


def _festival(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    kind, month, day = ctx.grammar.festivals[groups["fest"]]
    year = _year(groups, ctx)
    when = festival_day(kind, month, day, year or ctx.ref.first.year, groups["fest"])
    if year is None and ctx.ref.grain != "year":
        shifted = _infer_year(when.month, when.day, ctx) - when.year
        when = festival_day(kind, month, day, ctx.ref.first.year + shifted, groups["fest"]) if shifted else when
    term = _term(ctx, "festival", groups["mod"]) if "mod" in groups else None
    if term is None and _in_name(ctx):
        note = "festival inside a quoted name: the theme's month, not the day"
        return Value(format_period(when, when, "month"), when, when, Precision.APPROX, rule.kind, note)
    if term is None:
        return Value(when.isoformat(), when, when, Precision.DAY, rule.kind)
    moved = when + dt.timedelta(days=term.offset)
    first, last = when + dt.timedelta(days=term.first), when + dt.timedelta(days=term.last)
    return Value(format_period(moved, moved, "month"), first, last, term.precision, term.kind)


def _plan(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    ordinal = parse_number("十" + groups["plan"])
    first_year = ctx.grammar.plans.get(ordinal or 0)
    part = str(rule.params.get(groups["pmod"], "all"))
    if first_year is None:
        return None
    if part == "since":
        first = dt.date(first_year, 1, 1)
        return Value(f"{first_year}/{ctx.ref.value}", first, ctx.ref.last, Precision.YEAR, Kind.ONGOING_SINCE)
    if part == "all":
        first, last = dt.date(first_year, 1, 1), dt.date(first_year + 4, 12, 31)
        return Value(f"{first_year}/{first_year + 4}", first, last, Precision.MULTI_YEAR, Kind.RANGE)
    year = first_year + 4 if part == "last" else first_year
    return Value(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR, rule.kind)


def _decade(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    decade = parse_number(groups["dec"])
    if decade is None:
        return None
    start = 1900 + decade
    term = _term(ctx, "decade", groups["part"]) if "part" in groups else None
    first, last = (start + term.first, start + term.last) if term else (start, start + 9)
    value = str(first) if first == last else f"{first}/{last}"
    precision = term.precision if term else Precision.MULTI_YEAR
    return Value(value, dt.date(first, 1, 1), dt.date(last, 12, 31), precision, rule.kind)


def _duration(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    unit = ctx.grammar.units.get(groups["unit"])
    count = parse_number(groups["n"]) if "n" in groups else 1
    if unit is None or count == 0:
        return None
    amount = "X" if count is None else str(count * unit[1])
    return Value(f"P{amount}{unit[0]}", None, None, unit[2], Kind.DURATION)


def _recurring(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    unit = ctx.grammar.units.get(groups.get("unit") or str(rule.params.get("unit", "")))
    count = parse_number(groups["n"]) if "n" in groups else 1
    if unit is None or not count:
        return None
    precision = Precision.MULTI_YEAR if unit[0] == "Y" and count > 1 else unit[2]
    note = f"every {groups['n']} to {groups['n2']} {groups['unit']}" if "n2" in groups else ""
    return Value(f"R/P{count * unit[1]}{unit[0]}", None, None, precision, Kind.RECURRING, note)


def _weekday(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    """上周五 in the week before the reference; a bare 周五 in the reference week (or the next one if future)."""
    weekday = rule.params["days"].get(groups["wd"])
    if weekday is None:
        return None
    if ctx.ref.grain != "day":
        note = "weekday against a reference coarser than a day"
        return Value(ctx.ref.value, ctx.ref.first, ctx.ref.last, Precision.APPROX, rule.kind, note)
    monday = ctx.ref.first - dt.timedelta(days=ctx.ref.first.weekday())
    if "wk" in groups:
        day = monday + dt.timedelta(days=7 * int(rule.params["weeks"][groups["wk"]]) + weekday)
    else:  # bare 周五 = 本周五 (other weeks are said 上周五/下周五); a forward clause never looks back
        day = monday + dt.timedelta(days=weekday)
        if day < ctx.ref.first and _is_future(ctx):
            day += dt.timedelta(days=7)
    return Value(day.isoformat(), day, day, Precision.DAY, rule.kind)


def _since_of(groups: Mapping[str, str], rule: Rule, ctx: Context) -> Value | None:
    """X以来 after any period: from the start of the period (resolver ``params.base``) to the reference."""
    base = RESOLVERS[str(rule.params["base"])](groups, rule, ctx)
    if base is None or base.first is None or not base.value or base.first > ctx.ref.last:
        return None
    start = base.value.split("/")[0]
    return Value(f"{start}/{ctx.ref.value}", base.first, ctx.ref.last, base.precision, Kind.ONGOING_SINCE)


RESOLVERS: dict[str, Resolver] = {
    "date": _date,
    "date_range": _date_range,
    "bare_day": _bare_day,
    "month": _month,
    "month_range": _month_range,
    "month_part": _month_part,
    "year": _year_value,
    "year_range": _year_range,
    "cutoff": _cutoff,
    "since": _since,
    "years_since": _years_since,
    "anchor_since": _anchor_since,
    "open_since": _open_since,
    "recent_years": _recent_years,
    "future_years": _future_years,
    "first_months": _first_months,
    "year_part": _year_part,
    "list_part": _list_part,
    "baseline": _baseline,
    "term": _term_value,
    "festival": _festival,
    "plan": _plan,
    "decade": _decade,
    "duration": _duration,
    "recurring": _recurring,
    "weekday": _weekday,
    "since_of": _since_of,
}
