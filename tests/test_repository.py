"""``akn-ep publish`` against a real BaseX server that these tests start (see basex_server.py).

The server is Debian's ``basexserver`` (BaseX 9.7.2) on 127.0.0.1, a free port, a temporary
home; without it the server tests skip, except under CI (``CI`` set), where they fail.
The corpus tests use ``../shared/corpus`` and skip without it; the interruption tests use
documents generated from the corpus (or from ``examples/`` without it).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import akn_ep
from akn_ep import cli
from akn_ep.repository import (
    META_ROOT,
    Connection,
    Credentials,
    CredentialsError,
    InsecureConfigError,
    LoginRefusedError,
    PortClosedError,
    PublishRecord,
    ServerError,
    ServerTimeoutError,
    ServerUnavailableError,
    UnknownHostError,
    connect,
    db_path,
    load_credentials,
    parse_address,
    publish,
)
from basex_server import (
    REPO,
    BaseXServer,
    CutProxy,
    basexserver_or_skip,
    corpus_documents,
    free_port,
    manifestation_iri,
    variants,
    write_folder,
)

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"akn": AKN}
DOC = REPO / "docs" / "repository.md"


# -- helpers ----------------------------------------------------------------------------------


def documented_queries() -> dict[str, str]:
    """The ```xquery blocks of docs/repository.md, by the name in their first comment."""
    blocks = re.findall(r"```xquery\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    queries = {}
    for block in blocks:
        m = re.match(r"\(: ([a-z-]+):", block)
        assert m, f"an xquery block of {DOC.name} has no (: name: … :) first line"
        queries[m.group(1)] = block
    return queries


def stored_body(xml: bytes) -> str:
    """What BaseX gives back for a file: the document without XML declaration, as text."""
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    return text.strip()


def c14n(text: str | bytes) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return etree.tostring(etree.fromstring(data), method="c14n")


FETCH = """declare option output:indent "no";
declare variable $db external; declare variable $path external;
db:open($db, $path)"""


def db_paths(conn: Connection, db: str, under: str = "akn") -> list[str]:
    q = "declare variable $db external; declare variable $p external; string-join(db:list($db, $p), '&#10;')"  # noqa: E501
    return sorted(p for p in conn.query(q, db=db, p=under).splitlines() if p)


def db_timestamp(conn: Connection, db: str) -> str:
    return conn.query("declare variable $db external; "
                      "string(db:info($db)//databaseproperties/timestamp)", db=db)


def assert_db_equals_files(conn: Connection, db: str, files: dict[str, Path]) -> None:
    """The database holds exactly these documents under akn/, each equal to its file."""
    expected = sorted(db_path(iri) for iri in files)
    assert db_paths(conn, db) == expected
    for iri, path in files.items():
        stored = conn.query(FETCH, db=db, path=db_path(iri))
        body = stored_body(path.read_bytes())
        assert stored == body, f"{db_path(iri)} differs from {path}"
        assert c14n(stored) == c14n(path.read_bytes())


def statuses(records: list[PublishRecord]) -> Counter[str]:
    return Counter(r.status for r in records)


def run(folder: Path | list, server: BaseXServer, db: str, **kw) -> list[PublishRecord]:
    return list(publish(folder, basex=server.address, db=db, user=server.user,
                        password=server.password, timeout=30, **kw))


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    srv = BaseXServer(tmp_path_factory.mktemp("basex"))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def corpus_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The corpus as ``akn-ep batch`` lays it out: (folder, IRI -> file)."""
    docs = corpus_documents()
    folder = tmp_path_factory.mktemp("repo")
    return folder, write_folder(folder, list(docs.values()))


@pytest.fixture(scope="module")
def published(server: BaseXServer, corpus_repo) -> tuple[str, list[PublishRecord]]:
    """The corpus published once into a fresh database "corpus"."""
    folder, _ = corpus_repo
    return "corpus", run(folder, server, "corpus")


@pytest.fixture
def conn(server: BaseXServer):
    with connect(server.address, server.credentials, timeout=30) as c:
        yield c


# -- no server needed -------------------------------------------------------------------------


def test_parse_address():
    assert parse_address("127.0.0.1:1984") == ("127.0.0.1", 1984)
    assert parse_address("[::1]:2000") == ("::1", 2000)
    assert parse_address("localhost") == ("localhost", 1984)
    for bad in ("127.0.0.1:x", "127.0.0.1:0", "127.0.0.1:70000", ":1984"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_db_path_is_the_batch_layout():
    iri = "/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml"
    assert db_path(iri) == (
        "akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml")
    with pytest.raises(ValueError):
        db_path("/akn/eu/../x/!main.xml")


def test_password_from_environment(monkeypatch):
    monkeypatch.setenv("AKN_TEST_PW", "pw-from-env")
    assert load_credentials(user="akn", password_env="AKN_TEST_PW") == Credentials(
        "akn", "pw-from-env")
    assert "pw-from-env" not in repr(load_credentials(password_env="AKN_TEST_PW"))
    monkeypatch.delenv("AKN_TEST_PW")
    with pytest.raises(CredentialsError, match="AKN_TEST_PW"):
        load_credentials(password_env="AKN_TEST_PW")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o602])
def test_config_readable_by_others_is_refused(tmp_path, mode):
    ini = tmp_path / "basex.ini"
    ini.write_text("[basex]\nuser = akn\npassword = s3cret\n")
    ini.chmod(mode)
    with pytest.raises(InsecureConfigError, match="chmod 600") as exc:
        load_credentials(config=ini)
    assert "s3cret" not in str(exc.value)


def test_config_of_owner_only_is_read(tmp_path):
    ini = tmp_path / "basex.ini"
    ini.write_text("[basex]\nuser = akn\npassword = s3cret\n")
    ini.chmod(0o600)
    assert load_credentials(config=ini) == Credentials("akn", "s3cret")
    assert load_credentials(config=ini, user="other").user == "other"
    ini.write_text("[other]\n")
    with pytest.raises(CredentialsError, match=r"no \[basex\] section"):
        load_credentials(config=ini)


def test_cli_refuses_world_readable_config_in_one_line(tmp_path, capsys):
    ini = tmp_path / "basex.ini"
    ini.write_text("[basex]\npassword = s3cret\n")
    ini.chmod(0o644)
    code = cli.main(["publish", str(tmp_path), "--basex", "127.0.0.1:1", "--db", "x",
                     "--config", str(ini)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("akn-ep: error: ") and "chmod 600" in err
    assert "s3cret" not in err


def test_closed_port_is_a_typed_error(capsys):
    port = free_port()  # nothing listens there
    with pytest.raises(PortClosedError, match="connection refused"):
        connect(f"127.0.0.1:{port}", Credentials("u", "p"), timeout=5)
    assert isinstance(PortClosedError("x"), ConnectionError)
    os.environ["AKN_TEST_PW2"] = "pw"
    try:
        code = cli.main(["publish", str(REPO), "--basex", f"127.0.0.1:{port}", "--db", "x",
                         "--password-env", "AKN_TEST_PW2"])
    finally:
        del os.environ["AKN_TEST_PW2"]
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "connection refused" in err


def test_unknown_host_is_a_typed_error(monkeypatch):
    # No DNS query leaves the machine: the resolver answer is simulated, and the second
    # name is refused before any lookup (a label longer than 63 characters).
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with monkeypatch.context() as m:
        m.setattr(socket, "getaddrinfo", no_such_host)
        with pytest.raises(UnknownHostError, match="unknown host 'db.example'"):
            connect("db.example:1984", Credentials("u", "p"), timeout=5)
    with pytest.raises(UnknownHostError):
        connect("x" * 64 + ".invalid:1984", Credentials("u", "p"), timeout=5)


def test_silent_server_times_out():
    # A loopback listener that accepts and never answers (not BaseX): a bounded wait.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        start = time.monotonic()
        with pytest.raises(ServerTimeoutError):
            connect(f"127.0.0.1:{port}", Credentials("u", "p"), timeout=1)
        assert time.monotonic() - start < 10


def test_server_that_hangs_up_is_not_an_endless_loop():
    # BaseXClient 8.4.4 alone spins forever when the server closes the connection.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def hang_up():
            c, _ = listener.accept()
            c.sendall(b"HTTP/1.0 400 Bad Request\r\n")
            c.close()

        t = threading.Thread(target=hang_up, daemon=True)
        t.start()
        with pytest.raises(ServerUnavailableError, match="closed the connection"):
            connect(f"127.0.0.1:{port}", Credentials("u", "p"), timeout=5)
        t.join(5)


# -- the corpus in a real server --------------------------------------------------------------


def test_publish_stores_every_corpus_document_at_its_iri_path(published, corpus_repo, conn):
    db, records = published
    _, files = corpus_repo
    assert statuses(records) == {"stored": len(files)}
    for rec in records:
        assert rec.iri == manifestation_iri(Path(rec.source).read_bytes())
        assert rec.db_path == db_path(rec.iri)
        assert rec.sha256 == hashlib.sha256(Path(rec.source).read_bytes()).hexdigest()
    assert_db_equals_files(conn, db, files)
    # one hash record per document, in the same transaction as the document
    assert db_paths(conn, db, META_ROOT) == sorted(f"{META_ROOT}/{db_path(i)}" for i in files)


def test_documented_query_recitals_by_eid(published, corpus_repo, conn):
    db, _ = published
    _, files = corpus_repo
    query = documented_queries()["recitals-by-eid"]
    works = {iri.rsplit("/", 2)[0] for iri in files}
    assert "/akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95" in works
    checked = 0
    for work in sorted(works):
        want: dict[str, dict[str, str]] = {}  # eId -> lang -> text, from the files
        for iri, path in files.items():
            if iri.startswith(work + "/"):
                root = etree.parse(str(path))
                lang = root.find(".//akn:FRBRExpression/akn:FRBRlanguage", NS).get("language")
                for rec in root.iterfind(".//akn:recital", NS):
                    text = " ".join("".join(p.itertext()) for p in rec.iterfind("akn:p", NS))
                    want.setdefault(rec.get("eId"), {})[lang] = " ".join(text.split())
        out = etree.fromstring(f"<r>{conn.query(query, db=db, work=work)}</r>")
        got = {r.get("eId"): {t.get("lang"): t.text or "" for t in r} for r in out}
        assert got == want, work
        checked += bool(want)
    assert checked >= 2
    # what we know of the inputs: the Italian and German versions of one resolution, A-C
    out = etree.fromstring("<r>" + conn.query(
        query, db=db, work="/akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95") + "</r>")
    assert [r.get("eId") for r in out] == ["recs_1__rec_A", "recs_1__rec_B", "recs_1__rec_C"]
    assert all(sorted(t.get("lang") for t in r) == ["deu", "ita"] for r in out)
    assert out[0][1].text.startswith("considerando che il 23 gennaio 1995")


def test_documented_query_resolutions_of_procedure(published, corpus_repo, conn):
    db, _ = published
    _, files = corpus_repo
    query = documented_queries()["resolutions-of-procedure"]
    by_procedure: dict[str, list[str]] = {}
    for iri, path in files.items():
        alias = etree.parse(str(path)).find(".//akn:FRBRalias[@name='procedureReference']", NS)
        if alias is not None:
            by_procedure.setdefault(alias.get("value"), []).append(iri)
    assert "2012/2553(RSP)" in by_procedure and len(by_procedure) >= 8
    for procedure, iris in by_procedure.items():
        out = etree.fromstring(f"<r>{conn.query(query, db=db, procedure=procedure)}</r>")
        assert [r.get("manifestation") for r in out] == sorted(iris), procedure
        assert [r.get("path") for r in out] == [db_path(i) for i in sorted(iris)]
    assert conn.query(query, db=db, procedure="1999/9999(COD)") == ""


def test_documented_query_citations_of_ta_number(published, corpus_repo, conn):
    db, _ = published
    _, files = corpus_repo
    query = documented_queries()["citations-of-ta"]
    seed = "/akn/eu/statement/resolution/ep/2012-03-15/proc-2012-2553-RSP/lav@2012-03-15/!main.xml"
    for ta, eid, marker in (("P7_TA(2011)0588", "cits_1__cit_10", "1"),
                            ("P7_TA(2012)0058", "cits_1__cit_11", "2")):
        want = sorted(
            (iri, cit.get("eId"))
            for iri, path in files.items()
            for cit in etree.parse(str(path)).iterfind(".//akn:citation", NS)
            if ta in "".join(cit.itertext())
        )
        assert want == [(seed, eid)]  # what we know of the seed: its two footnotes
        out = etree.fromstring(f"<r>{conn.query(query, db=db, ta=ta)}</r>")
        assert [(c.get("manifestation"), c.get("eId")) for c in out] == want
        note = out[0].find("note")
        assert note.get("marker") == marker and ta in note.text
        assert ta not in out[0].find("text").text
    assert conn.query(query, db=db, ta="P9_TA(2099)9999") == ""


def test_documented_query_published_records(published, corpus_repo, conn):
    db, _ = published
    _, files = corpus_repo
    out = conn.query(documented_queries()["published-records"], db=db).splitlines()
    got = {line.split()[0]: line.split()[1] for line in out}
    assert got == {db_path(iri): hashlib.sha256(p.read_bytes()).hexdigest()
                   for iri, p in files.items()}


def test_documented_basexclient_command_runs(published, server, tmp_path):
    # the command line of docs/repository.md, with this server's port and user
    db, _ = published
    line = next(x for x in DOC.read_text().splitlines() if x.startswith("basexclient "))
    query = tmp_path / "citations.xq"
    query.write_text(documented_queries()["citations-of-ta"])
    args = line.replace("-p1984", f"-p{server.port}").replace("-Uakn", f"-U{server.user}")
    args = args.replace("-bdb=ep", f"-bdb={db}").replace("citations.xq", str(query))
    exe = shutil.which("basexclient")
    assert exe, "Debian's basex package installs basexclient"
    r = subprocess.run([exe, *shlex.split(args)[1:]], input=server.password + "\n",
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert 'eId="cits_1__cit_10"' in r.stdout


def test_second_publish_changes_nothing(published, corpus_repo, server, conn):
    db, _ = published
    folder, files = corpus_repo
    before = db_timestamp(conn, db)
    records = run(folder, server, db)
    assert statuses(records) == {"unchanged": len(files)}
    assert db_timestamp(conn, db) == before  # not a single write
    assert_db_equals_files(conn, db, files)
    # --verify compares the stored documents themselves: still nothing to do
    assert statuses(run(folder, server, db, verify=True)) == {"unchanged": len(files)}


# -- changes, invalid documents, prune -----------------------------------------------------------


@pytest.fixture
def small_repo(tmp_path) -> tuple[Path, dict[str, Path]]:
    """Twelve generated documents laid out as a batch folder."""
    folder = tmp_path / "repo"
    return folder, write_folder(folder, list(variants(12)))


def test_changed_document_replaces_its_old_version(small_repo, server, conn):
    folder, files = small_repo
    db = "changes"
    assert statuses(run(folder, server, db)) == {"stored": 12}
    iri, path = sorted(files.items())[3]
    xml = path.read_bytes()
    changed = xml.replace(b"</p>", b" (amended)</p>", 1)
    assert changed != xml and akn_ep.validate(changed) == []
    path.write_bytes(changed)
    records = run(folder, server, db)
    assert statuses(records) == {"unchanged": 11, "replaced": 1}
    assert next(r for r in records if r.status == "replaced").iri == iri
    assert_db_equals_files(conn, db, files)  # the new version, once: no duplicate
    # the hash record moved with it
    assert statuses(run(folder, server, db)) == {"unchanged": 12}


def test_verify_replaces_a_document_edited_in_the_database(small_repo, server, conn):
    folder, files = small_repo
    db = "edited"
    run(folder, server, db)
    iri = sorted(files)[0]
    conn.query("declare namespace akn = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';"
               "declare variable $db external; declare variable $path external;"
               "delete node (db:open($db, $path)//akn:citation)[1]", db=db, path=db_path(iri))
    assert statuses(run(folder, server, db)) == {"unchanged": 12}  # hashes cannot see it
    records = run(folder, server, db, verify=True)
    assert statuses(records) == {"unchanged": 11, "replaced": 1}
    assert_db_equals_files(conn, db, files)


def test_invalid_documents_are_skipped_and_reported(small_repo, server, conn, tmp_path):
    folder, files = small_repo
    db = "invalid"
    (iri0, p0), (iri1, p1) = sorted(files.items())[:2]
    good = p0.read_bytes()
    # 1. a new document that breaks the EP profile (recital eId), at its own IRI
    bad_profile = next(variants(13)).replace(b"TA-7-2000-0001", b"TA-7-2000-0777").replace(
        b"P7_TA(2000)0001", b"P7_TA(2000)0777")
    bad_profile = re.sub(rb'eId="cits_1__cit_1"', b'eId="cits_1__cit_9"', bad_profile, count=1)
    bad_iri = manifestation_iri(bad_profile)
    extra = folder / "extra"
    extra.mkdir()
    (extra / "profile.xml").write_bytes(bad_profile)
    # 2. not well-formed; 3. a DTD (refused unparsed); 4. not Akoma Ntoso
    (extra / "broken.xml").write_bytes(good[: len(good) // 2])
    (extra / "dtd.xml").write_bytes(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    (extra / "other.xml").write_bytes(b"<root/>")
    records = run(folder, server, db)
    by_source = {Path(r.source).name: r for r in records}
    assert statuses(records) == {"stored": 12, "skipped-invalid": 4}
    assert by_source["profile.xml"].iri == bad_iri
    assert "ep-citation-eid" in by_source["profile.xml"].reason
    assert "not well-formed" in by_source["broken.xml"].reason
    assert "DTD" in by_source["dtd.xml"].reason
    assert "akn-schema" in by_source["other.xml"].reason
    assert db_path(bad_iri) not in db_paths(conn, db)
    # an invalid new version of a stored document is skipped: the old one stays
    p1.write_bytes(p1.read_bytes().replace(b'eId="cits_1__cit_1"', b'eId="cits_1__cit_7"', 1))
    for f in ("broken.xml", "dtd.xml", "other.xml"):
        (extra / f).unlink()
    records = run(folder, server, db, prune=True)
    assert statuses(records) == {"unchanged": 11, "skipped-invalid": 2}
    assert db_path(iri1) in db_paths(conn, db)  # kept: invalid but present in the source
    stored = conn.query(FETCH, db=db, path=db_path(iri1))
    assert 'eId="cits_1__cit_1"' in stored


def test_huge_sparse_file_is_refused_without_being_read(small_repo, server, conn):
    # constructed: a 3 GiB sparse file among valid documents (no disk used, 3 GiB if read)
    import tracemalloc

    from akn_ep.akn.safexml import MAX_INPUT_BYTES

    folder, _ = small_repo
    huge = folder / "huge.xml"
    with open(huge, "wb") as fh:
        fh.truncate(3 * 1024**3)
    tracemalloc.start()
    start = time.monotonic()
    try:
        records = run(folder, server, "sparse")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 5
    assert peak < 2 * MAX_INPUT_BYTES + 50_000_000  # one read of limit + 1 bytes, not 3 GiB
    assert statuses(records) == {"stored": 12, "skipped-invalid": 1}
    refused = next(r for r in records if r.status == "skipped-invalid")
    assert Path(refused.source) == huge
    assert refused.reason == (f"refused: input of {3 * 1024**3} bytes exceeds the limit of "
                              f"{MAX_INPUT_BYTES} bytes")
    assert refused.sha256 is None


def test_prune_deletes_only_what_left_the_source(small_repo, server, conn):
    folder, files = small_repo
    db = "prune"
    run(folder, server, db)
    conn.query("declare variable $db external; db:add($db, <note/>, 'notes/mine.xml')", db=db)
    gone_iri, gone = sorted(files.items())[5]
    gone.unlink()
    # without --prune nothing is deleted
    assert statuses(run(folder, server, db)) == {"unchanged": 11}
    assert db_path(gone_iri) in db_paths(conn, db)
    records = run(folder, server, db, prune=True)
    assert statuses(records) == {"unchanged": 11, "deleted": 1}
    assert records[-1].db_path == db_path(gone_iri)
    del files[gone_iri]
    assert_db_equals_files(conn, db, files)
    assert f"{META_ROOT}/{db_path(gone_iri)}" not in db_paths(conn, db, META_ROOT)
    assert db_paths(conn, db, "notes") == ["notes/mine.xml"]  # outside the root: untouched
    # a source that cannot be identified: prune refuses, deletes nothing
    (folder / "junk.xml").write_bytes(b"<not-closed>")
    next(iter(files.values())).unlink()
    records = run(folder, server, db, prune=True)
    assert records[-1].status == "error" and "prune not done" in records[-1].reason
    assert len(db_paths(conn, db)) == 11


def test_same_iri_twice_in_the_sources(small_repo, server, tmp_path):
    folder, files = small_repo
    iri, path = sorted(files.items())[0]
    twin, other = tmp_path / "twin.xml", tmp_path / "other.xml"
    shutil.copy(path, twin)
    other.write_bytes(path.read_bytes().replace(b"</p>", b" (other)</p>", 1))
    records = run([path, twin, other], server, "twins")
    assert [r.status for r in records] == ["stored", "unchanged", "error"]
    assert "same document as" in records[1].reason
    assert "same manifestation IRI" in records[2].reason


def test_login_refused_is_a_typed_error(server, capsys, monkeypatch, tmp_path):
    with pytest.raises(LoginRefusedError, match="login refused"):
        connect(server.address, Credentials(server.user, "wrong-password"), timeout=10)
    with pytest.raises(LoginRefusedError):
        list(publish(tmp_path, basex=server.address, db="x", user="nobody", password="pw"))
    monkeypatch.setenv("AKN_TEST_WRONG_PW", "wrong-password-123")
    code = cli.main(["publish", str(tmp_path), "--basex", server.address, "--db", "x",
                     "--user", server.user, "--password-env", "AKN_TEST_WRONG_PW"])
    out = capsys.readouterr()
    assert code == 2
    assert out.err.count("\n") == 1 and "login refused" in out.err
    assert "wrong-password-123" not in out.err + out.out


def test_user_without_create_permission_gets_the_servers_refusal(server, tmp_path):
    with connect(server.address, server.admin, timeout=30) as admin:
        admin.query("declare variable $u external; declare variable $p external; "
                    "if (user:exists($u)) then () else user:create($u, $p)",
                    u="reader", p="reader-pw")
    with pytest.raises(ServerError, match="(?i)permission"):
        list(publish(tmp_path, basex=server.address, db="not-allowed", user="reader",
                     password="reader-pw"))


def test_cli_publish_with_password_from_environment(small_repo, server, capsys, monkeypatch,
                                                    tmp_path):
    folder, files = small_repo
    monkeypatch.setenv("AKN_TEST_PW", server.password)
    report = tmp_path / "report.jsonl"
    argv = ["publish", str(folder), "--basex", server.address, "--db", "cli", "--user",
            server.user, "--password-env", "AKN_TEST_PW", "--report", str(report)]
    assert cli.main(argv) == 0
    out = capsys.readouterr()
    assert out.out.count("\nstored ") + out.out.startswith("stored ") == 12
    assert "12 stored, 0 replaced, 0 unchanged" in out.err
    assert server.password not in out.out + out.err + report.read_text()
    lines = [json.loads(x) for x in report.read_text().splitlines()]
    assert [x["status"] for x in lines] == ["stored"] * 12
    assert set(lines[0]) == {"type", "source", "db_path", "iri", "status", "reason", "sha256"}
    assert cli.main(argv + ["-q"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and "12 unchanged" in out.err


# -- failures in the middle -----------------------------------------------------------------------


def _publish_until_failure(records_iter, on_count: int, trigger, slow: float = 0.0,
                           limit: float = 120.0) -> tuple[list[PublishRecord], Exception | None]:
    """Consume records; call ``trigger()`` after ``on_count``; return (records, error)."""
    got: list[PublishRecord] = []
    start = time.monotonic()
    try:
        for rec in records_iter:
            got.append(rec)
            if len(got) == on_count:
                trigger()
            if len(got) > on_count and slow:
                time.sleep(slow)  # let the failure land while documents are still going
            assert time.monotonic() - start < limit
    except ServerUnavailableError as exc:
        return got, exc
    return got, None


def _check_rerun_completes(folder: Path, files: dict[str, Path], server: BaseXServer, db: str,
                           before: list[PublishRecord]) -> None:
    ok = sum(r.status == "stored" for r in before)
    records = run(folder, server, db)
    counts = statuses(records)
    # never "replaced": a document and its hash record are written together or not at all
    assert set(counts) <= {"unchanged", "stored"}, counts
    assert counts["unchanged"] >= ok and sum(counts.values()) == len(files)
    with connect(server.address, server.credentials, timeout=30) as c:
        assert_db_equals_files(c, db, files)
    assert statuses(run(folder, server, db)) == {"unchanged": len(files)}


@pytest.fixture(scope="module")
def many_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("many")
    return folder, write_folder(folder, list(variants(200)))


def test_server_stopped_mid_publish_then_rerun_completes(many_repo, tmp_path):
    basexserver_or_skip()
    folder, files = many_repo
    srv = BaseXServer(tmp_path / "basex").start()
    try:
        stopper = threading.Thread(target=srv.stop)
        records, error = _publish_until_failure(
            publish(folder, basex=srv.address, db="stopped", user=srv.user,
                    password=srv.password, timeout=30, batch_docs=10),
            on_count=20, trigger=stopper.start, slow=0.05)
        stopper.join(120)
        assert not srv.running
        assert error is not None, "the server stop did not interrupt the publish"
        assert 20 <= len(records) < len(files)
        assert records[-1].status == "error"
        srv.start()
        _check_rerun_completes(folder, files, srv, "stopped", records)
    finally:
        srv.stop()


def test_network_cut_mid_publish_then_rerun_completes(many_repo, server):
    folder, files = many_repo
    proxy = CutProxy(server.port)
    try:
        timer: list[threading.Timer] = []

        def cut_soon():  # from another thread, a few ms later: maybe mid-document
            t = threading.Timer(0.005, proxy.cut)
            t.start()
            timer.append(t)

        records, error = _publish_until_failure(
            publish(folder, basex=proxy.address, db="cut", user=server.user,
                    password=server.password, timeout=30, batch_docs=10),
            on_count=25, trigger=cut_soon, slow=0.01)
        for t in timer:
            t.join(10)
        assert error is not None and "connection" in str(error)
        assert 25 <= len(records) < len(files) and records[-1].status == "error"
    finally:
        proxy.close()
    _check_rerun_completes(folder, files, server, "cut", records)

