"""What a batch keeps in ``OUTDIR/.akn-ep``: the lock that keeps out a second run, the
temporary files, and the SQLite record of the outputs written (what makes a re-run skip
what is done); and the atomic renames into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import IO

from ..errors import AknEpError


class BatchError(AknEpError):
    """A batch that cannot start: output folder unusable or in use by another run."""


_STATE_DIR = ".akn-ep"
_COMMIT_SECONDS = 1.0  # state rows are committed this often (a commit costs 1-5 ms)


class _State:
    """``OUTDIR/.akn-ep``: lock, temporary files, and the SQLite record of finished outputs.

    Table ``done``: one row per output file (key = case-folded path) with the SHA-256 of
    the input that made it, of the output bytes, the options, and the record. Rows are
    committed in batches; a row is only trusted when the file exists with that hash.
    Workers read it (:func:`_find_done`) to skip inputs done by earlier runs.
    """

    def __init__(self, outdir: Path):
        self.outdir = outdir
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            self.dir = outdir / _STATE_DIR
            self.dir.mkdir(exist_ok=True)
            ignore = self.dir / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# bookkeeping of akn-ep batch, not part of the repository\n*\n")
            self._lock = open(self.dir / "lock", "a+b")  # noqa: SIM115 - held for the run
        except OSError as exc:
            reason = exc.strerror or exc
            raise BatchError(f"{outdir}: cannot use as output folder: {reason}") from exc
        self._key = os.path.realpath(outdir)
        try:
            if self._key in _HELD:  # a record lock does not keep out its own process
                raise OSError("held by this process")
            _lock_file(self._lock)
        except OSError as exc:
            self._lock.close()
            raise BatchError(f"{outdir}: another akn-ep batch is writing here") from exc
        _HELD.add(self._key)
        self.tmp = self.dir / "tmp"
        self.path = self.dir / "state.sqlite"
        self.db: sqlite3.Connection | None = None
        try:
            shutil.rmtree(self.tmp, ignore_errors=True)  # leftovers of a killed run
            self.tmp.mkdir()
            self.db = db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS done (key TEXT PRIMARY KEY, path TEXT NOT NULL, "
                "input_sha TEXT NOT NULL, opts TEXT NOT NULL, xml_sha TEXT NOT NULL, "
                "input TEXT NOT NULL, record TEXT NOT NULL) WITHOUT ROWID"
            )
            db.execute("CREATE INDEX IF NOT EXISTS done_input ON done (input_sha, opts)")
            db.execute("CREATE TEMP TABLE claims (key TEXT PRIMARY KEY, input TEXT NOT NULL, "
                       "path TEXT NOT NULL, xml_sha TEXT)")
            #: nothing recorded yet (a first run): no input can be skipped, no lookup needed
            self.empty = db.execute("SELECT 1 FROM done LIMIT 1").fetchone() is None
            db.execute("BEGIN")
            self._pending = False
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise BatchError(
                f"{self.dir}: cannot use the record of earlier runs ({exc}); remove "
                f"{self.dir / 'state.sqlite'} to start afresh (outputs are then checked again)"
            ) from exc
        self._last = 0.0  # the first rows are committed at once, then every _COMMIT_SECONDS

    def _conn(self) -> sqlite3.Connection:
        assert self.db is not None, "the state is closed"
        return self.db

    def get(self, key: str) -> tuple | None:
        """(input_sha, opts, input) of the row an earlier run wrote for this output."""
        if self.empty:
            return None
        row: tuple | None = self._conn().execute(
            "SELECT input_sha, opts, input FROM done WHERE key=?", (key,)).fetchone()
        return row

    def put(self, rows: list[tuple]) -> None:
        """Record outputs written: (key, path, input_sha, opts, xml_sha, input, record JSON)."""
        self._conn().executemany("INSERT OR REPLACE INTO done VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 rows)
        self._pending = True

    def claimed(self, keys: list[str]) -> dict[str, tuple[str, str, str | None]]:
        """Which of ``keys`` this run has claimed already: key -> (input, output path, the
        SHA-256 of its XML)."""
        found: dict[str, tuple[str, str, str | None]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            sql = f"SELECT * FROM claims WHERE key IN ({','.join('?' * len(part))})"
            found.update((key, (name, path, sha))
                         for key, name, path, sha in self._conn().execute(sql, part))
        return found

    def claim(self, claims: list[tuple[str, str, str, str | None]]) -> None:
        """Claim outputs for this run: (key, input, output path, SHA-256 of the XML), none
        claimed before."""
        self._conn().executemany("INSERT OR IGNORE INTO claims VALUES (?, ?, ?, ?)", claims)
        self._pending = True

    def tick(self) -> None:
        if self._pending and time.monotonic() - self._last >= _COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        self._conn().execute("COMMIT")
        self._conn().execute("BEGIN")
        self._last = time.monotonic()
        self._pending = False

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                if self.db.in_transaction:
                    self.db.execute("COMMIT")
            self.db.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self._lock.close()  # releases the lock
        _HELD.discard(self._key)


#: Output folders (real paths) a batch of this process is writing to.
_HELD: set[str] = set()


def _lock_file(fh: IO[bytes]) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        return
    # a POSIX record lock belongs to this process only: worker processes do not inherit it
    fcntl.lockf(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _find_done(db: sqlite3.Connection, outdir: str, input_sha: str, opts: str,
               key: str | None) -> tuple | None:
    """(key, path, xml_sha, record) of what an earlier run made from this input, if that
    output is still intact."""
    sql = "SELECT key, path, xml_sha, record FROM done WHERE input_sha=? AND opts=?"
    args: tuple = (input_sha, opts)
    if key is not None:
        sql, args = sql + " AND key=?", (*args, key)
    for row in db.execute(sql, args):
        if _sha_file(os.path.join(outdir, row[1])) == row[2]:
            found: tuple = row
            return found
    return None


def _sha_file(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _rename_all(outdir: str, items: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """Move temporary files into place: ``items`` are (temporary file, output path); the
    (index, reason) of those that failed (their temporary file is removed)."""
    errors = []
    for i, (tmp, dest) in enumerate(items):
        target = os.path.join(outdir, dest)
        try:
            for attempt in range(3):
                try:
                    os.replace(tmp, target)
                    break
                except FileNotFoundError:  # its folder went (a loser's, taken away): again
                    if attempt == 2 or not os.path.lexists(tmp):
                        raise
                    with contextlib.suppress(FileNotFoundError):
                        os.makedirs(os.path.dirname(target), exist_ok=True)
        except OSError as exc:
            errors.append((i, f"{exc.strerror or exc} ({target})"))
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return errors


