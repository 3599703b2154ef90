"""``akn-ep publish``: its options, one line per document, a summary, the exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

from .connection import DEFAULT_TIMEOUT
from .credentials import DEFAULT_CONFIG
from .errors import ConnectionLostError, RepositoryError
from .paths import DEFAULT_ROOT
from .publish import DEFAULT_BATCH_DOCS, publish
from .records import STATUSES


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``akn-ep publish`` (used by :mod:`akn_ep.cli`).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> a = p.parse_args(["repo/", "--basex", "127.0.0.1:1984", "--db", "ep"])
        >>> a.sources, a.basex, a.db, a.prune
        (['repo/'], '127.0.0.1:1984', 'ep', False)
    """
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="output folder of akn-ep batch, or Akoma Ntoso files")
    p.add_argument("--basex", required=True, metavar="HOST:PORT",
                   help="the BaseX server (basexserver; default port 1984)")
    p.add_argument("--db", required=True, metavar="NAME",
                   help="database name (created when missing)")
    p.add_argument("--user", help="user name (default: the config file's, else admin)")
    p.add_argument("--password-env", metavar="VAR",
                   help="environment variable that holds the password")
    p.add_argument("--config", metavar="FILE",
                   help=f"config file with [basex] user, password; mode 600 (default: "
                        f"{DEFAULT_CONFIG} when no --password-env)")
    p.add_argument("--prune", action="store_true",
                   help="delete documents under the publish root that are not in the sources")
    p.add_argument("--root", default=DEFAULT_ROOT, metavar="PATH",
                   help=f"publish root for --prune (default {DEFAULT_ROOT})")
    p.add_argument("--verify", action="store_true",
                   help="compare with the stored documents themselves, not the recorded hashes")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on a server that does not answer (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--batch", type=int, default=DEFAULT_BATCH_DOCS, metavar="N",
                   help=f"documents per transaction (default {DEFAULT_BATCH_DOCS})")
    p.add_argument("--report", metavar="FILE", help="also write the records as JSON Lines")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only documents that were skipped or failed")


def run_cli(args: argparse.Namespace) -> int:
    """Run ``akn-ep publish`` with parsed arguments; the exit status.

    One line per document on stdout (``status path <- source: reason``), a summary on
    stderr. 0: every document is in the database (stored, replaced or unchanged);
    1: some document was skipped as invalid or failed; 2: the publish could not start
    or stopped (credentials, server unreachable, login refused, connection lost).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> run_cli(p.parse_args(["x.xml", "--basex", "127.0.0.1:1", "--db", "ep",
        ...                       "--password-env", "AKN_EP_UNSET_VARIABLE"]))
        2
    """
    out, err = sys.stdout, sys.stderr
    counts: Counter[str] = Counter()
    start = time.monotonic()
    report = open(args.report, "w", encoding="utf-8") if args.report else None  # noqa: SIM115
    try:
        records = publish(args.sources, basex=args.basex, db=args.db, user=args.user,
                          password_env=args.password_env, config=args.config,
                          prune=args.prune, root=args.root, verify=args.verify,
                          timeout=args.timeout, batch_docs=args.batch)
        for rec in records:
            counts[rec.status] += 1
            if report is not None:
                report.write(json.dumps(rec.as_dict(), ensure_ascii=False) + "\n")
                report.flush()
            if not args.quiet or rec.status in ("skipped-invalid", "error"):
                print(rec, file=out, flush=True)
    except ConnectionLostError as exc:
        done = sum(counts.values())
        print(f"akn-ep: error: {exc}; {done} document(s) done before that: run the same "
              "command again to finish", file=err)
        return 2
    except (RepositoryError, ValueError) as exc:
        print(f"akn-ep: error: {exc}", file=err)
        return 2
    finally:
        if report is not None:
            report.close()
    seconds = time.monotonic() - start
    shown = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s] or s in
                      ("stored", "replaced", "unchanged"))
    print(f"akn-ep: published to {args.db} at {args.basex}: {shown} in {seconds:.1f} s",
          file=err)
    return 1 if counts["skipped-invalid"] or counts["error"] else 0
