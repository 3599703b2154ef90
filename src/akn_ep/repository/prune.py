"""Pruning: documents under the publish root that no source produced are deleted, with their
hash records, and only after a run without errors.
"""

from __future__ import annotations

from collections.abc import Iterator

from .connection import Connection
from .errors import ServerError
from .paths import META_ROOT, meta_path
from .queries import Q_DELETE
from .records import PublishRecord


def prune_absent(conn: Connection, db: str, root: str, existing: set[str], present: set[str],
           unidentified: int, failed: int) -> Iterator[PublishRecord]:
    """Delete documents under ``root`` that no source produced (and their hash records)."""
    if unidentified or failed or not present:
        why = (f"{unidentified} source(s) could not be identified" if unidentified
               else f"{failed} document(s) failed" if failed
               else "no document in the sources")
        yield PublishRecord("", root, None, "error", f"prune not done: {why}; nothing deleted")
        return
    prefix = root + "/"
    meta_prefix = META_ROOT + "/"
    gone = sorted(p for p in existing if p.startswith(prefix) and p not in present)
    orphans = sorted(p for p in existing if p.startswith(meta_prefix + prefix)
                     and p[len(meta_prefix):] not in existing)
    for path in gone:
        meta = meta_path(path)
        try:
            conn.query(Q_DELETE, db=db, paths=f"{path}\n{meta}")
        except ServerError as exc:
            yield PublishRecord("", path, None, "error", f"not deleted: {exc}")
            continue
        existing.discard(path)
        yield PublishRecord("", path, None, "deleted")
    if orphans:  # hash records whose document someone else deleted
        conn.query(Q_DELETE, db=db, paths="\n".join(orphans))
