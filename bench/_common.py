"""Plumbing shared by the benchmarks: the throwaway data directory, the environment the
app runs with, the real server, and wrk."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"  # ignored by the root .gitignore
DATA_DIR = RESULTS / "data"
SMOKE_DATA_DIR = RESULTS / "smoke-data"  # `--smoke` never touches the full-size data
DB_NAME = "fanfold.sqlite3"
BUILT_MARKER = ".built"  # written once load_demo has finished
SERVER_LOG = RESULTS / "server.log"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))

DEMO_ARGS = ["--works", "200", "--seed", "1"]
DEMO_ARGS += ["--long-work-chapters", "86", "--long-work-words", "253000"]
SMOKE_DEMO_ARGS = ["--works", "12", "--seed", "1"]
SMOKE_DEMO_ARGS += ["--long-work-chapters", "20", "--long-work-words", "20000"]
# Variables that would point the benchmark at another database, cache or host setup.
DROPPED_ENV = ("DEBUG", "DATABASE_URL", "REDIS_URL", "FANFOLD_TESTING", "ALLOWED_HOSTS")


def step(message: str) -> None:
    """Print a progress line at once."""
    print(f"==> {message}", flush=True)


def bench_env(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Production settings (DEBUG off) on SQLite in the throwaway data dir, plain http."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env["FANFOLD_VAR_DIR"] = str(data_dir)
    env["FANFOLD_HTTPS"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "fanfold.settings"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    return env


def manage(env: dict[str, str], *args: str, timeout: float) -> None:
    """Run one `manage.py` command with the venv's Python; raise if it fails."""
    cmd = [PYTHON, str(ROOT / "manage.py"), *args]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=timeout)  # noqa: S603


def build_data(env: dict[str, str], rebuild: bool, demo_args: list[str] = DEMO_ARGS) -> None:
    """Migrate and load the demo archive into the env's data dir unless a finished build
    is there."""
    data_dir = Path(env["FANFOLD_VAR_DIR"])
    built = data_dir / BUILT_MARKER
    on_file = "DATABASE_URL" not in env  # a server database has no file to look for
    if (not on_file or (data_dir / DB_NAME).exists()) and built.exists() and not rebuild:
        step(f"Using the existing data in {data_dir} (--rebuild to regenerate)")
        return
    if data_dir.exists():
        step(f"Removing {data_dir}")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    steps = [
        (("migrate", "--noinput", "--verbosity", "0"), 600),
        (("createcachetable",), 120),
        (("collectstatic", "--noinput", "--verbosity", "0"), 300),
        (("load_demo", *demo_args), 1800),
    ]
    for number, (args, timeout) in enumerate(steps, 1):
        step(f"[{number}/{len(steps)}] manage.py {' '.join(args)}")
        started = time.monotonic()
        try:
            manage(env, *args, timeout=timeout)
        except subprocess.CalledProcessError as error:
            sys.exit(f"manage.py {args[0]} failed with exit status {error.returncode}.")
        except subprocess.TimeoutExpired:
            sys.exit(f"manage.py {args[0]} took longer than {timeout} s; gave up.")
        print(f"    done in {time.monotonic() - started:.1f} s", flush=True)
    built.write_text("ok\n")


def run_child(script: str, env: dict[str, str], args: list[str], timeout: float) -> dict:
    """Run `script` again in a child process (one that sets Django up for its own
    database) and return the JSON object its last line of output prints."""
    done = subprocess.run(  # noqa: S603
        [PYTHON, str(Path(script).resolve()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    """A TCP port on the loopback address nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`manage.py serve` in its own process group; always stopped on exit."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.env, self.workers = env, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        RESULTS.mkdir(parents=True, exist_ok=True)
        cmd = [PYTHON, str(ROOT / "manage.py"), "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--workers", str(self.workers)]
        with SERVER_LOG.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603
                cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            self._wait_ready(timeout=60)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"the server exited early; see {SERVER_LOG}:\n{log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2):  # noqa: S310
                    return
            except urllib.error.HTTPError as error:  # it answers, even if not with 200
                raise RuntimeError(f"GET / answered {error.code}; see {SERVER_LOG}") from None
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s; see {SERVER_LOG}")

    def stop(self) -> None:
        """SIGTERM the whole process group (granian and its workers), then SIGKILL."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def get(self, path: str) -> tuple[int, bytes]:
        """One plain GET against the server: (status, body)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as resp:  # noqa: S310
                return resp.status, resp.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def log_tail(lines: int = 20) -> str:
    """The end of the server's log, for error messages."""
    if not SERVER_LOG.exists():
        return ""
    return "\n".join(SERVER_LOG.read_text(errors="replace").splitlines()[-lines:])


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("wrk is not installed: run `sudo apt-get install wrk` (or use --skip-load).")
    step("Installing wrk with apt-get")
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=apt, timeout=300).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update", "-qq"], env=apt, timeout=300, check=True)  # noqa: S607
        subprocess.run(install, env=apt, timeout=300, check=True)  # noqa: S603
    return shutil.which("wrk") or sys.exit("wrk is still missing after apt-get install.")


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: str


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _latency_ms(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    if match is None:
        raise RuntimeError(f"no {percentile}% latency in wrk's output:\n{output}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def run_wrk(
    wrk: str, url: str, *, duration: int, connections: int, headers: dict[str, str]
) -> WrkResult:
    """Run wrk with a latency distribution and parse what we report."""
    cmd = [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    done = subprocess.run(  # noqa: S603
        [*cmd, url], capture_output=True, text=True, timeout=duration + 60, check=True
    )
    out = done.stdout
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    if rps is None:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:(.*)$", out, re.M)
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=_latency_ms(out, "50"),
        p99_ms=_latency_ms(out, "99"),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=errors.group(1).strip() if errors else "",
    )
