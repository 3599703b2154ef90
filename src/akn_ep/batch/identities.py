"""The identity file of ``akn-ep batch --identities FILE``: input name → texts-adopted
number, adoption date and/or work IRI, as archives' lists usually give them.

Two formats, told apart by the first character that is not white space (``{``: JSON Lines,
anything else: CSV with a header row). Columns / keys: ``input`` (required), ``ta_number``,
``date``, ``frbr_uri`` (each optional, empty = not stated). ``input`` is matched against
the input's name as the report writes it (``texts/x.txt``, ``corpus.zip::clean/x.txt``),
else against its file name alone (``x.txt``). Every row is checked when the file is read:
a bad row stops the batch before it starts, naming the file and line.

Example:
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ids.csv"
    >>> _ = p.write_text("input,ta_number,date\\nTA-6-2007-0424_EN.txt,P6_TA(2007)0424,\\n")
    >>> table = load_identities(p)
    >>> identity_for(table, "texts/TA-6-2007-0424_EN.txt")
    Identity(ta_number='P6_TA(2007)0424', date=None, frbr_uri=None)
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
from collections.abc import Mapping

import attrs

from ..akn.iri import FrbrUri, is_ep_work
from ..model import TA_NUMBER_RE

__all__ = ["Identity", "load_identities", "identity_for", "IDENTITY_FIELDS"]

#: The columns (CSV) or keys (JSON Lines) of an identity file, ``input`` first.
IDENTITY_FIELDS = ("input", "ta_number", "date", "frbr_uri")
#: Largest identity file read (a million rows of a CSV list fit well under it).
MAX_IDENTITY_BYTES = 256 * 1024 * 1024


@attrs.frozen
class Identity:
    """What a caller states about one input (None: not stated).

    Example:
        >>> Identity(ta_number="P7_TA(2012)0089").date is None
        True
    """

    ta_number: str | None = None
    date: str | None = None
    frbr_uri: str | None = None


def _check(where: str, row: Mapping[str, object]) -> tuple[str, Identity]:
    unknown = sorted(set(row) - set(IDENTITY_FIELDS))
    if unknown:
        raise ValueError(f"{where}: unknown column {unknown[0]!r} (columns: "
                         f"{', '.join(IDENTITY_FIELDS)})")
    values: dict[str, str | None] = {}
    for key in IDENTITY_FIELDS:
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{where}: {key} must be a string, got {value!r}")
        values[key] = value.strip() if value and value.strip() else None
    name = values.pop("input")
    if not name:
        raise ValueError(f"{where}: no input name")
    ta, date, uri = values["ta_number"], values["date"], values["frbr_uri"]
    if ta is not None and not TA_NUMBER_RE.match(ta):
        raise ValueError(f"{where}: ta_number {ta!r} is not a texts-adopted number "
                         "(P<term>_TA(<year>)<nnnn>, e.g. P7_TA(2012)0089)")
    if date is not None:
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            raise ValueError(f"{where}: date {date!r} is not an ISO date (YYYY-MM-DD)") from None
    if uri is not None:
        try:
            ok = is_ep_work(FrbrUri.parse(uri))
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"{where}: frbr_uri {uri!r} is not an EP resolution's work IRI "
                             "(/akn/eu/statement/resolution/ep/YYYY-MM-DD/NUMBER)")
    if ta is None and date is None and uri is None:
        raise ValueError(f"{where}: {name!r} states nothing (ta_number, date or frbr_uri)")
    return name, Identity(ta, date, uri)


def load_identities(path: str | os.PathLike[str]) -> dict[str, Identity]:
    """The identities of an identity file, by input name. :class:`ValueError` naming the
    file and line for a row that cannot be used, or a name given twice.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "ids.jsonl"
        >>> _ = p.write_text('{"input": "a.txt", "date": "1995-05-18"}\\n')
        >>> load_identities(p)["a.txt"].date
        '1995-05-18'
    """
    with open(path, "rb") as fh:
        data = fh.read(MAX_IDENTITY_BYTES + 1)
    if len(data) > MAX_IDENTITY_BYTES:
        raise ValueError(f"{path}: larger than {MAX_IDENTITY_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    rows: list[tuple[int, Mapping[str, object]]] = []
    if text.lstrip().startswith("{"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{n}: not a JSON object")
            rows.append((n, row))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or "input" not in reader.fieldnames:
            raise ValueError(f"{path}:1: a CSV identity file needs a header row with an "
                             f"'input' column ({', '.join(IDENTITY_FIELDS)})")
        for row in reader:
            if None in row:
                raise ValueError(f"{path}:{reader.line_num}: more cells than columns")
            rows.append((reader.line_num, row))
    table: dict[str, Identity] = {}
    for n, row in rows:
        name, identity = _check(f"{path}:{n}", row)
        if name in table:
            raise ValueError(f"{path}:{n}: {name!r} is given twice")
        table[name] = identity
    return table


def identity_for(table: Mapping[str, Identity], name: str) -> Identity | None:
    """The identity stated for the input ``name``: by its whole name, else by its file name.

    Example:
        >>> identity_for({"x.txt": Identity(date="2001-01-01")}, "a.zip::x.txt").date
        '2001-01-01'
    """
    if not table:
        return None
    found = table.get(name)
    if found is None:
        member = name.rsplit("::", 1)[-1]  # an archive's member: its own path
        found = table.get(member.replace("\\", "/").rsplit("/", 1)[-1])
    return found
