"""README and configuration match the code: make targets, CLI commands, Streamlit config, CI."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

from timeline.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
MAKEFILE = (ROOT / "Makefile").read_text("utf-8")


def _make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*):", MAKEFILE, flags=re.MULTILINE))


def _readme_make_commands() -> list[str]:
    return sorted(set(re.findall(r"`?make ([a-z][\w-]*)", README)))


def _readme_cli_lines() -> list[str]:
    """Every ``timeline-mapper …`` invocation in the README's code blocks."""
    blocks = re.findall(r"```[\w-]*\n(.*?)```", README, flags=re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if re.match(r"(\.venv/bin/)?timeline-mapper\s", line)]


def test_docs_readme_mentions_make_and_cli() -> None:
    assert {"run", "test", "score"} <= set(_readme_make_commands())
    assert _readme_cli_lines()


@pytest.mark.parametrize("target", _readme_make_commands())
def test_docs_readme_make_targets_exist(target: str) -> None:
    assert target in _make_targets()


@pytest.mark.parametrize("line", _readme_cli_lines())
def test_docs_readme_cli_lines_parse(line: str) -> None:
    command = line.split("#", 1)[0].replace("[", " ").replace("]", " ")
    args = shlex.split(command)[1:]
    parsed = build_parser().parse_args(args)
    assert parsed.command == args[0]


@pytest.mark.parametrize("option", sorted(set(re.findall(r"`(--[a-z][\w-]*)", README))))
def test_docs_readme_options_exist(option: str) -> None:
    subparsers = [a for a in build_parser()._actions if a.choices and isinstance(a.choices, dict)]
    options = {opt for sp in subparsers for p in sp.choices.values() for opt in p._option_string_actions}
    assert option in options


def test_docs_make_score_uses_the_cli() -> None:
    recipe = MAKEFILE.split("\nscore:", 1)[1].split("\n\n", 1)[0]
    assert "timeline-mapper annotate" in recipe
    assert "timeline-mapper score" in recipe


def test_docs_streamlit_config() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] in ("none", False)
    size = config["server"]["maxUploadSize"]
    assert isinstance(size, int)
    assert 0 < size <= 200


def test_docs_ci_runs_make_test() -> None:
    ci = ROOT / ".ci" / "run"
    lines = [line.strip() for line in ci.read_text("utf-8").splitlines() if not line.strip().startswith("#")]
    assert "make test" in lines
    assert ci.stat().st_mode & 0o111, ".ci/run must be executable"
