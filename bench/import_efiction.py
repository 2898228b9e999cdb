"""eFiction import benchmark: a generated 50,000-story / 200,000-chapter mysqldump through
`manage.py import_efiction`, timed, with the importer's peak memory.

    .venv/bin/python bench/import_efiction.py [--stories N] [--postgres] [--regenerate]
                                              [--memory-check] [--seed S] [--smoke]

The dump (bench/efiction_dump.py, ~2 GB at the default size) is cached as
var/bench/efiction-<N>.sql with its row counts beside it (`.json`). For each database
(SQLite always, PostgreSQL with --postgres) it makes a fresh empty archive, migrates it,
runs the import as a child process and times it; peak RSS is the child's own (wait4),
then `COUNT(*)` checks that every story and chapter arrived. Progress goes to stderr,
figures to stdout, and the last line is always `chapters/s: <N>` (the slowest database
at full size). `--smoke` imports a fresh 50-story dump.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from efiction_dump import write_dump

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "fanfold_import_bench"
SMOKE_STORIES = 50
# Variables that would point the child processes at another database, cache or setup.
DROPPED_ENV = ("DEBUG", "DATABASE_URL", "REDIS_URL", "FANFOLD_TESTING", "ALLOWED_HOSTS")


def step(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    backend: str
    stories: int
    chapters: int
    dump_bytes: int
    seconds: float
    cpu_seconds: float
    peak_mib: float
    tree_mib: float
    exit_status: int
    lost: int
    load: float

    @property
    def chapters_per_s(self) -> float:
        """Chapters per second of wall clock; 0 when the import failed."""
        return self.chapters / self.seconds if self.exit_status == 0 else 0.0

    def line(self) -> str:
        return (
            f"{self.backend:<10} {self.dump_bytes / 1e6:>8,.0f} {self.stories:>8,} "
            f"{self.chapters:>9,} {self.seconds:>9.1f} {self.cpu_seconds:>6.1f} "
            f"{self.chapters_per_s:>10,.0f} {self.dump_bytes / 1e6 / self.seconds:>6.1f} "
            f"{self.peak_mib:>9,.0f} {self.tree_mib:>9,.0f} {self.exit_status:>5} "
            f"{self.lost:>6,} {self.load:>5.1f}"
        )


HEADER = (
    f"{'database':<10} {'dump MB':>8} {'stories':>8} {'chapters':>9} {'import s':>9} "
    f"{'CPU s':>6} {'chapters/s':>10} {'MB/s':>6} {'peak MiB':>9} {'tree MiB':>9} "
    f"{'exit':>5} {'lost':>6} {'load':>5}"
)


# --- the dump ----------------------------------------------------------------------------


def dump_for(stories: int, seed: int, regenerate: bool) -> tuple[Path, dict[str, int]]:
    """The cached dump for this size and seed, generated when missing or asked to."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"efiction-{stories}.sql"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not regenerate:
        saved = json.loads(meta.read_text())
        if saved.get("seed") == seed and saved["counts"]["bytes"] == path.stat().st_size:
            step(f"Using {path} (--regenerate to rebuild it)")
            return path, saved["counts"]
    step(f"Generating {path} ({stories:,} stories, seed {seed})")
    started = time.perf_counter()
    counts = write_dump(path, stories=stories, seed=seed)
    seconds = time.perf_counter() - started
    meta.write_text(json.dumps({"seed": seed, "seconds": seconds, "counts": counts}, indent=1))
    step(f"    {counts['bytes'] / 1e6:,.0f} MB in {seconds:.1f} s")
    return path, counts


# --- one import ----------------------------------------------------------------------------


def fresh_archive(backend: str, label: str) -> dict[str, str]:
    """An empty, migrated archive for one run; returns the environment that points at it."""
    var_dir = BENCH_DIR / f"import-{backend}-{label}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env |= {
        "DJANGO_SETTINGS_MODULE": "fanfold.settings",
        "FANFOLD_VAR_DIR": str(var_dir),
        "FANFOLD_HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # production settings: DEBUG off
    }
    if backend == "postgres":
        import psycopg

        name = f"{PG_DATABASE}_{label}"
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'fanfold.sqlite3'}"
    step(f"[{backend}] migrate ({env['DATABASE_URL']})")
    manage = [PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "--verbosity", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)  # noqa: S603
    return env


class TreeMemory(threading.Thread):
    """Polls the summed PSS of a process and all its descendants (the importer forks
    worker processes; PSS splits the pages they share with it, so the sum is what the
    tree really holds) and keeps the peak, in MiB."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, sum(_pss_kib(p) for p in _tree(self.pid)) / 1024)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak


def _tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        try:
            for task in os.listdir(f"/proc/{pids[index]}/task"):
                with open(f"/proc/{pids[index]}/task/{task}/children") as children:
                    pids += [int(child) for child in children.read().split()]
        except OSError:
            pass  # the process ended meanwhile
        index += 1
    return pids


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed_import(env: dict[str, str], dump: Path) -> tuple[float, float, float, float, int]:
    """Run the import: (wall s, CPU s, largest process's peak RSS MiB, whole tree's peak
    PSS MiB, exit status).

    os.wait4 gives this child's rusage (with its reaped workers) alone; RUSAGE_CHILDREN
    would be the maximum over every child so far (migrate included). CPU seconds (user +
    system, workers included) are the figure to compare on a shared machine; they leave
    out the PostgreSQL server's own work.
    """
    cmd = [PYTHON, str(ROOT / "manage.py"), "import_efiction", str(dump)]
    started = time.perf_counter()
    # The command's report (stdout) joins its progress on our stderr: stdout is figures.
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sys.stderr)  # noqa: S603
    tree = TreeMemory(proc.pid)
    tree.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, tree.stop(), proc.returncode


def imported_counts(backend: str, env: dict[str, str]) -> tuple[int, int]:
    """(works, chapters) in the archive after the import."""
    sql = "SELECT (SELECT COUNT(*) FROM works_work), (SELECT COUNT(*) FROM works_chapter)"
    if backend == "postgres":
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            found = conn.execute(sql).fetchone()
    else:
        with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as conn:
            found = conn.execute(sql).fetchone()
    assert found is not None
    return int(found[0]), int(found[1])


def run_one(backend: str, dump: Path, counts: dict[str, int]) -> Run:
    label = str(counts["stories"])
    env = fresh_archive(backend, label)
    step(f"[{backend}] manage.py import_efiction {dump.name}")
    seconds, cpu, peak, tree, status = timed_import(env, dump)
    load = os.getloadavg()[1]  # 5-minute average: other work sharing the machine
    works, chapters = imported_counts(backend, env)
    lost = max(0, counts["stories"] - works) + max(0, counts["chapters"] - chapters)
    step(f"[{backend}] {seconds:.1f} s, exit {status}, {works:,} works, {chapters:,} chapters")
    return Run(backend, counts["stories"], counts["chapters"], counts["bytes"], seconds, cpu,
               peak, tree, status, lost, load)  # fmt: skip


# --- main ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="also import into PostgreSQL")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached dump")
    parser.add_argument(
        "--memory-check",
        action="store_true",
        help="also import a dump one tenth the size and compare peak RSS",
    )
    parser.add_argument(
        "--smoke", action="store_true", help=f"a freshly generated {SMOKE_STORIES}-story dump"
    )
    args = parser.parse_args()
    if args.smoke:
        args.stories, args.regenerate = SMOKE_STORIES, True
    return args


def main() -> None:
    args = parse_args()
    dump, counts = dump_for(args.stories, args.seed, args.regenerate)
    small = dump_for(args.stories // 10, args.seed, args.regenerate) if args.memory_check else None
    runs: list[Run] = []
    small_runs: list[Run] = []
    for backend in ("sqlite", "postgres") if args.postgres else ("sqlite",):
        runs.append(run_one(backend, dump, counts))
        if small is not None:
            small_runs.append(run_one(backend, *small))
    print(HEADER)
    for run in small_runs + runs:
        print(run.line())
    for big, little in zip(runs, small_runs, strict=False):
        print(
            f"peak memory ({big.backend}), {little.stories:,} -> {big.stories:,} stories: "
            f"largest process {little.peak_mib:,.0f} -> {big.peak_mib:,.0f} MiB "
            f"(x{big.peak_mib / little.peak_mib:.2f}), whole tree {little.tree_mib:,.0f} -> "
            f"{big.tree_mib:,.0f} MiB (x{big.tree_mib / max(little.tree_mib, 1):.2f})"
        )
    lost = sum(run.lost for run in runs + small_runs)
    print(f"lost={lost}")
    print(f"chapters/s: {min(run.chapters_per_s for run in runs):.0f}")
    if lost or any(run.exit_status for run in runs + small_runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
