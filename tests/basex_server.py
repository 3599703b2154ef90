"""A real BaseX server for the tests and the benchmark: started here, on loopback, in a temp dir.

Debian's ``basexserver`` (BaseX 9.7.2) is a shell wrapper that runs
``java $JAVA_ARGS org.basex.BaseXServer "$@"``. BaseX finds its home (the
``.basex`` configuration file, and through it the database directory) from
the Java property ``org.basex.path`` first, then a ``.basex`` in the
application or working directory, and only then ``~/basex``. We set both
``-Dorg.basex.path=<temp home>/`` (through ``JAVA_ARGS``) and the working
directory, and write ``<home>/.basex`` with ``DBPATH`` etc. inside the temp
directory, so a test server never touches the user's ``~/basex``.

The server listens on ``127.0.0.1`` only (``SERVERHOST`` and ``-n``), on a
free port. On its first start it runs a command file (``-c FILE``, mode 600, so
no password is on a command line) that sets a random admin password and creates
the dedicated user the tests log in with, with ``create`` permission (create
and write databases). :meth:`BaseXServer.stop` runs ``basexserver -pPORT stop``
(a clean shutdown) and falls back to SIGTERM/SIGKILL of the process it started;
:meth:`BaseXServer.kill` is SIGKILL, for crash tests.

When ``basexserver`` is missing the tests skip, except under CI (env ``CI``
set), where they fail: CI installs Debian's ``basex`` (see ``.ci/run``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from lxml import etree

import akn_ep
from akn_ep.repository import Credentials, RepositoryError, connect
from shared_corpus import CORPUS

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
USER = "akntest"


def basexserver_or_skip() -> str:
    """The path of ``basexserver``; skip the test without it (fail under CI)."""
    exe = shutil.which("basexserver")
    if exe:
        return exe
    message = ("basexserver is not installed (Debian: apt-get install basex); "
               "the BaseX tests need a real server")
    if os.environ.get("CI"):
        pytest.fail(message + " — CI must install it: .ci/run does", pytrace=False)
    pytest.skip(message)
    raise AssertionError  # unreachable


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BaseXServer:
    """One BaseX server in ``home`` on 127.0.0.1:``port`` (see the module docstring).

    Example::

        server = BaseXServer(tmp_path / "basex"); server.start()
        ... publish(..., basex=server.address, user=server.user, password=server.password)
        server.stop()
    """

    def __init__(self, home: Path, *, exe: str | None = None, port: int | None = None):
        self.exe = exe or basexserver_or_skip()
        self.home = Path(home)
        self.port = port or free_port()
        self.user = USER
        self.password = secrets.token_urlsafe(12)
        self.admin_password = secrets.token_urlsafe(12)
        self.proc: subprocess.Popen[bytes] | None = None
        self._initialised = False
        self.log = self.home / "server.log"

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``."""
        return f"127.0.0.1:{self.port}"

    @property
    def credentials(self) -> Credentials:
        """The test user's credentials."""
        return Credentials(self.user, self.password)

    @property
    def admin(self) -> Credentials:
        """The admin's credentials."""
        return Credentials("admin", self.admin_password)

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["JAVA_ARGS"] = (env.get("JAVA_ARGS", "") + f" -Dorg.basex.path={self.home}/").strip()
        return env

    def _write_config(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / ".basex").write_text(
            "\n".join([
                f"DBPATH = {self.home / 'data'}",
                f"REPOPATH = {self.home / 'repo'}",
                f"WEBPATH = {self.home / 'webapp'}",
                f"LOGPATH = {self.home / 'logs'}",
                "HOST = 127.0.0.1",
                f"PORT = {self.port}",
                "SERVERHOST = 127.0.0.1",
                f"SERVERPORT = {self.port}",
                "",
            ]),
            encoding="utf-8",
        )

    def start(self, timeout: float = 90.0) -> BaseXServer:
        """Start the server and wait (at most ``timeout`` s) until the test user can log in."""
        if self.proc is not None and self.proc.poll() is None:
            return self
        self._write_config()
        cmd = [self.exe, f"-p{self.port}", f"-n{'127.0.0.1'}"]
        if not self._initialised:
            init = self.home / "init.bxs"
            fd = os.open(init, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"ALTER PASSWORD admin {self.admin_password}\n"
                         f"CREATE USER {self.user} {self.password}\n"
                         f"GRANT create TO {self.user}\n")
            cmd += ["-c", str(init)]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=self.home, env=self._env(),
                                         stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"basexserver exited with {self.proc.returncode}:\n"
                                   f"{self.log.read_text(errors='replace')[-2000:]}")
            try:
                connect(self.address, self.credentials, timeout=5).close()
                self._initialised = True
                return self
            except RepositoryError as exc:
                last = exc
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"basexserver did not accept logins within {timeout} s: {last}")

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the server cleanly (``basexserver -pPORT stop``); force it if that fails."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        try:
            subprocess.run([self.exe, f"-p{self.port}", "stop"], cwd=self.home, env=self._env(),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL the server process (a crash)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)

    @property
    def running(self) -> bool:
        """Whether the process started here still runs."""
        return self.proc is not None and self.proc.poll() is None


# -- documents --------------------------------------------------------------------------------


def manifestation_iri(xml: bytes) -> str:
    """The FRBRManifestation/FRBRthis of an AKN document."""
    root = etree.fromstring(xml)
    return root.find(".//{*}FRBRManifestation/{*}FRBRthis").get("value")


def corpus_documents() -> dict[str, bytes]:
    """IRI -> AKN bytes for every text of ``shared/corpus`` (skip the test without it).

    The clean and PDF-extracted versions of one text give the same IRI and the same
    bytes; each document is kept once.
    """
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not available at {CORPUS}")
    docs: dict[str, bytes] = {}
    for path in sorted(glob.glob(str(CORPUS / "**" / "*.txt"), recursive=True)):
        xml = akn_ep.to_akn(akn_ep.parse_text(Path(path).read_bytes()))
        iri = manifestation_iri(xml)
        if docs.setdefault(iri, xml) != xml:
            raise AssertionError(f"{path}: same IRI as another text, different document: {iri}")
    return docs


def base_resolutions() -> list[akn_ep.Resolution]:
    """The resolutions variants are made from: the corpus when present, else the examples."""
    paths = sorted(glob.glob(str(CORPUS / "clean" / "*.txt"))) + sorted(
        glob.glob(str(CORPUS / "seed" / "*.txt")))
    if not paths:
        paths = sorted(glob.glob(str(EXAMPLES / "*.txt")))
    return [akn_ep.parse_text(Path(p).read_bytes()) for p in paths]


def variants(n: int, bases: list[akn_ep.Resolution] | None = None) -> Iterator[bytes]:
    """``n`` valid AKN documents with distinct IRIs: the bases with new TA numbers and dates.

    Document ``k`` gets ``P7_TA(<2000 + k // 9000>)<k % 9000 + 1>`` and a date in that year,
    so its work IRI (``…/<date>/TA-7-<year>-<nnnn>``) is its own.
    """
    bases = bases or base_resolutions()
    for k in range(n):
        year = 2000 + k // 9000
        date = dt.date(year, 1, 1) + dt.timedelta(days=k % 365)
        r = attrs.evolve(bases[k % len(bases)], ta_number=f"P7_TA({year}){k % 9000 + 1:04d}",
                         date=date, date_source="supplied")
        yield akn_ep.to_akn(r)


def write_folder(outdir: Path, docs: Iterator[bytes] | list[bytes]) -> dict[str, Path]:
    """Write documents as ``akn-ep batch`` lays them out (by IRI); IRI -> file."""
    from akn_ep.batch import iri_to_path

    files = {}
    for xml in docs:
        iri = manifestation_iri(xml)
        path = outdir / iri_to_path(iri)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(xml)
        files[iri] = path
    return files


# -- a network that can fail ----------------------------------------------------------------------


class CutProxy:
    """A TCP proxy on 127.0.0.1 to a local server whose connections can be cut mid-stream.

    :meth:`cut` closes every connection at once (a network failure, as the client sees it);
    new connections still work afterwards. Threads stop on :meth:`close`; every wait is
    bounded.
    """

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT`` of the proxy."""
        return f"127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server = socket.create_connection(self.target, timeout=10)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        src.settimeout(0.2)
        while not self.closed.is_set():
            try:
                data = src.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            try:
                dst.sendall(data)
            except OSError:
                break
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Close every open connection through the proxy, both ways."""
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    def close(self) -> None:
        """Cut everything and stop listening."""
        self.closed.set()
        self.cut()
        self.listener.close()
        self.thread.join(5)
