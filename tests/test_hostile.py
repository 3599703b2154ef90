"""Hostile input: XML bombs and external references, and odd files given as text.

XML for ``from_akn`` and ``validate``: entity-expansion bombs (billion laughs, quadratic
blow-up), external entities and DTDs pointing at a local file and at a URL, XInclude, a
stylesheet processing instruction, ``xsi:schemaLocation``, 100,000 levels of nesting, a
60 MB text node. Each must be refused (or read without following the reference) quickly,
in bounded memory and without touching the file or the network. That is proved in a
child process, for every route (bytes, ``str``, a path):

- a ``sys.addaudithook`` hook records every ``open``, ``socket.*``, ``urllib.Request``,
  ``subprocess.Popen`` and ``os.system`` event while the hostile input is read -- Python
  level access;
- an inotify watch (Linux, through ctypes) on the local target file sees any ``open`` or
  read of it by any code, libxml2's C code included;
- the URL targets point at a TCP port this test listens on; a connection attempt, from
  any code, would be waiting in its backlog;
- the peak RSS of each call is its own (Linux: ``/proc/self/clear_refs`` resets the peak,
  ``VmHWM`` reads it; elsewhere the growth of the ``ru_maxrss`` high-water mark).

:func:`test_detectors_see_access` shows the three detectors do see a read, a C-level
read and a connection, so their silence in the other tests means something.

Odd files for ``parse_text``: empty, whitespace only, a PDF or DOCX given as text, UTF-16
without a BOM, every kind of line ending mixed, a BOM in the middle, a legacy code page.
"""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys
import textwrap
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

import akn_ep
from akn_ep import ParseError, parse_text, to_akn, validate
from akn_ep.limits import MAX_LINES, MAX_PDF_BYTES, MAX_TEXT_BYTES, MAX_XML_BYTES
from shared_corpus import CORPUS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fuzz" / "corpus_seeds" / "text"  # constructed for this project
NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
SECRET = "TOP-SECRET-CONTENT-7f3a"

# -- the child process ------------------------------------------------------------------

#: Run in a fresh interpreter: audit hooks cannot be removed, and each call's peak RSS must
#: be its own. Reads JSON {"cases": [[name, route, kind, params]], "tmp": dir, "warm": bool}
#: on stdin;
#: prints one JSON result per case.
_CHILD = textwrap.dedent(r"""
    import json, os, resource, sys, time
    import akn_ep
    from akn_ep.model import Paragraph, Resolution

    args = json.loads(sys.stdin.read())
    NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
    if args["warm"]:  # warm up: schema compiled, lazy imports done
        valid = akn_ep.to_akn(Resolution(lang="en", title="European Parliament resolution on X",
            formula="The European Parliament,", date="2012-03-15",
            body=(Paragraph("1.", "Instructs its President."),)))
        assert akn_ep.validate(valid) == []
        akn_ep.from_akn(valid)

    WATCHED = ("open", "socket.", "urllib.Request", "subprocess.Popen", "os.system",
               "os.exec", "os.posix_spawn", "ctypes.dlopen")
    events = []
    def hook(event, hook_args):
        if event.startswith(WATCHED):
            events.append([event, repr(hook_args)[:300]])
    sys.addaudithook(hook)

    def build(kind, p):
        if kind == "bytes":
            return p["data"].encode(p.get("encoding", "utf-8"), "surrogatepass")
        if kind == "deep":
            n = p["depth"]
            return (f'<akomaNtoso xmlns="{NS}">'.encode() + b"<b>" * n + b"</b>" * n
                    + b"</akomaNtoso>")
        if kind == "text-node":
            return (f'<akomaNtoso xmlns="{NS}"><doc name="x"><mainBody><p>'.encode()
                    + b"x" * p["size"] + b"</p></mainBody></doc></akomaNtoso>")
        if kind == "control-read":
            return p["path"]
        raise AssertionError(kind)

    def status_kb(field):
        with open("/proc/self/status") as fh:
            return int(next(l for l in fh if l.startswith(field)).split()[1])

    def reset_peak():  # Linux: "5" resets VmHWM, so each call's peak is its own
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
            return True
        except OSError:
            return False

    def rss_before(per_call):  # KiB
        if per_call:
            return status_kb("VmRSS:")
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    def peak_after(per_call):
        if per_call:
            return status_kb("VmHWM:")
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    out = []
    for name, route, kind, p in args["cases"]:
        data = build(kind, p)
        if route == "str":
            data = data.decode("utf-8", "surrogatepass")
        elif route == "path":
            path = os.path.join(args["tmp"], name + ".xml")
            with open(path, "wb") as fh:
                fh.write(data)
            data = path
        per_call = reset_peak()
        before = rss_before(per_call)
        del events[:]
        start = time.perf_counter()
        result = {}
        if kind == "control-read" and p["mode"] == "c":  # positive control: a read in C
            from lxml import etree
            try:
                etree.parse(data)  # libxml2 opens and reads the file itself
            except etree.XMLSyntaxError:
                pass
        elif kind == "control-read":  # positive control: Python-level access
            with open(data, "rb") as fh:
                fh.read()
            import socket
            socket.create_connection(("127.0.0.1", p["port"]), timeout=2).close()
        else:
            try:
                r = akn_ep.from_akn(data)
                result["from_akn"] = ["read", repr(r)]
            except akn_ep.AknReadError as exc:
                result["from_akn"] = [type(exc).__name__, str(exc)]
            result["validate"] = [[i.rule, i.message] for i in akn_ep.validate(data)]
        seconds, seen = time.perf_counter() - start, list(events)
        result.update(name=name, route=route, seconds=seconds, events=seen,
                      rss_growth_mb=(peak_after(per_call) - before) / 1024)
        out.append(result)
        del data
    print(json.dumps(out))
""")


def _inotify(path: Path) -> int | None:
    """A non-blocking inotify descriptor watching ``path`` for open and read, or None."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        return None
    in_access, in_open = 0x1, 0x20
    if libc.inotify_add_watch(fd, os.fsencode(path), in_access | in_open) < 0:
        os.close(fd)
        return None
    return fd


def _inotify_seen(fd: int | None) -> bool:
    if fd is None:
        return False
    try:
        return bool(os.read(fd, 4096))
    except BlockingIOError:
        return False


def _connection_waiting(server: socket.socket) -> bool:
    server.setblocking(False)
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


@pytest.fixture
def traps(tmp_path: Path):
    """A local file and a listening port for hostile references to point at."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", "utf-8")
    server = socket.create_server(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    fd = _inotify(secret)
    yield {"file": secret, "port": port, "url": f"http://127.0.0.1:{port}/x",
           "server": server, "inotify": fd, "tmp": tmp_path}
    server.close()
    if fd is not None:
        os.close(fd)


def _run_child(cases: list, traps: dict, warm: bool = True) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps({"cases": cases, "tmp": str(traps["tmp"]), "warm": warm}),
        capture_output=True, text=True, timeout=120, cwd=traps["tmp"],
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _assert_untouched(results: list[dict], traps: dict) -> None:
    """No file or network access to the traps happened, by any detector."""
    for r in results:
        touching = [e for e in r["events"]
                    if str(traps["file"]) in e[1] or str(traps["port"]) in e[1]
                    or e[0].startswith(("socket.", "urllib", "subprocess", "os.system"))]
        assert not touching, f"{r['name']} ({r['route']}): {touching}"
        # Python-level opens, if any, are imports from the installation, never the input's
        opens = [e for e in r["events"] if e[0] == "open"
                 and not any(str(Path(p).resolve()) in e[1] for p in
                             (sys.prefix, sys.base_prefix, ROOT / "src"))
                 and not (r["route"] == "path" and r["name"] in e[1])]
        assert not opens, f"{r['name']} ({r['route']}): {opens}"
        assert SECRET not in json.dumps(r), f"{r['name']}: the secret was read"
    assert not _inotify_seen(traps["inotify"]), "the trap file was opened or read"
    assert not _connection_waiting(traps["server"]), "something connected to the trap port"


# -- hostile XML -------------------------------------------------------------------------

_AKN = f'<akomaNtoso xmlns="{NS}"><doc name="x"><mainBody><p>{{body}}</p></mainBody></doc>' \
       "</akomaNtoso>"


def _hostile(traps: dict) -> dict[str, str]:
    file_url = traps["file"].as_uri()
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return {
        "billion-laughs": f'<?xml version="1.0"?><!DOCTYPE akomaNtoso [<!ENTITY l0 "lol">{lol}]>'
                          + _AKN.format(body="&l9;"),
        "quadratic-blowup": f'<!DOCTYPE akomaNtoso [<!ENTITY a "{"x" * 50_000}">]>'
                            + _AKN.format(body="&a;" * 50_000),
        "external-entity-file": f'<!DOCTYPE akomaNtoso [<!ENTITY s SYSTEM "{file_url}">]>'
                                + _AKN.format(body="&s;"),
        "external-entity-path": f'<!DOCTYPE akomaNtoso [<!ENTITY s SYSTEM "{traps["file"]}">]>'
                                + _AKN.format(body="&s;"),
        "external-entity-url": f'<!DOCTYPE akomaNtoso [<!ENTITY s SYSTEM "{traps["url"]}">]>'
                               + _AKN.format(body="&s;"),
        "external-dtd-url": f'<!DOCTYPE akomaNtoso SYSTEM "{traps["url"]}">'
                            + _AKN.format(body="x"),
        "external-dtd-file": f'<!DOCTYPE akomaNtoso PUBLIC "-//x//EN" "{file_url}">'
                             + _AKN.format(body="x"),
        "parameter-entity-url": f'<!-- c --><!DOCTYPE a [<!ENTITY % r SYSTEM "{traps["url"]}">'
                                f" %r;]>" + _AKN.format(body="x"),
        "xinclude-file": _AKN.format(
            body=f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{file_url}" '
                 'parse="text"/>'),
        "xinclude-url": _AKN.format(
            body=f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{traps["url"]}"'
                 ' parse="xml"/>'),
        "stylesheet-pi": f'<?xml-stylesheet type="text/xsl" href="{traps["url"]}"?>'
                         + _AKN.format(body="x"),
        "schema-location": _AKN.format(body="x").replace(
            f'xmlns="{NS}"', f'xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xsi:schemaLocation="{NS} {traps["url"]}"', 1),
        "dtd-behind-bom": "\ufeff" + f'<!DOCTYPE a [<!ENTITY s SYSTEM "{file_url}">]>'
                          + _AKN.format(body="&s;"),
        "dtd-in-utf16": f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY s SYSTEM '
                        f'"{file_url}">]>' + _AKN.format(body="&s;"),
    }


#: Refused unparsed: the document declares a DTD.
_DTD_CASES = ("billion-laughs", "quadratic-blowup", "external-entity-file", "external-entity-path",
              "external-entity-url", "external-dtd-url", "external-dtd-file",
              "parameter-entity-url", "dtd-behind-bom", "dtd-in-utf16")


def test_hostile_xml_is_refused_without_file_or_network_access(traps: dict) -> None:
    cases = []
    for name, xml in _hostile(traps).items():
        params = {"data": xml}
        if name == "dtd-in-utf16":
            cases.append([name, "bytes", "bytes", {"data": xml, "encoding": "utf-16"}])
            continue
        for route in ("bytes", "str", "path"):
            cases.append([name, route, "bytes", params])
    results = _run_child(cases, traps)
    assert len(results) == len(cases)
    for r in results:
        where = f"{r['name']} ({r['route']})"
        if r["name"] in _DTD_CASES:
            assert r["from_akn"][0] == "UnsafeXmlError", where
            assert "declares a DTD" in r["from_akn"][1], where
            assert [rule for rule, _ in r["validate"]] == ["xml-unsafe"], where
        else:  # read or refused as not a resolution, but the reference is never followed
            assert r["from_akn"][0] in ("read", "AknReadError"), where
            assert all(rule != "xml-unsafe" for rule, _ in r["validate"]), where
        assert r["seconds"] < 2.0, where
        assert r["rss_growth_mb"] < 50, where
    _assert_untouched(results, traps)


def test_deep_nesting_is_refused_quickly_in_bounded_memory(traps: dict) -> None:
    cases = [["deep", route, "deep", {"depth": 100_000}] for route in ("bytes", "str", "path")]
    cases.append(["deep-at-limit", "bytes", "deep", {"depth": 254}])  # + akomaNtoso + b = 256
    results = _run_child(cases, traps)
    for r in results[:3]:
        assert r["from_akn"][0] == "UnsafeXmlError", r
        assert "nested more than 256 levels deep" in r["from_akn"][1]
        assert [rule for rule, _ in r["validate"]] == ["xml-unsafe"]
        assert r["seconds"] < 2.0 and r["rss_growth_mb"] < 50, r
    at_limit = results[3]  # parsed, then refused as not a resolution: not a limit
    assert at_limit["from_akn"][0] == "AknReadError", at_limit
    assert all(rule != "xml-unsafe" for rule, _ in at_limit["validate"])
    _assert_untouched(results, traps)


def test_huge_text_nodes_are_refused_in_bounded_memory(traps: dict) -> None:
    cases = [
        ["text-60mb", "bytes", "text-node", {"size": 60_000_000}],  # over MAX_XML_BYTES
        ["text-60mb", "path", "text-node", {"size": 60_000_000}],  # read only up to the limit
        ["text-60mb", "str", "text-node", {"size": 60_000_000}],  # refused on its length
        ["text-12mb", "bytes", "text-node", {"size": 12_000_000}],  # over MAX_XML_TEXT
    ]
    results = _run_child(cases, traps)
    for r in results[:3]:
        assert r["from_akn"][0] == "UnsafeXmlError", r
        assert f"exceeds the limit of {MAX_XML_BYTES} bytes" in r["from_akn"][1]
        assert [rule for rule, _ in r["validate"]] == ["xml-unsafe"]
        # bytes: refused on their length; a path: read up to the limit + 1 byte; a str: cut
        # to the limit before encoding (the slice and its bytes): about twice the limit
        limit_mb = MAX_XML_BYTES / 2**20
        bound = {"bytes": 10, "path": limit_mb + 15, "str": 2 * limit_mb + 25}[r["route"]]
        assert r["rss_growth_mb"] < bound, r
        assert r["seconds"] < 3.0, r
    big = results[3]
    assert big["from_akn"][0] == "UnsafeXmlError", big
    assert "text node, attribute value or name longer than 10000000 bytes" in big["from_akn"][1]
    assert [rule for rule, _ in big["validate"]] == ["xml-unsafe"]
    assert big["rss_growth_mb"] < 100 and big["seconds"] < 3.0, big
    _assert_untouched(results, traps)


def test_detectors_see_access(traps: dict) -> None:
    """Positive control: the audit hook sees a Python open and a connection, the listening
    port sees the connection, and inotify sees a read by libxml2's C code -- which the audit
    hook does not see, hence the inotify watch."""
    c_level = _run_child([["control", "bytes", "control-read",
                           {"path": str(traps["file"]), "port": traps["port"], "mode": "c"}]],
                         traps, warm=False)
    assert not [e for e in c_level[0]["events"] if str(traps["file"]) in e[1]]
    if traps["inotify"] is not None:
        assert _inotify_seen(traps["inotify"])
    python = _run_child([["control", "bytes", "control-read",
                          {"path": str(traps["file"]), "port": traps["port"], "mode": "py"}]],
                        traps, warm=False)
    events = [e[0] for e in python[0]["events"]]
    assert "open" in events and "socket.connect" in events, events
    assert _connection_waiting(traps["server"])


def test_str_that_is_not_xml_is_a_path() -> None:
    """Documented behaviour (docs/security.md): a ``str`` not starting with "<" names a file;
    untrusted XML must be passed as bytes. A missing file is an OSError, not a crash."""
    with pytest.raises(OSError):
        akn_ep.from_akn("no such file.xml")


# -- odd files as text --------------------------------------------------------------------


def _reference() -> tuple[bytes, akn_ep.Resolution]:
    data = (SEEDS / "en_full.txt").read_bytes()
    return data, parse_text(data)


def test_empty_and_blank_input_are_clear_errors() -> None:
    for data in (b"", "", b"   \n\t\n  \r\n", "\ufeff", b"\xef\xbb\xbf", b"\xff\xfe",
                 "\n" * 1000, "\f\f\f"):
        with pytest.raises(ParseError, match="empty") as exc:
            parse_text(data)
        assert exc.value.line in (None, 1)


@pytest.mark.parametrize("data,what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "PDF"),
    (None, "DOCX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Word .doc"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    (bytes(range(256)) * 40, "binary"),
])
def test_files_that_are_not_text_are_refused_as_a_whole(data: bytes | None, what: str) -> None:
    if data is None:
        buf = BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
        data = buf.getvalue()
    with pytest.raises(ParseError, match=what) as exc:
        parse_text(data)
    assert exc.value.line is None


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-8-sig"])
def test_unicode_encodings_with_and_without_bom(encoding: str) -> None:
    data, ref = _reference()
    assert parse_text(data.decode("utf-8").encode(encoding)) == ref


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\u2028", "\u2029", "\x85", "mixed"])
def test_line_endings(ending: str) -> None:
    data, ref = _reference()
    text = data.decode("utf-8")
    if ending == "mixed":
        seps = ["\n", "\r\n", "\r", "\u2028"]
        lines = text.split("\n")
        text = "".join(line + seps[i % 4] for i, line in enumerate(lines))
    else:
        text = text.replace("\n", ending)
    assert parse_text(text) == ref
    assert parse_text(text.encode("utf-8")) == ref


def test_bom_in_the_middle_is_removed_with_a_note() -> None:
    data, ref = _reference()
    text = data.decode("utf-8")
    middle = text.index("B. whereas")
    r = parse_text(text[:middle] + "\ufeff" + text[middle:])
    assert r == ref
    mixed = data[:middle] + b"\xef\xbb\xbf" + data[middle:]  # two files concatenated
    assert parse_text(mixed) == ref


def test_nul_bytes_and_controls_are_replaced_not_fatal() -> None:
    data, ref = _reference()
    text = data.decode("utf-8").replace("whereas the canals", "whereas the\x00canals")
    r = parse_text(text)  # the NUL becomes a space, as the extraction tool meant
    assert r == ref and validate(to_akn(r)) == []
    r = parse_text(text.encode("utf-8").replace(b"canals", b"can\x01\x7f\x1bals"))
    assert validate(to_akn(r)) == []


@pytest.mark.skipif(not (CORPUS / "seed").is_dir(), reason=f"no EP corpus at {CORPUS}")
def test_real_resolution_in_its_legacy_code_page_and_utf16() -> None:
    seed = next((CORPUS / "seed").glob("*.txt"))
    ref = parse_text(seed.read_bytes())
    text = seed.read_text("utf-8")
    assert parse_text(text.encode("cp1257")) == ref  # Latvian in the Baltic Windows code page
    assert parse_text(text.encode("utf-16-le")) == ref  # no BOM
    assert parse_text(text.replace("\n", "\r\n").encode("utf-16-be")) == ref


# -- sizes at the edge of the limits (the limits themselves: tests/test_limits.py) ----------


def test_text_just_under_the_limits_is_read() -> None:
    data, ref = _reference()
    padding = b"\n" * (MAX_LINES - data.count(b"\n") - 2)
    assert parse_text(data + padding) == ref
    assert len(data + padding) < MAX_TEXT_BYTES


def test_pdf_limit_is_enforced_before_reading_everything(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(MAX_PDF_BYTES + 10)  # sparse: no disk used
    for source in (big, str(big), big.read_bytes()):
        with pytest.raises(ParseError, match="too large") as exc:
            akn_ep.parse_pdf(source)
        assert exc.value.line is None


def test_the_reused_parser_keeps_nothing_between_documents() -> None:
    """safexml keeps one parser per thread (libxml2's name dictionary is reused): a refused
    or broken document leaves nothing behind for the next, and threads never share one."""
    import threading

    from akn_ep.akn.safexml import MalformedXmlError, UnsafeXmlError, parse_xml

    good = b"<a><b>text</b></a>"
    for bad, error in [(b"<a><b></a>", MalformedXmlError),
                       (b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', UnsafeXmlError),
                       (b"<a>" * 300 + b"</a>" * 300, UnsafeXmlError)]:
        with pytest.raises(error):
            parse_xml(bad)
        assert parse_xml(good)[0].text == "text"
    results: list[str] = []

    def read(n: int) -> None:
        for _ in range(200):
            results.append(parse_xml(f"<a><b>{n}</b></a>".encode())[0].text)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(str(n) for n in range(4) for _ in range(200))
