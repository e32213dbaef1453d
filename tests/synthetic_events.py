"""Synthetic documents and event tables in the shape of ``timeline.build.build_timeline``.

Used by the UI tests (unit, AppTest, browser) so they do not depend on extraction quality, and by
the 2,000-event rendering benchmark. Every offset points into the generated document text.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pandas as pd

from timeline.build import COLUMNS as BUILD_COLUMNS
from timeline.model import Article, Document
from timeline.pipeline import Analysis

TZ = dt.timezone(dt.timedelta(hours=8))
# (adcode, county, township, lon, lat): counties of 枣庄市 with a point inside each.
COUNTIES = (
    ("370402", "市中区", "光明路街道", 117.556, 34.864),
    ("370403", "薛城区", "常庄街道", 117.263, 34.795),
    ("370404", "峄城区", "坛山街道", 117.591, 34.773),
    ("370405", "台儿庄区", "运河街道", 117.734, 34.563),
    ("370406", "山亭区", "山城街道", 117.461, 35.099),
    ("370481", "滕州市", "龙泉街道", 117.165, 35.114),
)
TYPES = ("press_conference", "meeting", "project_milestone", "training", "inspection", "campaign", "award", "other")
XSS = "<img src=x onerror=alert(1)> ${alert(1)} `tick` \\back"
COLUMNS = list(BUILD_COLUMNS)  # the timeline contract, from the code that owns it


def synthetic_events(n: int, *, seed: int = 0, xss: bool = False) -> tuple[list[Document], pd.DataFrame]:
    """``n`` events spread over one document per county; every 7th undated, every 11th unplaced."""
    rng = random.Random(seed)
    sentences: dict[int, list[tuple[str, dict[str, Any]]]] = {i: [] for i in range(len(COUNTIES))}
    for number in range(n):
        county_index = number % len(COUNTIES)
        adcode, county, township, lon, lat = COUNTIES[county_index]
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(365))
        dated = number % 7 != 3
        placed = number % 11 != 5
        date_text = f"{day.month}月{day.day}日" if dated else "近日"
        place_text = f"{county}{township}" if placed else "有关部门"
        label = f"第{number}次{TYPES[number % len(TYPES)]}活动"
        if xss and number == 0:
            label = f"活动{XSS}"
        sentence = f"{date_text}，{place_text}举行{label}。"
        span_days = 1 if number % 5 else 3
        row = {
            "id": f"ev{number:05d}",
            "event_type": TYPES[number % len(TYPES)],
            "status": "planned" if number % 4 == 0 else "occurred",
            "title": label,
            "start": pd.Timestamp(day, tz=TZ) if dated else pd.NaT,
            "end": pd.Timestamp(day + dt.timedelta(days=span_days), tz=TZ) if dated else pd.NaT,
            "time_precision": "day" if dated else None,
            "time_text": date_text if dated else None,
            "place_name": place_text if placed else None,
            "place_level": "township" if placed else None,
            "adcode": adcode if placed else None,
            "admin_path": f"山东省/枣庄市/{county}/{township}" if placed else None,
            "geo_precision": 2 if placed else None,
            "lon": lon + rng.uniform(-0.02, 0.02) if placed else float("nan"),
            "lat": lat + rng.uniform(-0.02, 0.02) if placed else float("nan"),
            "confidence": 0.9,
        }
        sentences[county_index].append((sentence, row))
    documents, rows = [], []
    for county_index, items in sentences.items():
        text, placed_rows = "", []
        for sentence, row in items:
            start = len(text)
            date_len = len(row["time_text"] or "近日")
            place_start = start + date_len + 1
            place_end = place_start + len(row["place_name"] or "有关部门")
            row |= {
                "sentence": sentence,
                "evidence_start": start,
                "evidence_end": start + len(sentence),
                "date_start": start if row["time_text"] else -1,
                "date_end": start + date_len if row["time_text"] else -1,
                "place_start": place_start if row["place_name"] else -1,
                "place_end": place_end if row["place_name"] else -1,
            }
            text += sentence
            placed_rows.append(row)
        if not text:
            continue
        doc = Document(id=f"doc{county_index}", source=f"synthetic_{county_index}.txt", text=text)
        documents.append(doc)
        for row in placed_rows:
            row |= {
                "source": doc.source,
                "doc_id": doc.id,
                "article": 0,
                "article_title": "合成新闻",
                "sources": [f"{doc.source}#0"],
                "date_source": "synthetic",
                "place_source": "synthetic",
            }
            rows.append(row)
    df = pd.DataFrame(rows, columns=COLUMNS)
    return documents, df.sort_values(["start", "id"], na_position="last").reset_index(drop=True)


def synthetic_analyses(documents: list[Document]) -> dict[str, Analysis]:
    """One single-article Analysis per document, keyed by document id (as the app keys them)."""
    return {doc.id: Analysis(doc, (Article(doc, 0, 0, len(doc.text)),), (), (), ()) for doc in documents}
