"""Serve the archive with granian, the production server `make run` uses."""

import os
import shutil
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def default_threads(engine: str | None = None) -> int:
    """Threads per worker when WEB_THREADS is not set. SQLite answers in microseconds, so
    with the GIL extra threads only add tail latency (bench/README.md, "Threads per
    worker"); a networked database leaves threads waiting on I/O, where a few more help."""
    engine = engine or settings.DATABASES["default"]["ENGINE"]
    return 1 if engine.endswith("sqlite3") else 4


def granian_argv(*, host: str, port: int, workers: int) -> list[str]:
    """The granian command line for the archive's WSGI application."""
    granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
    return [
        granian,
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        os.environ.get("WEB_THREADS") or str(default_threads()),
        "--no-ws",
        "--log-level",
        os.environ.get("WEB_LOG_LEVEL", "warning"),
        "fanfold.wsgi:application",
    ]


class Command(BaseCommand):
    help = "Serve Fanfold with granian (multi-process WSGI)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2)),
            help="Worker processes (default: one per CPU core).",
        )
        parser.add_argument(
            "--no-tasks",
            action="store_true",
            default=os.environ.get("FANFOLD_TASK_WORKER", "1") == "0",
            help="Don't start the background task worker or the daily upkeep (run "
            "`manage.py db_worker` and `manage.py daily --loop` yourself, e.g. on another "
            "machine).",
        )

    def handle(self, *args, host, port, workers, no_tasks, **options):
        argv = granian_argv(host=host, port=port, workers=workers)
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} worker(s)")
        sys.stdout.flush()
        if no_tasks or not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            # Nothing to supervise: replace this process so signals reach granian.
            os.execv(argv[0], argv)  # noqa: S606
        self._supervise(
            [
                argv,
                [sys.executable, "-m", "django", "db_worker", "--no-reload", "--interval", "1"],
                # Daily upkeep (old addresses, expired spam clean-ups): now, then daily.
                [sys.executable, "-m", "django", "daily", "--loop"],
            ]
        )

    def _supervise(self, commands: list[list[str]]) -> None:
        """Run the web server and the task worker side by side: a signal to this process
        reaches both, and when one stops the other is stopped too, so a supervisor
        (systemd, a container runtime) sees one service."""
        children = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603
        self.stdout.write(
            "Background task worker (subscription and comment e-mail) and daily upkeep started."
        )

        def stop(signum, _frame):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for child in children:
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
        sys.exit(max((child.returncode or 0) for child in children))
