"""Split a page into its articles and give each a reference date with evidence.

A page from a newspaper or portal holds several items. Each line is classified by its layout
role (headline, byline, column header, photo caption, body; patterns in
``data/article_patterns.toml``). An article starts at a run of headline lines (kicker, headline,
subtitle, markdown ``#`` headings) that is followed by a byline or a dateline, at the top of the
page, or at a lone headline that is not one of a series of sub-headings; a photo caption set off
by blank lines is an item of its own, and so is a dateline paragraph right after body text (a
headline-less brief). Column headers shared by several articles, and site or section names right
above a headline (page headers), stay outside.
Reference dates are decided in :mod:`timeline.reference`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from timeline.model import Article, Document
from timeline.page_patterns import PagePatterns, load_patterns
from timeline.reference import ArticleZones, find_reference_dates

_MARKDOWN = re.compile(r"^(#{1,6})\s*")
_COMMAS = ("，", ",")


@dataclass(frozen=True, slots=True)
class PageLine:
    """One non-blank line: its span, the span of its content (markdown marks off) and its role."""

    start: int
    end: int
    content_start: int
    content_end: int
    gap: int
    level: int
    role: str
    dateline: bool
    pattern_role: str | None = None
    """The role the line patterns give its content (``PagePatterns.line_role``), before layout."""


def _strip_marks(line: str) -> tuple[int, int, int]:
    """Offsets of the content inside a stripped line, without ``#`` markers or wrapping ``**``."""
    level, lo, hi = 0, 0, len(line)
    m = _MARKDOWN.match(line)
    if m:
        level, lo = len(m.group(1)), m.end()
    if line[lo:hi].startswith("**") and line[lo:hi].endswith("**") and hi - lo > 4:
        lo, hi = lo + 2, hi - 2
    while lo < hi and line[lo].isspace():
        lo += 1
    while hi > lo and line[hi - 1].isspace():
        hi -= 1
    return level, lo, hi


def is_heading_like(content: str, patterns: PagePatterns) -> bool:
    """Whether a line reads as a headline rather than (wrapped) body text.

    >>> is_heading_like("共同规划绘制锂电新图景", load_patterns())
    True
    >>> is_heading_like("政务服务持续优化。对全区883项政务服务事项进行梳", load_patterns())
    False
    """
    lay = patterns.layout
    limit = lay.max_heading_chars_with_comma if any(c in content for c in _COMMAS) else lay.max_heading_chars
    return (
        0 < len(content) <= limit
        and not any(c in lay.heading_forbidden for c in content)
        and content[-1] not in lay.heading_bad_endings
    )


def _role(content: str, level: int, role: str | None, patterns: PagePatterns) -> str:
    if role == "column":
        return "column"
    if role == "byline" and len(content) <= 60 and not any(c in content for c in "。，,；;！!？?"):
        return "byline"
    if not content:
        return "body"
    if level or role in ("kicker", "headline") or (role != "caption" and is_heading_like(content, patterns)):
        return "heading"
    return "caption" if role == "caption" else "body"


def _is_cut_off(doc: Document, previous: PageLine, gap: int, patterns: PagePatterns) -> bool:
    """Whether ``previous`` is body text broken mid-sentence, so the next line continues it."""
    lay = patterns.layout
    return (
        previous.role == "body"
        and gap <= lay.continuation_max_gap
        and doc.folded[previous.end - 1] not in lay.sentence_end
    )


def read_lines(doc: Document, patterns: PagePatterns) -> tuple[PageLine, ...]:
    """Classify every non-blank line of the page (matching on the folded text)."""
    lines: list[PageLine] = []
    pos = gap = 0
    for raw in doc.text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            gap += 1
        else:
            start = pos + raw.index(stripped[0])
            end = start + len(stripped)
            folded = doc.folded[start:end]
            level, lo, hi = _strip_marks(folded)
            content = folded[lo:hi]
            pattern_role = patterns.line_role(content)
            role = _role(content, level, pattern_role, patterns)
            dateline = any(p.search(folded) for p in patterns.datelines)
            if role == "heading" and not level and (dateline or (lines and _is_cut_off(doc, lines[-1], gap, patterns))):
                role = "body"
            lines.append(
                PageLine(
                    start,
                    end,
                    start + lo,
                    start + hi,
                    gap,
                    level,
                    role,
                    dateline,
                    pattern_role,
                )
            )
            gap = 0
        pos += len(raw) + 1
    return tuple(_site_headers(lines))


def _site_headers(lines: list[PageLine]) -> list[PageLine]:
    """A site or section name (role ``site``) right above a headline is a page header, kept out."""
    out = []
    for i, line in enumerate(lines):
        if line.pattern_role == "site":
            header = i + 1 < len(lines) and lines[i + 1].role == "heading"
            out.append(dataclasses.replace(line, role="column" if header else line.role))
        else:
            out.append(line)
    return out


def _heading_runs(lines: tuple[PageLine, ...]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if line.role != "heading":
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _shape(lines: tuple[PageLine, ...], run: tuple[int, int], doc: Document) -> tuple[int, bool, int]:
    """Sub-headings of one article share a shape: line count, two-phrase spacing, markdown level."""
    texts = [doc.text[lines[i].content_start : lines[i].content_end].strip() for i in range(run[0], run[1] + 1)]
    return (len(texts), any(" " in t or "\u3000" in t for t in texts), lines[run[0]].level)


def _run_level(lines: tuple[PageLine, ...], first: int) -> int:
    """Smallest markdown level of the heading run opening at ``first`` (0: no markdown)."""
    levels = []
    for line in lines[first:]:
        if line.role != "heading":
            break
        levels.append(line.level)
    marked = [level for level in levels if level]
    return min(marked) if marked else 0


def _lone_starts(doc: Document, lines: tuple[PageLine, ...], strong: set[int], lone: list[tuple[int, int]]) -> set[int]:
    """Lone headline runs (no byline after them) that open an article rather than a section.

    In markdown, a heading at the level of the article's own headline (or above) opens the next
    article and a deeper one is a section. Without markdown, sub-headings of one article come as a
    series of the same shape (选优配强… 激发… / 培养选拔… 抓落实…), so a run whose shape is unique
    between two article starts is a headline of a byline-less article.
    """
    cuts = sorted(strong)
    segments: dict[int, list[tuple[int, int]]] = {}
    for run in lone:
        segments.setdefault(max((c for c in cuts if c <= run[0]), default=-1), []).append(run)
    starts = set()
    for cut, runs in segments.items():
        top = _run_level(lines, cut) if cut >= 0 else 0
        shapes = Counter(_shape(lines, r, doc) for r in runs)
        for run in runs:
            level = lines[run[0]].level
            if (level <= top) if (level and top) else shapes[_shape(lines, run, doc)] == 1:
                starts.add(run[0])
    return starts


def _is_lead(doc: Document, line: PageLine, patterns: PagePatterns) -> bool:
    """Whether a body line opens on a news lead's day (11月18日，… / 近日，…): a brief starts above it."""
    if line.role != "body":
        return False
    content = doc.folded[line.content_start : line.content_end]
    return any(p.match(content) for p in patterns.leads)


def find_starts(doc: Document, lines: tuple[PageLine, ...], patterns: PagePatterns) -> list[int]:
    """Indices of the lines that open an article."""
    content = [i for i, line in enumerate(lines) if line.role != "column"]
    if not content:
        return []
    strong, lone = {content[0]}, []
    for first, last in _heading_runs(lines):
        after = next((j for j in range(last + 1, len(lines)) if lines[j].role != "column"), None)
        if after is not None and (
            lines[after].role == "byline" or lines[after].dateline or _is_lead(doc, lines[after], patterns)
        ):
            strong.add(first)
        elif first not in strong and after is not None:
            lone.append((first, last))
    starts = strong | _lone_starts(doc, lines, strong, lone)
    for i, line in enumerate(lines):
        prev = lines[i - 1] if i else None
        if line.role == "caption" and line.gap >= patterns.layout.caption_min_gap and prev and prev.role == "body":
            starts.add(i)
        # A dateline paragraph right after body text opens a headline-less item (本报X月X日讯 …).
        if line.dateline and line.role == "body" and prev and prev.role in ("body", "caption"):
            starts.add(i)
    return sorted(starts)


def _title_lines(lines: tuple[PageLine, ...], first: int, patterns: PagePatterns) -> list[int]:
    run = []
    for i in range(first, len(lines)):
        if lines[i].role != "heading":
            break
        run.append(i)
    if not run:
        return []
    marked = [i for i in run if lines[i].level]
    if marked:
        return [min(marked, key=lambda i: lines[i].level)]
    plain = [i for i in run if lines[i].pattern_role != "kicker"]
    lay = patterns.layout
    if len(plain) == 2:
        a, b = (lines[i].content_end - lines[i].content_start for i in plain)
        return plain if a <= lay.split_headline_max_first and b <= lay.split_headline_max_second else plain[1:]
    return plain[1:2] if len(plain) > 2 else plain


def split_articles(doc: Document, publication_date: dt.date | None = None) -> tuple[Article, ...]:
    r"""Split ``doc`` into articles; ``publication_date`` (user-given) wins as reference date.

    >>> page = Document("p", "t", "第一条新闻\n\n记者 王芳\n\n本报讯 3月5日，会议召开。\n\n第二条新闻\n\n记者 李明\n\n本报讯 2022年3月6日，活动举行。")
    >>> [(a.title, a.reference.value if a.reference else None) for a in split_articles(page)]
    [('第一条新闻', '2022-03'), ('第二条新闻', '2022-03')]
    """
    patterns = load_patterns()
    lines = read_lines(doc, patterns)
    starts = find_starts(doc, lines, patterns)
    spans = []
    for k, first in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        body = [i for i in range(first, stop) if lines[i].role != "column"]
        lead = next((i for i in body if lines[i].role in ("body", "caption")), body[-1])
        header_end = lines[lead].start if lead != body[-1] or lines[lead].role != "heading" else lines[lead].end
        zones = ArticleZones(lines[first].start, lines[body[-1]].end, header_end, lines[lead].start, lines[lead].end)
        spans.append((zones, _title_lines(lines, first, patterns)))
    refs = find_reference_dates(doc, [z for z, _ in spans], patterns, publication_date)
    return tuple(
        Article(
            doc,
            index,
            zones.start,
            zones.end,
            lines[title[0]].content_start if title else None,
            lines[title[-1]].content_end if title else None,
            ref,
        )
        for index, ((zones, title), ref) in enumerate(zip(spans, refs, strict=True))
    )
