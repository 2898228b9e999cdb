"""Serve the archive with granian, the production server `make run` uses."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def default_threads() -> int:
    """Threads per worker. SQLite answers in microseconds, so with the GIL extra threads
    only add tail latency (measured: p99 32 ms with 1 thread, 100 ms with 2, bench/);
    a networked database leaves threads waiting on I/O, where a few more help."""
    engine = settings.DATABASES["default"]["ENGINE"]
    return 1 if engine.endswith("sqlite3") else 4


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

    def handle(self, *args, host, port, workers, **options):
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
        argv = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            # Django views block on the database: a small thread pool per worker keeps
            # one slow request from stalling the others.
            "--blocking-threads",
            os.environ.get("WEB_THREADS", "4"),
            "--no-ws",
            "--log-level",
            os.environ.get("WEB_LOG_LEVEL", "warning"),
            "fanfold.wsgi:application",
        ]
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} worker(s)")
        sys.stdout.flush()
        # Replace this process so signals from the terminal or a supervisor reach granian.
        os.execv(argv[0], argv)  # noqa: S606
