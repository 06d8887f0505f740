"""A real uvicorn server in a subprocess on a free loopback port (load test and fault tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running server: its process, base URL and log file."""

    proc: subprocess.Popen[bytes]
    base: str
    log: Path

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM from /proc), in MiB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text(encoding="utf-8")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up (power cut, OOM killer)."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=15)

    def stop(self) -> None:
        """Terminate politely, then kill if it hangs."""
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def start_server(env: dict[str, str], log: Path, *, timeout: float = 60) -> LiveServer:
    """Start `uvicorn trienkhai.web.app:create_app` with env; retried if the port is taken."""
    for _attempt in range(3):
        port = free_port()
        command = [sys.executable, "-m", "uvicorn", "trienkhai.web.app:create_app",
                   "--factory", "--host", "127.0.0.1", "--port", str(port),
                   "--log-level", "warning"]  # fmt: skip
        with log.open("ab") as out:
            proc = subprocess.Popen(
                command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
            )
        server = LiveServer(proc, f"http://127.0.0.1:{port}", log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"{server.base}/healthz", timeout=2).status_code == 200:
                    return server
            except httpx.TransportError:
                time.sleep(0.1)
        server.stop()
    msg = "server did not start: " + log.read_text(errors="replace")[-3000:]
    raise RuntimeError(msg)
