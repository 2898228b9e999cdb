"""Backup benchmark: `export_archive` and `restore_archive` on the eFiction benchmark
archive (50,000 stories, 200,000 chapters), both ways between SQLite and PostgreSQL.

    .venv/bin/python bench/backup.py [--stories N] [--seed S] [--smoke]

The source archive is the generated dump of bench/import_efiction.py imported once into
SQLite (var/bench/backup-source-<N>/, kept for the next run; the dump is cached as that
benchmark caches it). Then, each as a timed child process: export from SQLite, restore
into a fresh PostgreSQL database (`fanfold_backup_bench`), export from PostgreSQL,
restore into a fresh SQLite file. The two files must hold the same records. Progress goes
to stderr, figures to stdout; the last line is always
`export: <N> works/s, restore: <M> works/s` (the slower database for each).
`--smoke` does the same on a fresh 50-story dump.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, ROOT, step
from import_efiction import DROPPED_ENV, dump_for

BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "fanfold_backup_bench"
SMOKE_STORIES = 50


@dataclass
class Timed:
    what: str
    backend: str
    works: int
    seconds: float
    cpu_seconds: float
    peak_mib: float
    exit_status: int

    @property
    def works_per_s(self) -> float:
        return self.works / self.seconds if self.exit_status == 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.what:<8} {self.backend:<10} {self.works:>8,} {self.seconds:>9.1f} "
            f"{self.cpu_seconds:>7.1f} {self.works_per_s:>8,.0f} {self.peak_mib:>9,.0f} "
            f"{self.exit_status:>5}"
        )


HEADER = (
    f"{'step':<8} {'database':<10} {'works':>8} {'seconds':>9} {'CPU s':>7} {'works/s':>8} "
    f"{'peak MiB':>9} {'exit':>5}"
)


def archive_env(backend: str, var_dir: Path) -> dict[str, str]:
    """Production settings (DEBUG off) on a fresh, migrated, empty database."""
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env |= {
        "DJANGO_SETTINGS_MODULE": "fanfold.settings",
        "FANFOLD_VAR_DIR": str(var_dir),
        "FANFOLD_HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    if backend == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"')
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'fanfold.sqlite3'}"
    step(f"[{backend}] migrate ({env['DATABASE_URL']})")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    cmd = [PYTHON, str(ROOT / "manage.py"), *args]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=sys.stderr)  # noqa: S603


def source_archive(stories: int, seed: int, fresh: bool) -> tuple[dict[str, str], int]:
    """The eFiction benchmark archive imported into SQLite (cached unless `fresh`)."""
    var_dir = BENCH_DIR / f"backup-source-{stories}"
    built = var_dir / ".built"
    dump, counts = dump_for(stories, seed, fresh)
    if built.exists() and not fresh:
        step(f"Using the imported archive in {var_dir} (migrated to this code's schema)")
        env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        env |= {
            "DJANGO_SETTINGS_MODULE": "fanfold.settings",
            "FANFOLD_VAR_DIR": str(var_dir),
            "FANFOLD_HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{var_dir / 'fanfold.sqlite3'}",
        }
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        return env, counts["stories"]
    env = archive_env("sqlite", var_dir)
    step(f"[sqlite] import_efiction {dump.name} (once; kept for the next run)")
    manage(env, "import_efiction", str(dump))
    built.write_text("ok\n")
    return env, counts["stories"]


def timed(what: str, backend: str, works: int, env: dict[str, str], *args: str) -> Timed:
    """One `manage.py` command as a child: wall clock, its CPU seconds and peak RSS.
    A failed step ends the benchmark (the next would read a stale file)."""
    step(f"[{backend}] manage.py {' '.join(args)}")
    cmd = [PYTHON, str(ROOT / "manage.py"), *args]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sys.stderr)  # noqa: S603
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    if code != 0:
        sys.exit(f"manage.py {args[0]} failed with exit status {code}.")
    result = Timed(what, backend, works, seconds, cpu, usage.ru_maxrss / 1024, code)
    # Each step's figures as soon as it ends, so a run cut short still tells something.
    step(f"{HEADER}\n    {result.line()}")
    return result


def records(path: Path):
    """The file's lines after its header (which names the database and the time)."""
    with gzip.open(path, "rb") as stream:
        next(stream)
        yield from stream


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help=f"a fresh {SMOKE_STORIES}-story dump")
    args = parser.parse_args()
    if args.smoke:
        args.stories = SMOKE_STORIES
    source, works = source_archive(args.stories, args.seed, fresh=args.smoke)
    first = BENCH_DIR / f"backup-{args.stories}-from-sqlite.jsonl.gz"
    second = BENCH_DIR / f"backup-{args.stories}-from-postgres.jsonl.gz"
    for stale in (first, second):
        stale.unlink(missing_ok=True)
    runs = [timed("export", "sqlite", works, source, "export_archive", str(first))]
    postgres = archive_env("postgres", BENCH_DIR / f"backup-postgres-{args.stories}")
    runs.append(timed("restore", "postgres", works, postgres, "restore_archive", str(first)))
    runs.append(timed("export", "postgres", works, postgres, "export_archive", str(second)))
    sqlite = archive_env("sqlite", BENCH_DIR / f"backup-sqlite-{args.stories}")
    runs.append(timed("restore", "sqlite", works, sqlite, "restore_archive", str(second)))
    ok = all(run.exit_status == 0 for run in runs)
    same = ok and all(a == b for a, b in itertools.zip_longest(records(first), records(second)))
    print(HEADER)
    for run in runs:
        print(run.line())
    print(f"file: {first.stat().st_size / 1e6:,.1f} MB; records equal both ways: {same}")
    export = min(r.works_per_s for r in runs if r.what == "export")
    restore = min(r.works_per_s for r in runs if r.what == "restore")
    print(f"export: {export:.0f} works/s, restore: {restore:.0f} works/s")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
