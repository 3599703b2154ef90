"""The per-document function: one input's bytes → its record and validated XML.

Pure (no files, no global state), so it runs in the batch's workers as well as on any
distributed engine (``docs/batch.md``, "Bigger than one machine").
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..akn.iri import frbr_iris, guessed
from ..akn.validate import validate
from ..akn.writer import to_akn
from ..errors import LanguageError, ModelError, ParseError
from ..html import is_html, parse_html
from ..model import iter_footnotes
from ..pdf import is_pdf, parse_pdf
from ..text import parse_text

#: Fields of every document record, in this order (see ``docs/batch.md``).
RECORD_FIELDS = (
    "type", "input", "source", "member", "status", "output", "lang", "iri", "counts",
    "warnings", "error", "error_kind", "sha256", "bytes", "guessed",
)  # fmt: skip


def _blank_record(name: str, data: bytes | None) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
    record.update(type="document", input=name, source=name, warnings=[])
    if data is not None:
        record.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    return record


def _fail(record: dict[str, Any], kind: str, message: str) -> dict[str, Any]:
    record.update(status="failed", error_kind=kind, error=message)
    return record


def convert_one(
    name: str, data: bytes, *, lang: str | None = None, date: str | None = None,
    ta_number: str | None = None, frbr_uri: str | None = None,
) -> tuple[dict[str, Any], bytes | None]:
    """Convert one document: its record and, when it converted, its validated XML.

    Pure and picklable: the result depends only on the arguments (no files, no
    global state), so it can run anywhere — a process pool, Dask, Ray. ``name`` only
    labels the record; ``date``, ``ta_number`` and ``frbr_uri`` state the document's
    identity (see :func:`akn_ep.parse_text`). The record has every field of
    :data:`RECORD_FIELDS`:
    ``status`` is ``"converted"`` (XML returned, valid) or ``"failed"`` (XML is None;
    ``error_kind`` is ``parse``, ``language``, ``model``, ``invalid`` or ``internal``,
    and ``error`` says why); ``output`` is left None (the caller decides the layout,
    e.g. with :func:`iri_to_path` of ``record["iri"]``); ``guessed`` lists the components
    of the IRI that are not the EP's own (``date``, ``number``: see
    :func:`akn_ep.akn.iri.guessed`). Never raises for bad input.

    Example:
        >>> rec, xml = convert_one("x.txt", b"Resolution on X\\nThe European Parliament,\\n"
        ...                        b"1. Instructs its President to forward it.\\n", lang="en")
        >>> rec["status"], rec["counts"], xml[:5]
        ('converted', {'citations': 0, 'recitals': 0, 'paragraphs': 1, 'footnotes': 0}, b'<?xml')
        >>> rec["guessed"]
        ['date', 'number']
        >>> rec, xml = convert_one("bad.pdf", b"%PDF-1.4 damaged")
        >>> rec["status"], rec["error_kind"], xml
        ('failed', 'parse', None)
    """
    record = _blank_record(name, data)
    record["lang"] = lang
    try:
        # a PDF (recognised by its content) is read layout-aware, a web page from its
        # markup, anything else as text
        parse = parse_pdf if is_pdf(data) else parse_html if is_html(data) else parse_text
        r = parse(data, lang=lang, date=date, ta_number=ta_number, frbr_uri=frbr_uri)
        record.update(
            lang=r.lang,
            iri=frbr_iris(r).manifestation_uri(),
            guessed=list(guessed(r)),
            counts={
                "citations": len(r.citations),
                "recitals": len(r.recitals),
                "paragraphs": sum(1 for _ in r.paragraphs()),
                "footnotes": sum(1 for _ in iter_footnotes(r)),
            },
            warnings=list(r.report.warnings),
        )
        xml = to_akn(r)
        issues = validate(xml)
    except LanguageError as exc:
        return _fail(record, "language", str(exc)), None
    except ParseError as exc:
        return _fail(record, "parse", str(exc)), None
    except ModelError as exc:
        return _fail(record, "model", str(exc)), None
    except Exception as exc:  # noqa: BLE001 - a bad document must never stop a batch
        return _fail(record, "internal", f"{type(exc).__name__}: {exc}"), None
    if issues:
        more = f" (+{len(issues) - 5} more)" if len(issues) > 5 else ""
        message = "output not valid: " + "; ".join(str(i) for i in issues[:5]) + more
        return _fail(record, "invalid", message), None
    record["status"] = "converted"
    return record, xml


