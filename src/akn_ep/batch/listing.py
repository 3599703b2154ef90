"""One folder's entries in name order, in memory that does not grow with the folder.

The batch takes a folder's files in name order (the order decides collisions and the
report), and ``os.scandir`` gives them in the file system's order. Sorting the
``DirEntry`` objects of a folder of 200,000 files took 170 MB; an archive unpacked flat can
hold a million. So a :class:`Listing` keeps each entry as one short ``bytes`` record, and
once it holds ``run_names`` of them it sorts them and writes them as a *run* to an anonymous
temporary file; reading merges the runs (:func:`heapq.merge`). Memory is about
``run_names`` names (a few MB) plus a 64 kB buffer per run, whatever the folder's size;
small folders never touch the disk.

Order is that of the names' bytes (``os.fsencode``), the same at every size. For names
that are valid UTF-8 (all names on most systems) it is the order of ``sorted()`` on ``str``.
"""

from __future__ import annotations

import heapq
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

#: Names sorted in memory before a run goes to a temporary file.
RUN_NAMES = 50_000
_BLOCK = 1 << 16

# A record is the name's bytes, NUL, then one byte for what scandir saw (links not
# followed). File names hold no NUL, so records sort as their names do.
FOLDER, LINK, FILE = b"d", b"l", b"f"


class Listing:
    """The entries of ``folder`` (those ``skip`` accepts left out), sorted by name.

    Reads the whole folder at once, so that an ``OSError`` (the folder cannot be listed)
    is raised here and not half-way through. :meth:`files` and :meth:`folders` give the
    names, each as often as asked; use it as a context manager, or :meth:`close` it, to
    drop the runs.

    Example:
        >>> import pathlib, tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> (d / "c").mkdir()
        >>> for name in ("b.txt", "a.txt", ".hidden"):
        ...     (d / name).touch()
        >>> with Listing(str(d), skip=lambda name: name[0] == ".", run_names=2) as listing:
        ...     [name for name, _ in listing.files()], list(listing.folders())
        (['a.txt', 'b.txt'], ['c'])
    """

    def __init__(self, folder: str, *, skip: Callable[[str], bool] = lambda name: False,
                 run_names: int | None = None) -> None:
        run_names = run_names or RUN_NAMES  # read at each call: tests set it lower
        self._files, self._folders = _Sorted(run_names), _Sorted(run_names)
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if skip(name):
                        continue
                    kind = _kind(entry)
                    (self._folders if kind == FOLDER else self._files).add(
                        _encode(name, _ENCODING, _ERRORS) + b"\0" + kind)
        except BaseException:
            self.close()
            raise
        self._files.seal()
        self._folders.seal()

    def files(self) -> Iterator[tuple[str, bool]]:
        """Every entry that is not a folder: (name, is a symbolic link), by name."""
        for record in self._files:
            yield _decode(record[:-2], _ENCODING, _ERRORS), record[-1:] == LINK

    def folders(self) -> Iterator[str]:
        """Every folder (links to folders are among the files), by name."""
        for record in self._folders:
            yield _decode(record[:-2], _ENCODING, _ERRORS)

    def close(self) -> None:
        self._files.close()
        self._folders.close()

    def __enter__(self) -> Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Listing: files {self._files!r}, folders {self._folders!r}>"


_ENCODING, _ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
_encode, _decode = str.encode, bytes.decode  # os.fsencode / os.fsdecode, without their checks


class _Sorted:
    """Records, sorted: up to ``run_names`` in memory, the rest in runs on disk."""

    def __init__(self, run_names: int) -> None:
        self._run_names = run_names
        self._records: list[bytes] = []
        self._runs: list[IO[bytes]] = []

    def add(self, record: bytes) -> None:
        self._records.append(record)
        if len(self._records) >= self._run_names:
            self._records.sort()
            try:
                run = tempfile.TemporaryFile(prefix="akn-ep-listing-")
                self._runs.append(run)
                run.write(b"".join(self._records))
                run.flush()  # read back with os.pread, below the file object's buffer
            except OSError as exc:  # said as such, not as a folder that cannot be listed
                raise OSError(exc.errno, f"more than {self._run_names:,} names, and no room to "
                              f"sort them in the temporary folder {tempfile.gettempdir()} "
                              f"({exc.strerror or exc}; set TMPDIR)") from None
            self._records = []

    def seal(self) -> None:
        self._records.sort()

    def __iter__(self) -> Iterator[bytes]:
        if not self._runs:
            return iter(self._records)
        return heapq.merge(*(_records(run) for run in self._runs), self._records)

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._records, self._runs = [], []

    def __repr__(self) -> str:
        return f"{len(self._records)} in memory and {len(self._runs)} runs on disk"


def _kind(entry: os.DirEntry[str]) -> bytes:
    try:
        if entry.is_symlink():
            return LINK
        return FOLDER if entry.is_dir(follow_symlinks=False) else FILE
    except OSError:  # gone, or no type from the file system and no lstat: the caller stats it
        return FILE


def _records(run: IO[bytes]) -> Iterator[bytes]:
    """The records of one run, read in blocks at their offsets (``pread``: any number of
    readers of one run, each at its own place)."""
    fd, offset, rest = run.fileno(), 0, b""
    while block := os.pread(fd, _BLOCK, offset):
        offset += len(block)
        rest += block
        start = 0
        while (nul := rest.find(b"\0", start)) != -1 and nul + 1 < len(rest):
            yield rest[start:nul + 2]
            start = nul + 2
        rest = rest[start:]
