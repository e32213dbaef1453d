"""Fixtures for the browser tests: a Streamlit server per app and Debian's headless Chromium.

One browser at a time (the CI machine has two cores); every server is a subprocess on a free
port, stopped by its own pid at the end of the module.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STREAMLIT = Path(sys.executable).with_name("streamlit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if item.get_closest_marker("browser") and not CHROMIUM.exists():
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A running Streamlit server; ``ready_after`` is seconds from spawn to a healthy server.

    ``app.py`` is started the way ``make run`` starts it (``python -m timeline.serve``, which
    warms up before it listens, so ``ready_after`` includes the warm-up); other scripts with
    ``streamlit run``.
    """

    def __init__(self, script: Path, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (SCREENSHOTS / f"server-{script.stem}-{self.port}.log").open("w")
        options = ["--server.port", str(self.port), "--server.address", "127.0.0.1"]
        if script == ROOT / "app.py":
            command = [sys.executable, "-m", "timeline.serve", *options]
        else:
            command = [str(STREAMLIT), "run", str(script), *options]
        started = time.monotonic()
        self.process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_healthy()
        self.ready_after = time.monotonic() - started

    def _wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy in {timeout} s")

    def stop(self) -> None:
        if self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def real_app(screenshots: Path) -> Iterator[Server]:
    """``app.py`` itself, started from the repository root (its config and static/ live there)."""
    server = Server(ROOT / "app.py", ROOT)
    yield server
    server.stop()


@pytest.fixture
def fresh_apps(screenshots: Path) -> Iterator[Callable[[], Server]]:
    """Starts new ``app.py`` servers of their own, for measuring first visits after start-up;
    each is stopped at the end of the test."""
    servers: list[Server] = []

    def start() -> Server:
        servers.append(Server(ROOT / "app.py", ROOT))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def synthetic_app(screenshots: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app's views over 2,000 synthetic events (first one carries the XSS payload).

    Streamlit serves ``static/`` from beside the script, so the harness runs from a temporary
    directory with ``static`` linked to the repository's.
    """
    home = tmp_path_factory.mktemp("harness")
    shutil.copy(Path(__file__).with_name("synthetic_app.py"), home / "synthetic_app.py")
    (home / "static").symlink_to(ROOT / "static")
    env = {"TM_ROOT": str(ROOT), "TM_SYNTHETIC_EVENTS": "2000", "TM_SYNTHETIC_XSS": "1"}
    server = Server(home / "synthetic_app.py", ROOT, env)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def first_paint_page(screenshots: Path) -> Iterator[Server]:
    """A page with nothing but the first-paint watcher (``first_paint_page.py``)."""
    server = Server(Path(__file__).with_name("first_paint_page.py"), ROOT)
    yield server
    server.stop()
