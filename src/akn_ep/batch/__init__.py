"""Batch conversion: many sources → an Akoma Ntoso repository, in parallel, resumable.

One call (or ``akn-ep batch``) converts files, directory trees and archives
(``.zip``, ``.tar``, ``.tar.gz`` …, read in place) into a folder laid out by the
Akoma Ntoso IRI of each document (:func:`iri_to_path`), so the language versions
of one resolution sit side by side. See ``docs/batch.md`` for the whole story;
in short:

- **Inputs** are read lazily and in a deterministic order (sources in the order
  given, directories sorted by name, archive members in archive order);
  hidden files and ``__MACOSX`` folders are skipped.
- **Conversion** runs :func:`convert_one` in worker processes (default: one per
  core), a few chunks in flight at a time, so memory stays flat. Workers also read
  their inputs (files, zip members), hash them, write the output and, once the
  batch process has decided who gets each output path, rename it into place and
  record it; the batch process, which every document passes through, does as
  little as it can per document. Results are decided in input order, so the
  outcome never depends on the number of processes or their timing.
- **Nothing is lost**: every input gets exactly one record, with the reason when
  it fails (not a resolution, not valid, too large, unreadable archive, crashed
  or hung converter, collision …); a bad document never stops the batch.
- **Writes are atomic** (a temporary file in ``OUTDIR/.akn-ep/tmp`` renamed into
  place). The SHA-256 of each input and of its output is recorded in
  ``OUTDIR/.akn-ep/state.sqlite``; a re-run skips inputs whose output is
  present and unchanged, so a killed run finishes where it stopped.
- **Collisions** (two inputs mapping to one output path, compared without
  regard to letter case): the first input in input order wins; each later one
  fails with ``collides with <first input>`` (saying whether its XML is the
  same, a duplicate, or different). An output written by an earlier
  run from another input is left as it is unless ``force=True``.

Modules, in the order the data flows: :mod:`~akn_ep.batch.inputs` (sources → inputs;
tar streams by :mod:`~akn_ep.batch.tar`), :mod:`~akn_ep.batch.convert` (one input → record
and XML), :mod:`~akn_ep.batch.layout` (IRI → path), :mod:`~akn_ep.batch.workers` (worker
processes), :mod:`~akn_ep.batch.state` (``OUTDIR/.akn-ep``: lock, record of outputs,
renames), :mod:`~akn_ep.batch.run` (one run: the decisions, in input order, and
:func:`convert_many`), :mod:`~akn_ep.batch.command` (``akn-ep batch``).

Example:
    >>> import pathlib, tempfile
    >>> src = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (src / "x.txt").write_text(
    ...     "P7_TA(2012)0089\\nEuropean Parliament resolution of 15 March 2012 on X\\n"
    ...     "The European Parliament,\\n1. Instructs its President to forward this.\\n")
    >>> records = list(convert_many([src / "x.txt"], src / "out", jobs=1))
    >>> records[0]["status"], records[0]["output"]  # doctest: +NORMALIZE_WHITESPACE
    ('converted',
     'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/eng@2012-03-15/main.xml')
    >>> records[-1]["type"], records[-1]["converted"], records[-1]["exit_status"]
    ('summary', 1, 0)
"""

from __future__ import annotations

from .command import Progress, add_arguments, run_cli
from .convert import RECORD_FIELDS, convert_one
from .identities import Identity, load_identities
from .inputs import ARCHIVE_SUFFIXES, DEFAULT_MAX_BYTES, Input, count_inputs, iter_inputs
from .layout import MAX_PATH, MAX_SEGMENT, SAFE_CHARS, flat_path, iri_to_path, path_to_iri
from .run import DEFAULT_TIMEOUT, convert_many
from .state import BatchError

__all__ = [
    "convert_one",
    "convert_many",
    "iri_to_path",
    "path_to_iri",
    "flat_path",
    "iter_inputs",
    "count_inputs",
    "Input",
    "BatchError",
    "RECORD_FIELDS",
    "Identity",
    "load_identities",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_BYTES",
    "ARCHIVE_SUFFIXES",
    "MAX_PATH",
    "MAX_SEGMENT",
    "SAFE_CHARS",
    "Progress",
    "add_arguments",
    "run_cli",
]
