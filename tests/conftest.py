"""Shared fixtures: the seeds and their gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold"
SEED_NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {name: (SEEDS / f"{name}.txt").read_text("utf-8") for name in SEED_NAMES}


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, dict[str, Any]]:
    if not GOLD.is_dir():
        pytest.skip("../shared/eval/seeds-gold is not beside the repository")
    return {name: json.loads((GOLD / f"{name}.json").read_text("utf-8")) for name in SEED_NAMES}
