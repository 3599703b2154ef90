"""The pdfminer.six internals the PDF route relies on, checked once before first use.

:mod:`akn_ep.pdf.interpret` subclasses pdfminer's page interpreter and layout device (it
overrides ``render_string_horizontal``, ``execute``, ``render_contents``) and
:mod:`akn_ep.pdf.streams` decodes pdfminer's streams itself (``PDFStream`` attributes,
its filter literals, its predictor and decoder functions). None of that is pdfminer's
public API, so a new release may move it. This module lists every such name in one place
and :func:`check` looks them all up before the first PDF is read: a release that moved one
fails with a :class:`~akn_ep.errors.DependencyError` naming the installed version, the
names that moved and the versions akn-ep is tested with — never as "the PDF is damaged",
which is what the reader's catch-all would otherwise make of an ``ImportError``.

``pyproject.toml`` declares the range of releases tested (:data:`TESTED`); the check looks at
the names themselves, not at the version, so a newer release that keeps them works.

Example:
    >>> check()  # the installed pdfminer.six has everything: nothing happens
    >>> sorted(REQUIRED)[:2]
    ['pdfminer.ascii85', 'pdfminer.ccitt']
"""

from __future__ import annotations

import functools
import importlib
import inspect
from importlib import metadata

from ..errors import DependencyError

__all__ = ["REQUIRED", "HORIZONTAL_PARAMETERS", "TESTED", "check", "problems"]

#: The releases of pdfminer.six akn-ep is tested with (pyproject.toml says the same).
TESTED = ">=20251229,<20270000"

#: Module -> the names in it the PDF route uses (``Class.attribute`` for a method or class
#: attribute it overrides or calls). ``tests/test_packaging.py`` fails when a module of
#: akn_ep imports a pdfminer name that is not listed here.
REQUIRED: dict[str, tuple[str, ...]] = {
    "pdfminer.ascii85": ("asciihexdecode", "end_re", "start_re", "ascii85decode"),
    "pdfminer.ccitt": ("ccittfaxdecode",),
    "pdfminer.cmapdb": ("FileCMap", "FileCMap.add_code2cid", "FileUnicodeMap",
                        "FileUnicodeMap.add_cid2unichr"),
    "pdfminer.converter": ("PDFLayoutAnalyzer", "PDFLayoutAnalyzer.begin_page",
                           "PDFLayoutAnalyzer.end_page", "PDFLayoutAnalyzer.render_image",
                           "PDFLayoutAnalyzer.paint_path",
                           "PDFLayoutAnalyzer.render_string_horizontal",
                           "PDFLayoutAnalyzer.render_string_vertical"),
    "pdfminer.lzw": ("LZWDecoder",),
    "pdfminer.pdfdocument": ("PDFDocument", "PDFDocument.getobj", "PDFEncryptionError",
                             "PDFPasswordIncorrect"),
    "pdfminer.pdfexceptions": ("PDFNotImplementedError",),
    "pdfminer.pdffont": ("PDFUnicodeNotDefined",),
    "pdfminer.pdfinterp": ("PDFPageInterpreter", "PDFPageInterpreter.execute",
                           "PDFPageInterpreter.render_contents",
                           "PDFPageInterpreter.process_page", "PDFResourceManager"),
    "pdfminer.pdfpage": ("PDFPage", "PDFPage.create_pages"),
    "pdfminer.pdfparser": ("PDFParser",),
    "pdfminer.pdftypes": ("PDFStream", "PDFStream.decode", "PDFStream.get_data",
                          "PDFStream.get_filters", "LITERAL_CRYPT", "LITERALS_ASCII85_DECODE",
                          "LITERALS_ASCIIHEX_DECODE", "LITERALS_CCITTFAX_DECODE",
                          "LITERALS_DCT_DECODE", "LITERALS_FLATE_DECODE",
                          "LITERALS_JBIG2_DECODE", "LITERALS_JPX_DECODE", "LITERALS_LZW_DECODE",
                          "LITERALS_RUNLENGTH_DECODE", "int_value", "list_value",
                          "stream_value"),
    "pdfminer.psparser": ("KWD", "LIT", "PSKeyword", "PSLiteral"),
    "pdfminer.utils": ("MATRIX_IDENTITY", "apply_matrix_pt", "apply_png_predictor",
                       "apply_tiff_predictor"),
}

#: The parameters of ``PDFLayoutAnalyzer.render_string_horizontal``, which the reader
#: overrides: pdfminer calls it with them in this order.
HORIZONTAL_PARAMETERS = ("self", "seq", "matrix", "pos", "font", "fontsize", "scaling",
                         "charspace", "wordspace", "rise", "dxscale", "ncs", "graphicstate")


def _version() -> str:
    try:
        return metadata.version("pdfminer.six")
    except metadata.PackageNotFoundError:
        return "unknown"


def problems() -> list[str]:
    """What is missing or changed among the internals the PDF route uses (empty: none).

    Example:
        >>> problems()
        []
    """
    found: list[str] = []
    for module_name, names in REQUIRED.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            found.append(f"{module_name} ({exc})")
            continue
        for name in names:
            target: object = module
            for part in name.split("."):
                target = getattr(target, part, _MISSING)
                if target is _MISSING:
                    found.append(f"{module_name}.{name}")
                    break
    if not found:
        from pdfminer.converter import PDFLayoutAnalyzer

        params = tuple(inspect.signature(PDFLayoutAnalyzer.render_string_horizontal).parameters)
        if params != HORIZONTAL_PARAMETERS:
            found.append("pdfminer.converter.PDFLayoutAnalyzer.render_string_horizontal"
                         f"{'(' + ', '.join(params) + ')'} (expected "
                         f"({', '.join(HORIZONTAL_PARAMETERS)}))")
    return found


_MISSING = object()


@functools.cache
def check() -> None:
    """Raise :class:`~akn_ep.errors.DependencyError` if a pdfminer.six internal the PDF route
    uses is missing or changed (once per process; :func:`problems` says what)."""
    found = problems()
    if found:
        raise DependencyError(
            f"the PDF route cannot use the installed pdfminer.six {_version()}: it relies on "
            f"pdfminer internals that this release moved or changed ({'; '.join(found)}); "
            f"akn-ep is tested with pdfminer.six{TESTED}: "
            f"pip install 'pdfminer.six{TESTED}'")
