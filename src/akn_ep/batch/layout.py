"""The output layout: an Akoma Ntoso IRI ↔ a relative path that is safe on any file
system (``--layout iri``), and the file name of an input (``--layout flat``).

See ``docs/batch.md`` ("Output layout") for the mapping; :func:`iri_to_path` and
:func:`path_to_iri` are inverses.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Sequence
from pathlib import PurePosixPath

from ..akn.iri import FrbrUri

#: Characters kept as they are in a path segment: the POSIX portable file name characters
#: plus ``@``. Everything else is written ``~XX`` (UTF-8 bytes in upper-case hex).
SAFE_CHARS = frozenset(string.ascii_letters + string.digits + "-._@")
#: Longest path segment written as is; longer ones are shortened with a hash.
MAX_SEGMENT = 80
#: Longest relative path :func:`iri_to_path` returns (leaves room for OUTDIR under Windows'
#: classic 260-character limit).
MAX_PATH = 200
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
)
_HEX = frozenset("0123456789ABCDEFabcdef")
# A segment that :func:`_escape_segment` leaves as it is, if it is no device name either
# (nearly every IRI segment: checked first, it saves the character-by-character walk)
_PLAIN_SEGMENT = re.compile(rf"[A-Za-z0-9_@][A-Za-z0-9._@-]{{0,{MAX_SEGMENT - 2}}}[A-Za-z0-9_@-]|"
                            r"[A-Za-z0-9_@]")


def _char_bytes(ch: str) -> bytes:
    try:
        return ch.encode("utf-8", "surrogateescape")  # undecodable file-name bytes
    except UnicodeEncodeError:
        return ch.encode("utf-8", "surrogatepass")


def _escape_segment(segment: str) -> str:
    """One path segment, safe on every common file system (see :func:`iri_to_path`)."""
    if _PLAIN_SEGMENT.fullmatch(segment) and (
        segment.split(".", 1)[0].upper() not in _WINDOWS_RESERVED
    ):
        return segment
    out = "".join(
        ch if ch in SAFE_CHARS else "".join(f"~{b:02X}" for b in _char_bytes(ch))
        for ch in segment
    )
    if out[:1] in (".", "-"):  # hidden file, "." / "..", or read as a command-line option
        out = f"~{ord(out[0]):02X}{out[1:]}"
    if out.endswith("."):  # Windows drops trailing dots
        out = f"{out[:-1]}~2E"
    if out.split(".", 1)[0].upper() in _WINDOWS_RESERVED:  # CON, NUL.xml, com1 …
        out = f"~{ord(out[0]):02X}{out[1:]}"
    if len(out) > MAX_SEGMENT:
        dot = out.rfind(".")
        ext = out[dot:] if dot > 0 and len(out) - dot <= 10 else ""  # keep ".xml"
        cut = out[: MAX_SEGMENT - 18 - len(ext)]
        tilde = cut.rfind("~", len(cut) - 2)
        if tilde >= 0:  # do not cut an escape in two
            cut = cut[:tilde]
        digest = hashlib.sha256(b"".join(_char_bytes(c) for c in segment)).hexdigest()[:16]
        out = f"{cut}~~{digest}{ext}"
    return out


def _unescape_segment(segment: str) -> str:
    if "~~" in segment:
        raise ValueError(f"segment {segment!r} was shortened with a hash: the IRI cannot be "
                         "recovered from the path")
    raw = bytearray()
    i = 0
    while i < len(segment):
        ch = segment[i]
        if ch == "~":
            pair = segment[i + 1 : i + 3]
            if len(pair) != 2 or not set(pair) <= _HEX:
                raise ValueError(f"bad escape in path segment {segment!r}")
            raw.append(int(pair, 16))
            i += 3
        elif ch in SAFE_CHARS:
            raw.append(ord(ch))
            i += 1
        else:
            raise ValueError(f"character {ch!r} cannot appear in a path made by iri_to_path")
    return raw.decode("utf-8", "surrogateescape")


def iri_to_path(iri: str | FrbrUri) -> PurePosixPath:
    """The relative file path of a manifestation IRI: a pure, documented, portable mapping.

    ``/akn/…/lav@2012-03-15/!main.xml`` → ``akn/…/lav@2012-03-15/main.xml``. Each IRI
    segment becomes one path segment: letters, digits, ``-``, ``.``, ``_`` and ``@`` stay
    as they are; every other character (``!``, ``(``, ``:``, spaces, non-ASCII …) becomes
    ``~XX`` per UTF-8 byte, and ``~`` itself ``~7E``. The ``!`` that marks the component
    (``!main.xml``) is dropped. A segment never starts with ``.`` or ``-`` nor ends with
    ``.`` (escaped), never is a Windows device name (``CON``, ``NUL.xml``, ``COM1`` … get
    their first letter escaped), and is at most :data:`MAX_SEGMENT` characters (longer
    ones keep their start and extension around ``~~`` + 16 hex digits of their SHA-256); the
    whole path is at most :data:`MAX_PATH` characters. The mapping is injective and
    :func:`path_to_iri` inverts it (except for shortened segments). Paths that differ only
    in letter case are refused by the batch as a collision, so the tree is the same on
    case-insensitive file systems.

    ``iri`` is the IRI's text or an :class:`~akn_ep.akn.iri.FrbrUri` (its
    :meth:`~akn_ep.akn.iri.FrbrUri.manifestation_uri`). Text is mapped segment by segment
    without being read as FRBR components, so that any IRI a document carries has its path.

    Raises :class:`ValueError` for anything but an absolute ``/akn/`` manifestation IRI
    (last segment ``!name.ext``, no empty, ``.`` or ``..`` segments) or a path that would
    be too long.

    Example:
        >>> str(iri_to_path("/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/"
        ...                 "lav@2012-03-15/!main.xml"))
        'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml'
        >>> str(iri_to_path("/akn/eu/doc/x:(1)/con/!main.xml"))
        'akn/eu/doc/x~3A~281~29/~63on/main.xml'
        >>> str(iri_to_path(FrbrUri.parse("/akn/eu/doc/2020/7/eng@/!main.xml")))
        'akn/eu/doc/2020/7/eng@/main.xml'
    """
    if isinstance(iri, FrbrUri):
        iri = iri.manifestation_uri()
    if not isinstance(iri, str) or not iri.startswith("/akn/"):
        raise ValueError(f"not an absolute Akoma Ntoso IRI (/akn/…): {iri!r}")
    segments = iri[1:].split("/")
    if any(s in ("", ".", "..") for s in segments):
        raise ValueError(f"empty, '.' or '..' segment in IRI {iri!r}")
    last = segments[-1]
    if not last.startswith("!") or "." not in last[2:]:
        raise ValueError(f"not a manifestation IRI (last segment !name.ext): {iri!r}")
    parts = [_escape_segment(s) for s in segments[:-1]] + [_escape_segment(last[1:])]
    path = PurePosixPath(*parts)
    if len(str(path)) > MAX_PATH:
        raise ValueError(f"IRI gives a path longer than {MAX_PATH} characters: {iri!r}")
    return path


def path_to_iri(path: str | PurePosixPath) -> str:
    """The manifestation IRI of a path made by :func:`iri_to_path` (its inverse).

    Example:
        >>> path_to_iri("akn/eu/doc/x~3A~281~29/~63on/main.xml")
        '/akn/eu/doc/x:(1)/con/!main.xml'
    """
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] != "akn":
        raise ValueError(f"not a path made by iri_to_path: {str(path)!r}")
    segments = [_unescape_segment(p) for p in parts]
    segments[-1] = "!" + segments[-1]
    return "/" + "/".join(segments)


def flat_path(parts: Sequence[str]) -> PurePosixPath:
    """The output path of an input under ``--layout flat``: its own name, made safe.

    ``parts`` are the input's name parts: the name of the directory or archive given as
    source, then the path inside it (for a file given directly, just its name). Each
    part is escaped as in :func:`iri_to_path`; the last one's extension becomes ``.xml``.
    Deep paths over :data:`MAX_PATH` characters keep only their file name, under a folder
    named ``~~`` + a hash of the whole.

    Example:
        >>> str(flat_path(["corpus.zip", "clean", "TA-6-2007-0424_EN.txt"]))
        'corpus.zip/clean/TA-6-2007-0424_EN.xml'
        >>> str(flat_path(["..", "a b.txt"]))
        '~2E~2E/a~20b.xml'
    """
    names = [p for p in parts if p not in ("", ".")]
    if not names:
        raise ValueError("an input needs a name")
    last = names[-1]
    dot = last.rfind(".")
    stem = last[:dot] if dot > 0 else last
    escaped = [_escape_segment(p) for p in names[:-1]] + [_escape_segment(stem + ".xml")]
    path = PurePosixPath(*escaped)
    if len(str(path)) > MAX_PATH:
        digest = hashlib.sha256("/".join(names).encode("utf-8", "surrogatepass")).hexdigest()
        path = PurePosixPath(f"~~{digest[:16]}", escaped[-1])
    return path


def _fold(path: PurePosixPath) -> str:
    """The key under which outputs are compared: case-insensitive, as on Windows and macOS."""
    return str(path).casefold()


