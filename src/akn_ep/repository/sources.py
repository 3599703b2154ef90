"""The files a publish reads: folders walked in name order, and each document's IRI and text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from lxml import etree

from ..akn.names import AKN_NS
from ..akn.safexml import parse_xml
from ..errors import AknReadError

_AKN = f"{{{AKN_NS}}}"


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def iter_files(sources: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, str | None]]:
    """(path, error) for each XML file of the sources, folders walked in name order.

    Hidden files and folders (``.akn-ep`` of a batch folder, temporary files) are skipped.
    """
    for source in sources:
        path = os.fspath(source)
        if os.path.isdir(path):
            for top, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not _hidden(d))
                for name in sorted(files):
                    if not _hidden(name) and name.lower().endswith(".xml"):
                        yield os.path.join(top, name), None
        elif os.path.exists(path):
            yield path, None
        else:
            yield path, "cannot read: no such file or folder"


def manifestation_iri(root: etree._Element) -> str | None:
    el = root.find(f"{_AKN}*/{_AKN}meta/{_AKN}identification/{_AKN}FRBRManifestation/"
                   f"{_AKN}FRBRthis")
    return el.get("value") if el is not None else None


def document_text(data: bytes, root: etree._Element) -> str:
    """The document as text to send, without BOM or XML declaration (BaseX re-encodes it)."""
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = etree.tostring(root, encoding="unicode")
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :].lstrip(" \t\r\n")
    if not text.startswith("<"):  # never let BaseX read the string as a file name
        text = etree.tostring(root, encoding="unicode")
    return text


def same_content(stored: str, sent: str) -> bool:
    """Whether the document the server returns is the one we would send."""
    if stored.rstrip() == sent.rstrip():
        return True
    try:
        a = etree.tostring(parse_xml(stored.encode("utf-8")), method="c14n")
        b = etree.tostring(parse_xml(sent.encode("utf-8")), method="c14n")
    except AknReadError:
        return False
    return a == b
