"""A real Streamlit server for browser tests and benchmarks, and how to launch Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
# Debian's Chromium, never a downloaded one; background networking off (the machine is offline).
CHROMIUM_ARGS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """A Streamlit process serving ``dashboard/app.py`` against a given database."""

    def __init__(self, db: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = OUTPUT / f"server-{self.port}.log"
        OUTPUT.mkdir(exist_ok=True)
        # The real `burdenmap serve` (its XSRF, upload-size and offline flags are under test too).
        cmd = [
            str(Path(sys.executable).with_name("burdenmap")),
            "--db",
            str(db),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        full_env = dict(os.environ, BURDENMAP_DB=str(db), **(env or {}))
        self.proc = subprocess.Popen(
            cmd,
            env=full_env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited early: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("app did not become healthy")

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server process so far (VmHWM)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
