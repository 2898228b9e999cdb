"""The host's filter index snapshot: built once, mapped by every worker, swapped whole."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.http import QueryDict

from fanfold.conftest import tag
from fanfold.filters import selectors, snapshot
from fanfold.filters.index import FilterIndex
from fanfold.filters.query import WorkFilter
from fanfold.filters.selectors import current_index, filter_works
from fanfold.filters.services import filter_index_rebuild_all

pytestmark = pytest.mark.django_db

REPO = Path(django_settings.BASE_DIR)


def listing(qs: str = "") -> list[int]:
    return filter_works(WorkFilter.from_params(QueryDict(qs)), None).work_ids


def snapshots(root: Path) -> set[str]:
    return {p.name for p in (root / snapshot.SNAPSHOTS).iterdir()}


@pytest.fixture
def root(settings) -> Path:
    return Path(settings.FILTER_INDEX_DIR)


def test_a_snapshot_answers_as_a_fresh_build(make_work, root):
    works = [make_work(freeforms=["Fluff"]), make_work(fandoms=("Sea Shanties",))]
    path = snapshot.build_snapshot(root)
    assert path is not None and snapshot.current_name(root) == path.name
    mapped = snapshot.open_current(root)
    built = FilterIndex.build()
    assert mapped is not None
    assert mapped.n == built.n == 2
    assert list(mapped.ids[: mapped.n]) == [w.pk for w in works]
    fluff = tag("Fluff").pk
    assert mapped.tag_bitmaps[fluff] == built.tag_bitmaps[fluff]
    assert sorted(mapped.tag_bitmaps) == sorted(built.tag_bitmaps)
    assert [list(a) for a, _ in mapped.type_order] == [list(a) for a, _ in built.type_order]
    # Columns are file-backed pages, not copies in this process.
    assert isinstance(mapped.cols["kudos"], np.memmap)
    mapped.close()


def _reader(root: Path, tag_id: int) -> subprocess.Popen:
    """Another process that maps the snapshot, says what it sees, and holds it open."""
    code = textwrap.dedent(
        f"""
        import os, sys
        import django
        django.setup()
        from pathlib import Path
        from fanfold.filters import snapshot
        index = snapshot.open_current(Path({str(root)!r}))
        maps = open(f"/proc/{{os.getpid()}}/maps").read()
        mapped = sum(1 for line in maps.splitlines() if {str(root)!r} in line)
        print(index.snapshot_name, index.n, len(index.tag_bitmaps[{tag_id}]), mapped, flush=True)
        sys.stdin.readline()
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fanfold.settings_test"}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_share_one_snapshot_and_a_swap_waits_for_readers(make_work, root):
    make_work(freeforms=["Fluff"])
    make_work(freeforms=["Fluff"])
    first = snapshot.build_snapshot(root)
    assert first is not None
    reader = _reader(root, tag("Fluff").pk)
    try:
        name, n, fluff, mapped = reader.stdout.readline().split()
        assert (name, int(n), int(fluff)) == (first.name, 2, 2)
        assert int(mapped) >= 5  # the arrays are mapped from the shared files
        # Here, the same snapshot is mapped too: two processes, one copy on disk.
        assert current_index().snapshot_name == first.name
        make_work(freeforms=["Fluff"])
        second = snapshot.build_snapshot(root)
        assert snapshot.current_name(root) == second.name
        # The other process still reads the old one, so it stays.
        assert first.name in snapshots(root)
        # This process moves to the new one at its next query.
        assert len(listing("tag=Fluff")) == 3
        assert current_index().snapshot_name == second.name
    finally:
        reader.communicate("\n", timeout=30)
    snapshot.remove_unused(root)
    assert snapshots(root) == {second.name}


def test_the_change_log_is_applied_on_top_of_the_snapshot(make_work, root):
    first = make_work(title="First", freeforms=["Fluff"])
    assert listing("tag=Fluff") == [first.pk]
    name = snapshot.current_name(root)
    second = make_work(title="Second", freeforms=["Fluff"])
    assert set(listing("tag=Fluff")) == {first.pk, second.pk}
    # No new snapshot was needed, and the files on disk did not change.
    assert snapshot.current_name(root) == name
    again = snapshot.open_current(root)
    assert again.n == 1
    again.close()


def _file_backed(index) -> bool:
    arrays = [index.ids, index.title, index.creator, *index.cols.values()]
    return all(isinstance(a, np.memmap) for a in arrays)


def test_new_works_go_into_the_snapshots_spare_rows_not_a_copy(make_work, root, monkeypatch):
    """A work posted after the build lands in the spare rows written after the last
    work, so the worker's arrays stay mapped from the shared file (only the pages
    written to become its own) rather than copied whole to be made longer."""
    monkeypatch.setattr(snapshot, "SPARE_MIN", 2)
    first = make_work(title="First", freeforms=["Fluff"])
    assert listing("tag=Fluff") == [first.pk]
    index = current_index()
    assert index.n == 1 and len(index.ids) == 3 and _file_backed(index)
    second = make_work(title="Second", freeforms=["Fluff"])
    third = make_work(title="Third", freeforms=["Fluff"])
    assert listing("tag=Fluff&sort=title") == [first.pk, second.pk, third.pk]
    assert current_index() is index and index.n == 3 and _file_backed(index)
    # Past the spare rows the arrays grow (copied into this process): still right.
    fourth = make_work(title="Fourth", freeforms=["Fluff"])
    assert listing("tag=Fluff&sort=title") == [first.pk, fourth.pk, second.pk, third.pk]
    assert index.n == 4 and not _file_backed(index)
    # The file on disk never changed: another worker mapping it sees the build.
    again = snapshot.open_current(root)
    assert (again.n, list(again.ids)) == (1, [first.pk, 0, 0])
    again.close()


def test_a_crash_mid_build_leaves_the_old_snapshot_in_use(make_work, root, monkeypatch):
    make_work(freeforms=["Fluff"])
    good = snapshot.build_snapshot(root)
    real_write = snapshot.write

    def crash(index, out):
        real_write(index, out)
        (out / "meta.json").unlink()  # cut short before the last file
        raise OSError("disk full")

    monkeypatch.setattr(snapshot, "write", crash)
    with pytest.raises(OSError):
        snapshot.build_snapshot(root)
    assert snapshot.current_name(root) == good.name
    assert any(name.startswith(".tmp-") for name in snapshots(root))
    assert current_index().snapshot_name == good.name
    assert len(listing("tag=Fluff")) == 1
    monkeypatch.undo()
    # The next build clears what the crashed one left.
    newer = snapshot.build_snapshot(root)
    selectors.reset_shared_index()
    snapshot.remove_unused(root)
    assert snapshots(root) == {newer.name}


def test_only_one_process_builds_at_a_time(make_work, root):
    make_work()
    with snapshot.build_lock(root) as held:
        assert held
        assert snapshot.build_running(root)
        assert snapshot.build_snapshot(root) is None
    assert not snapshot.build_running(root)
    assert snapshot.build_snapshot(root) is not None


def test_a_rebuild_request_answers_from_the_database_until_a_new_snapshot(
    make_work, root, settings
):
    settings.FILTER_INDEX_BUILD = "external"
    work = make_work(freeforms=["Fluff"])
    snapshot.build_snapshot(root)
    assert current_index() is not None
    filter_index_rebuild_all()
    assert current_index() is None  # the snapshot predates the request
    assert listing("tag=Fluff") == [work.pk]  # from the database meanwhile
    snapshot.build_snapshot(root)
    assert current_index() is not None
    assert listing("tag=Fluff") == [work.pk]


def test_a_worker_starts_one_background_build_when_none_is_ready(make_work, settings, monkeypatch):
    settings.FILTER_INDEX_BUILD = "process"
    started: list[list[str]] = []

    class Builder:
        def __init__(self, command, **kwargs):
            started.append(command)

        def poll(self):
            return None  # still running

    monkeypatch.setattr(selectors.subprocess, "Popen", Builder)
    monkeypatch.setattr(selectors, "_builder", None)
    monkeypatch.setattr(selectors, "_last_start", 0.0)
    work = make_work()
    assert listing() == [work.pk]
    assert listing() == [work.pk]
    assert len(started) == 1
    assert started[0][-2:] == ["rebuild_filter_index", "--if-idle"]


def test_the_command_publishes_a_snapshot(make_work, root):
    from io import StringIO

    from django.core.management import call_command

    make_work()
    out = StringIO()
    call_command("rebuild_filter_index", stdout=out)
    assert "Snapshot" in out.getvalue()
    assert snapshot.current_name(root)


def test_an_old_snapshot_with_changes_on_top_is_renewed(make_work, root, settings, monkeypatch):
    make_work()
    snapshot.build_snapshot(root)
    settings.FILTER_INDEX_BUILD = "process"
    started: list[list[str]] = []
    monkeypatch.setattr(
        selectors.subprocess, "Popen", lambda command, **kw: started.append(command)
    )
    monkeypatch.setattr(selectors, "_builder", None)
    monkeypatch.setattr(selectors, "_last_start", 0.0)
    index = current_index()
    make_work()
    assert len(listing()) == 2 and not started  # changes on a young snapshot: kept
    index.created -= selectors.RENEW_AFTER_SECONDS + 1
    assert len(listing()) == 2
    assert len(started) == 1


def test_a_builder_killed_mid_build_frees_the_lock(root):
    """flock dies with its process: a `kill -9` never leaves the host unable to build."""
    code = textwrap.dedent(
        f"""
        import sys, time
        import django
        django.setup()
        from pathlib import Path
        from fanfold.filters import snapshot
        with snapshot.build_lock(Path({str(root)!r})) as held:
            print(held, flush=True)
            time.sleep(60)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fanfold.settings_test"}
    builder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert builder.stdout.readline().strip() == "True"
        assert snapshot.build_running(root)
    finally:
        builder.kill()
        builder.wait(timeout=30)
    assert not snapshot.build_running(root)
