"""Fanfold downloads benchmark: building the EPUB of the 86-chapter demo work against
calibre converting the same work's whole-work HTML page, and a cached download served
by the real server under wrk. See bench/README.md.

    .venv/bin/python bench/downloads.py [--runs 3] [--duration 10] [--connections 32]
                                        [--skip-load] [--rebuild] [--smoke]

The last line is always `epub: <N>x calibre, <M> ms` (M: Fanfold's median build time).

Fanfold's own modules are imported inside the functions that use them: the script picks
its database (environment variables) before Django is set up, and models cannot be
imported before that.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import (
    DATA_DIR,
    DEMO_ARGS,
    SMOKE_DATA_DIR,
    SMOKE_DEMO_ARGS,
    Server,
    bench_env,
    build_data,
    ensure_wrk,
    run_wrk,
    step,
)

TARGET_SPEEDUP = 5.0
TARGET_RPS = 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Fanfold builds to take the median of")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--skip-load", action="store_true", help="no server, no wrk")
    parser.add_argument("--rebuild", action="store_true", help=f"regenerate {DATA_DIR}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"the demo archive in {SMOKE_DATA_DIR} (built if missing), a short work instead "
        "of the 86-chapter one, one build, a 1 s wrk run with 4 connections",
    )
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.duration, args.connections = 1, 1, 4
    return args


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process with the same environment as the server."""
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()


def pick_work(smoke: bool):
    """The longest work (the 86-chapter demo work), or in smoke mode a short one."""
    from fanfold.works.models import Work

    public = Work.objects.visible_to(None).select_related("rating")
    if smoke:
        work = public.filter(chapter_count__gte=2).order_by("word_count", "pk").first()
    else:
        work = public.order_by("-chapter_count", "pk").first()
    if work is None:
        sys.exit("No multi-chapter work in the demo data: did load_demo run? Try --rebuild.")
    return work


def fanfold_build_ms(work_id: int, runs: int) -> tuple[float, int]:
    """Median wall time of gathering the book from the database and writing the EPUB, in
    a warm process (as the server and the task worker are)."""
    from fanfold.exports.book import work_book
    from fanfold.exports.registry import FORMATS

    started = time.perf_counter()
    FORMATS["epub"].render(work_book(work_id))
    step(f"Fanfold EPUB build, cold (imports, templates; not counted): "
         f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
    times, size = [], 0
    for number in range(runs):
        started = time.perf_counter()
        size = len(FORMATS["epub"].render(work_book(work_id)))
        times.append((time.perf_counter() - started) * 1000)
        step(f"Fanfold EPUB build {number + 1}/{runs}: {times[-1]:.0f} ms, {size:,} bytes")
    return statistics.median(times), size


def calibre_ms(work, tmp: Path) -> float:
    """calibre's ebook-convert turning the whole-work page Fanfold serves into an EPUB."""
    from django.test import Client

    program = shutil.which("ebook-convert")
    if program is None:
        sys.exit("calibre's ebook-convert is not installed: make export-tools installs it.")
    page = Client(HTTP_HOST="127.0.0.1").get(
        f"/works/{work.pk}?view_full_work=true&view_adult=true"
    )
    if page.status_code != 200:
        sys.exit(f"the whole-work page answered {page.status_code}")
    source, target = tmp / "work.html", tmp / "work.epub"
    source.write_bytes(page.content)
    env = {**os.environ, "HOME": str(tmp), "QT_QPA_PLATFORM": "offscreen"}
    step(f"calibre: ebook-convert work.html work.epub ({len(page.content):,} bytes of HTML)")
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [program, str(source), str(target)], check=True, capture_output=True, env=env,
        timeout=1800,
    )  # fmt: skip
    elapsed = (time.perf_counter() - started) * 1000
    step(f"calibre: {elapsed:.0f} ms, {target.stat().st_size:,} bytes")
    return elapsed


def prebuilt_url(work) -> tuple[str, bool]:
    """The work's EPUB URL with the book already built (as the queue would have), and
    whether the work is adult (then wrk sends a session that passed the notice)."""
    from fanfold.exports.links import download_links
    from fanfold.exports.selectors import downloadable_work
    from fanfold.exports.services import BuildRequest, download_build

    book = downloadable_work(viewer=None, work_id=work.pk)
    download_build(BuildRequest(format="epub", name=book.name("epub"), work_id=work.pk))
    url = next(link.url for link in download_links(work) if link.format == "epub")
    return url, book.adult


def consented_cookie(server: Server, url: str) -> dict[str, str]:
    """A guest session that passed the adult notice (what a reader's browser holds)."""
    address = server.base + url + "?view_adult=true"
    with urllib.request.urlopen(address, timeout=60) as response:  # noqa: S310
        cookie = response.headers.get("Set-Cookie", "").split(";")[0]
    if not cookie:
        sys.exit("the adult notice's consent set no session cookie")
    return {"Cookie": cookie}


def load_report(env: dict[str, str], work, url: str, adult: bool, args: argparse.Namespace):
    """wrk on the cached download, then on the same work's reading page with the same
    session: the reading page is a yardstick a busy machine shifts alike."""
    wrk = ensure_wrk()
    workers = os.cpu_count() or 2
    load_before = os.getloadavg()[0]
    step(f"Starting `manage.py serve --workers {workers}`")
    results = {}
    with Server(env, workers) as server:
        headers = consented_cookie(server, url) if adult else {}
        options = {"connections": args.connections, "headers": headers}
        pages = [("cached download", url), ("reading page", f"/works/{work.pk}")]
        for name, path in pages[:1] if args.smoke else pages:  # smoke: the download only
            run_wrk(wrk, server.base + path, duration=min(2, args.duration), **options)  # warm
            step(f"wrk {name}: {path} ({args.duration} s, {args.connections} connections)")
            results[name] = run_wrk(wrk, server.base + path, duration=args.duration, **options)
    wrk_args = f"wrk -t2 -c{args.connections} -d{args.duration}s"
    print(f"\nLoad test, {workers} worker(s), {wrk_args}")
    print(f"  (1-minute load average before it: {load_before:.2f} on {workers} CPUs)")
    for name, r in results.items():
        extra = f"  non-2xx {r.non_2xx}" if r.non_2xx else ""
        latency = f"p50 {r.p50_ms:.1f} ms  p99 {r.p99_ms:.1f} ms"
        print(f"  {name:<16} {r.rps:8.0f} req/s  {latency}{extra}")
    result = results["cached download"]
    verdict = "met" if result.rps >= TARGET_RPS and not result.non_2xx else "MISSED"
    print(f"  target for the download ≥ {TARGET_RPS} req/s: {verdict}")
    return result


def main() -> None:
    args = parse_args()
    data_dir = SMOKE_DATA_DIR if args.smoke else DATA_DIR
    env = bench_env(data_dir)
    build_data(env, args.rebuild, SMOKE_DEMO_ARGS if args.smoke else DEMO_ARGS)
    setup_django(env)
    work = pick_work(args.smoke)
    print(
        f"\nFanfold downloads, data in {data_dir}\n  work {work.pk}: {work.title!r}, "
        f"{work.chapter_count} chapters, {work.word_count:,} words",
        flush=True,
    )
    fanfold, size = fanfold_build_ms(work.pk, args.runs)
    with tempfile.TemporaryDirectory(prefix="fanfold-bench-") as tmp:
        calibre = calibre_ms(work, Path(tmp))
    speedup = calibre / fanfold
    print(f"\nEPUB of {work.chapter_count} chapters, {work.word_count:,} words")
    print(f"  Fanfold (ebooklib)   {fanfold:8.0f} ms  median of {args.runs}, {size:,} bytes")
    print(f"  calibre ebook-convert {calibre:7.0f} ms  from the whole-work page")
    verdict = "met" if speedup >= TARGET_SPEEDUP else "MISSED"
    print(f"  {speedup:.1f}x faster than calibre; target ≥ {TARGET_SPEEDUP:.0f}x: {verdict}")
    if args.skip_load:
        print("\n(load test skipped)")
    else:
        url, adult = prebuilt_url(work)
        result = load_report(env, work, url, adult, args)
        if result.non_2xx:
            sys.exit(f"the cached download answered non-2xx {result.non_2xx} times")
    print(f"epub: {speedup:.1f}x calibre, {fanfold:.0f} ms")


if __name__ == "__main__":
    main()
