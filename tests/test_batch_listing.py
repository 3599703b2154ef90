"""Folder listing for the batch (``akn_ep.batch.listing.Listing``, through ``inputs._walk``
and ``iter_inputs``): name order at any size, in memory that does not grow with the folder,
and what a folder can hold besides plain files (links, broken links, FIFOs).

The oracle for order is ``os.listdir`` on the folder's bytes path, sorted, split with
``os.lstat``: a listing made without scandir, DirEntry or the listing's runs.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from akn_ep.batch import inputs, iter_inputs
from akn_ep.batch import listing as listing_module
from akn_ep.batch.listing import Listing

pytestmark = pytest.mark.skipif(sys.platform == "win32",
                                reason="POSIX file names, symbolic links and FIFOs")

# Names whose str order and byte order agree (valid UTF-8), in no particular order here.
NAMES = ["b.txt", "B.txt", "a b.txt", "ä.txt", "z.txt", "Ω.txt", "10.txt", "9.txt",
         "line\nbreak.txt", "日本.txt", "-dash.txt", "~tilde.txt", "a.txt.zip"]


def _oracle(folder: Path) -> tuple[list[bytes], list[bytes]]:
    """(files, folders) of ``folder`` by byte order of the name, hidden names left out."""
    files, folders = [], []
    for name in sorted(os.listdir(os.fsencode(folder))):
        if name.startswith(b".") or name == b"__MACOSX":
            continue
        mode = os.lstat(os.path.join(os.fsencode(folder), name)).st_mode
        (folders if stat.S_ISDIR(mode) else files).append(name)
    return files, folders


def _fill(folder: Path, count: int) -> None:
    """``count`` files and a few folders with names of every kind, created out of order."""
    for i in range(count):
        (folder / f"doc-{(i * 7919) % count:05d}.txt").touch()
    for name in NAMES:
        (folder / name).write_text("x")
    for name in ("sub-b", "sub-a", "Sub-c", "ü-sub", ".hidden-sub", "__MACOSX"):
        (folder / name).mkdir()
    (folder / ".hidden.txt").touch()
    os.symlink("b.txt", folder / "link-to-file.txt")
    os.symlink("sub-a", folder / "link-to-folder")
    os.symlink("nowhere.txt", folder / "broken-link.txt")


@pytest.mark.parametrize("run_names", [1, 2, 3, 7, 64, 100_000])
def test_listing_is_in_byte_order_at_every_run_size(tmp_path, run_names):
    _fill(tmp_path, 150)
    (tmp_path / os.fsdecode(b"latin1-\xe9.txt")).touch()  # not UTF-8: a surrogate in str
    want_files, want_folders = _oracle(tmp_path)

    def hidden(name: str) -> bool:
        return name.startswith(".") or name == "__MACOSX"

    with Listing(str(tmp_path), skip=hidden, run_names=run_names) as listing:
        files = list(listing.files())
        folders = list(listing.folders())
        assert list(listing.files()) == files, "a second reading gives the same"
    assert [os.fsencode(name) for name, _ in files] == want_files
    assert [os.fsencode(name) for name in folders] == want_folders
    links = {name for name, link in files if link}
    assert links == {"link-to-file.txt", "link-to-folder", "broken-link.txt"}
    assert len(files) == 150 + len(NAMES) + 4


def test_walk_reports_broken_links_and_leaves_out_what_is_not_a_file(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _fill(src, 3)
    os.mkfifo(src / "fifo.txt")  # reading it would wait for a writer for ever
    (src / "sub-a" / "inner.txt").write_text("x")
    found = {i.name: i for i in iter_inputs([src], read=False)}
    broken = found.pop(str(src / "broken-link.txt"))
    assert broken.data is None and broken.error == "broken symbolic link"
    assert broken.error_kind == "read"
    assert str(src / "fifo.txt") not in found
    assert str(src / "link-to-folder" / "inner.txt") not in found, "links to folders: not followed"
    assert str(src / "link-to-file.txt") in found, "links to files: followed"
    assert str(src / "sub-a" / "inner.txt") in found
    assert not any("hidden" in name or "__MACOSX" in name for name in found)
    # --include applies to a broken link as to any file; archives are always opened
    kept = [i.name for i in iter_inputs([src], include=["doc-*"], read=False)]
    assert kept == [str(src / "a.txt.zip")] + [str(src / f"doc-{i:05d}.txt") for i in range(3)]


def test_walk_order_is_files_by_name_then_each_folder_in_turn(tmp_path):
    for rel in ("b/2.txt", "b/1.txt", "a/z/1.txt", "a/0.txt", "c.txt", "a.txt", "a/z.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    walked = [rel for _, rel, _ in inputs._walk(str(tmp_path), set(), lambda name: True)]
    assert walked == [("a.txt",), ("c.txt",), ("a", "0.txt"), ("a", "z.txt"),
                      ("a", "z", "1.txt"), ("b", "1.txt"), ("b", "2.txt")]


def test_a_large_folder_is_walked_in_memory_that_does_not_grow_with_it(tmp_path, monkeypatch):
    """10,000 files, sorted in runs of 1,000: the walk's peak is about 1,000 names. Measured
    here: ~270 kB; the same listing held whole in memory, ~570 kB; the walk as it was
    (sorting scandir's DirEntry objects, which then cache each path and stat), 7.9 MB."""
    for i in range(10_000):
        (tmp_path / f"doc-{(i * 7919) % 10_000:05d}.txt").touch()
    monkeypatch.setattr(listing_module, "RUN_NAMES", 1_000)
    walked, last = 0, None
    tracemalloc.start()
    try:
        for path, _, size in inputs._walk(str(tmp_path), set(), lambda name: True):
            assert last is None or path > last and size == 0
            last = path
            walked += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert walked == 10_000
    assert peak < 400_000, f"peak {peak} bytes"


def test_a_walk_closed_half_way_leaves_no_open_file(tmp_path, monkeypatch):
    monkeypatch.setattr(listing_module, "RUN_NAMES", 4)  # every folder sorted in runs
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        _fill(tmp_path / sub, 40)
    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    listing = Listing(str(tmp_path / "a"), run_names=4)
    assert "runs on disk" in repr(listing)
    listing.close()
    walk = iter_inputs([tmp_path], read=False)
    assert next(walk).name == str(tmp_path / "a" / "-dash.txt")
    walk.close()
    if fds is not None:
        assert len(os.listdir("/proc/self/fd")) == fds


def test_no_room_for_the_runs_is_said_as_such(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    _fill(src, 10)
    monkeypatch.setattr(listing_module, "RUN_NAMES", 4)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    (broken,) = [i for i in iter_inputs([src]) if i.data is None
                 and "folder" in (i.error or "")]
    assert broken.error.startswith("cannot list folder: more than 4 names, and no room to "
                                   f"sort them in the temporary folder {tmp_path}")
    assert "set TMPDIR" in broken.error and broken.error_kind == "read"

