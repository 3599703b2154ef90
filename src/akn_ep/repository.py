"""Publish Akoma Ntoso documents into a BaseX XML database (``akn-ep publish``).

`BaseX <https://basex.org>`_ is the XML database a user installs from Debian
(``apt-get install basex``: BaseX 9.7.2, ``basexserver`` on a loopback port);
we drive it with its official Python client (``BaseXClient`` on PyPI). See
``docs/repository.md`` for the whole story and the queries; in short:

- **Where**: each document is stored at the path of its manifestation IRI, read
  from the document's own ``FRBRManifestation/FRBRthis`` and mapped exactly as
  ``akn-ep batch`` lays out its folder (:func:`akn_ep.batch.iri_to_path`), so
  ``akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/`` holds every
  language version of one work, in the folder and in the database alike.
- **What**: only valid documents (official OASIS schema + EP profile,
  :func:`akn_ep.validate`); an invalid one is reported and skipped.
- **Idempotent**: beside each document the database keeps a small record of
  the SHA-256 of the file it came from (``.akn-ep/sha256/<path>``). A document
  and its record are written by the same XQuery Update transaction
  (``db:replace`` — BaseX's REPLACE — for both; one transaction per batch of
  up to 50 documents), so they never disagree; a re-run skips documents whose
  hash is unchanged (``verify=True`` compares the stored content itself
  instead), replaces changed ones, and deletes nothing unless ``prune=True``.
- **Interrupted runs**: a lost connection stops the run with
  :class:`ConnectionLostError` after the records of the batch in flight; every
  stored document is whole (a batch is stored entirely or not at all) and a
  re-run does the rest.
- **Credentials** come from an environment variable or a config file that only
  its owner can read (:func:`load_credentials`), never from the command line,
  and never appear in records, errors or logs.

Example:
    >>> parse_address("127.0.0.1:1984"), parse_address("[::1]:8984"), parse_address("db.local")
    (('127.0.0.1', 1984), ('::1', 8984), ('db.local', 1984))
    >>> db_path("/akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/!main.xml")
    'akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml'
"""  # noqa: E501

from __future__ import annotations

import argparse
import configparser
import hashlib
import json
import os
import re
import socket
import stat
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import attrs
from BaseXClient import BaseXClient as _bx
from lxml import etree

from .akn.safexml import parse_xml
from .akn.validate import validate
from .akn.writer import AKN_NS
from .batch import iri_to_path
from .errors import AknEpError, AknReadError

__all__ = [
    "publish",
    "PublishRecord",
    "Credentials",
    "load_credentials",
    "parse_address",
    "db_path",
    "connect",
    "Connection",
    "RepositoryError",
    "CredentialsError",
    "InsecureConfigError",
    "ServerUnavailableError",
    "UnknownHostError",
    "PortClosedError",
    "ServerTimeoutError",
    "ConnectionLostError",
    "NotBaseXError",
    "LoginRefusedError",
    "ServerError",
    "STATUSES",
    "DEFAULT_PORT",
    "DEFAULT_ROOT",
    "META_ROOT",
    "add_arguments",
    "run_cli",
]

#: BaseX's default server port.
DEFAULT_PORT = 1984
#: Seconds to wait for the server at each step (connect, one command) before giving up.
DEFAULT_TIMEOUT = 60.0
#: Documents stored per transaction, at most (BaseX pays ~0.3 s per write transaction) …
DEFAULT_BATCH_DOCS = 50
#: … and characters of XML per transaction, at most (whichever limit comes first).
DEFAULT_BATCH_BYTES = 8_000_000
#: The publish root: ``--prune`` only ever deletes documents under this database path,
#: the part of the Akoma Ntoso IRI space where EP resolutions live.
DEFAULT_ROOT = "akn/eu/statement/resolution/ep"
#: Where the hash record of the document at ``P`` lives: ``META_ROOT + "/" + P``.
META_ROOT = ".akn-ep/sha256"
#: Namespace of the hash records (``<published path=… sha256=… iri=…/>``).
META_NS = "urn:akn-ep:publish"
#: Config file read when no password is given otherwise (``[basex]`` user, password).
DEFAULT_CONFIG = "~/.config/akn-ep/basex.ini"

#: Every status a :class:`PublishRecord` can have.
STATUSES = ("stored", "replaced", "unchanged", "skipped-invalid", "error", "deleted")

_AKN = f"{{{AKN_NS}}}"
_DB_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+=~@-]{0,127}$")


# -- errors ---------------------------------------------------------------------------------


class RepositoryError(AknEpError):
    """Base class of the errors of this module: each says what failed, in one line."""


class CredentialsError(RepositoryError):
    """No usable user name and password (variable not set, config file unreadable …)."""


class InsecureConfigError(CredentialsError):
    """A config file holding a password that other users could read or change.

    Example:
        >>> issubclass(InsecureConfigError, CredentialsError)
        True
    """


class ServerUnavailableError(RepositoryError, ConnectionError):
    """The server cannot be reached, or stopped answering."""


class UnknownHostError(ServerUnavailableError):
    """The host name does not resolve."""


class PortClosedError(ServerUnavailableError):
    """Nothing listens on that port (connection refused)."""


class ServerTimeoutError(ServerUnavailableError):
    """The server did not answer in time."""


class ConnectionLostError(ServerUnavailableError):
    """The connection broke in the middle of a publish (server stopped, network cut)."""


class NotBaseXError(RepositoryError):
    """Something answers on that port, but not a BaseX server."""


class LoginRefusedError(RepositoryError, PermissionError):
    """The server refused the user name and password."""


class ServerError(RepositoryError):
    """The server refused a command (no permission, bad database name …); its message."""


# -- small pure helpers ---------------------------------------------------------------------


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT``; the port defaults to 1984) as ``(host, port)``.

    Example:
        >>> parse_address("localhost:19840")
        ('localhost', 19840)
        >>> parse_address("localhost:http")
        Traceback (most recent call last):
        ...
        ValueError: not HOST:PORT: 'localhost:http' (the port must be a number 1-65535)
    """
    text = address.strip()
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(\w*))?", text)
    if m:
        host, port = m.group(1), m.group(2)
    elif text.count(":") == 1:
        host, port = text.split(":")
    elif ":" in text:  # a bare IPv6 address
        host, port = text, None
    else:
        host, port = text, None
    if not host:
        raise ValueError(f"not HOST:PORT: {address!r} (no host)")
    if port is None or port == "":
        return host, DEFAULT_PORT
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not HOST:PORT: {address!r} (the port must be a number 1-65535)")
    return host, int(port)


def db_path(iri: str) -> str:
    """The database path of a manifestation IRI: the same path as in the batch folder.

    Raises :class:`ValueError` for anything but an absolute ``/akn/`` manifestation IRI.

    Example:
        >>> db_path("/akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95/ita@1995-01-01/!main.xml")
        'akn/eu/statement/resolution/ep/1995-01-01/ref-B4-0232-95/ita@1995-01-01/main.xml'
    """  # noqa: E501
    return str(iri_to_path(iri))


def _meta_path(path: str) -> str:
    return f"{META_ROOT}/{path}"


def _check_db_name(db: str) -> str:
    if not isinstance(db, str) or not _DB_NAME.match(db):
        raise ValueError(f"not a BaseX database name: {db!r} (letters, digits, _ - . + = ~ @; "
                         "at most 128 characters)")
    return db


def _norm_root(root: str) -> str:
    parts = [p for p in root.strip().split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"not a database folder: {root!r}")
    return "/".join(parts)


# -- credentials ----------------------------------------------------------------------------


@attrs.frozen(repr=False)
class Credentials:
    """A user name and password for the server. The password never shows in ``repr``.

    Example:
        >>> Credentials("akn", "s3cret")
        Credentials(user='akn', password=***)
    """

    user: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=***)"


def _read_config(path: Path) -> configparser.SectionProxy:
    """The ``[basex]`` section of a config file that only its owner can read."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read the config file: "
                               f"{exc.strerror or exc}") from None
    with os.fdopen(fd, "r", encoding="utf-8") as fh:
        st = os.fstat(fh.fileno())  # the file opened, not whatever the name points to later
        if not stat.S_ISREG(st.st_mode):
            raise CredentialsError(f"{path}: the config file is not a regular file")
        if st.st_mode & 0o077:
            raise InsecureConfigError(
                f"{path}: refused: the config file holds a password but its permissions "
                f"({stat.filemode(st.st_mode)}) let other users read or change it; "
                f"run: chmod 600 {path}"
            )
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise InsecureConfigError(f"{path}: refused: the config file belongs to another "
                                      f"user (uid {st.st_uid})")
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_file(fh)
        except (configparser.Error, UnicodeDecodeError) as exc:
            reason = str(exc).splitlines()[0]
            raise CredentialsError(f"{path}: not a config file: {reason}") from None
    if not parser.has_section("basex"):
        raise CredentialsError(f"{path}: the config file has no [basex] section")
    return parser["basex"]


def load_credentials(
    *,
    user: str | None = None,
    password: str | None = None,
    password_env: str | None = None,
    config: str | os.PathLike[str] | None = None,
) -> Credentials:
    """The user name and password to log in with, from the first source that applies.

    1. ``password`` as given (Python callers only; the command line has no such option);
    2. the environment variable named by ``password_env``;
    3. the ``[basex]`` section (``user``, ``password``) of the config file ``config``,
       or of ``~/.config/akn-ep/basex.ini`` when it exists. The file must be a regular
       file of the current user that nobody else may read or write (``chmod 600``):
       otherwise :class:`InsecureConfigError`.

    ``user`` defaults to the config file's ``user``, then ``admin``. Raises
    :class:`CredentialsError` when no password can be had.

    Example:
        >>> import os
        >>> os.environ["AKN_DOC_PW"] = "s3cret"
        >>> load_credentials(user="akn", password_env="AKN_DOC_PW")
        Credentials(user='akn', password=***)
        >>> import pathlib, tempfile
        >>> ini = pathlib.Path(tempfile.mkdtemp()) / "basex.ini"
        >>> _ = ini.write_text("[basex]\\nuser = akn\\npassword = s3cret\\n")
        >>> ini.chmod(0o644)
        >>> load_credentials(config=ini)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.repository.InsecureConfigError: ...: refused: the config file holds a password but its permissions (-rw-r--r--) let other users read or change it; run: chmod 600 ...
        >>> ini.chmod(0o600); load_credentials(config=ini)
        Credentials(user='akn', password=***)
    """  # noqa: E501
    if password is not None:
        return Credentials(user or "admin", password)
    if password_env:
        value = os.environ.get(password_env)
        if value is None:
            raise CredentialsError(f"the environment variable {password_env} (--password-env) "
                                   "is not set")
        if not value:
            raise CredentialsError(f"the environment variable {password_env} is empty")
        return Credentials(user or "admin", value)
    path = Path(config).expanduser() if config is not None else Path(DEFAULT_CONFIG).expanduser()
    if config is None and not path.exists():
        raise CredentialsError("no password: name an environment variable that holds it "
                               f"(--password-env VAR) or write a config file ({DEFAULT_CONFIG}, "
                               "chmod 600)")
    section = _read_config(path)
    secret = section.get("password")
    if not secret:
        raise CredentialsError(f"{path}: no password in the [basex] section")
    return Credentials(user or section.get("user") or "admin", secret)


# -- the connection -------------------------------------------------------------------------


class _GuardedSocket:
    """A socket whose ``recv_into`` raises at the end of the stream.

    BaseXClient 8.4.4 loops forever when the server closes the connection (``recv``
    returning 0 bytes reads as "no terminator yet"); this turns that into an error.
    """

    def __init__(self, sock: socket.socket):
        self._sock = sock

    def recv_into(self, buffer: Any) -> int:
        n = self._sock.recv_into(buffer)
        if n == 0:
            raise ConnectionResetError("the server closed the connection")
        return n

    def sendall(self, data: bytes) -> None:
        self._sock.sendall(data)

    def close(self) -> None:
        self._sock.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Session(_bx.Session):
    """The official client's session over a socket we opened (with a timeout).

    ``BaseXClient.Session.__init__`` connects without a timeout, over IPv4 only, and
    hangs when the server closes the connection; this subclass opens the socket
    itself (:func:`socket.create_connection`, so IPv6 and timeouts work), wraps it in
    :class:`_GuardedSocket`, and then logs in exactly as the official client does.
    Everything after the login is the official client's code.
    """

    def __init__(self, sock: socket.socket, user: str, password: str):  # noqa: D107
        # The attributes the base class keeps under its private (name-mangled) names.
        self._Session__info = None
        self._Session__swrapper = _bx.SocketWrapper(_GuardedSocket(sock))
        greeting = self.recv_c_str()
        if not re.fullmatch(r"[^\x00:]*:?[^\x00:]+", greeting or ""):
            raise NotBaseXError("the server's greeting is not BaseX's")
        parts = greeting.split(":")
        if len(parts) > 1:  # BaseX ≥ 8: realm:nonce, digest of user:realm:password
            code, nonce = f"{user}:{parts[0]}:{password}", parts[1]
        else:  # older servers: nonce only
            code, nonce = password, parts[0]
        inner = hashlib.md5(code.encode("utf-8")).hexdigest()
        self.send(user + "\0" + hashlib.md5((inner + nonce).encode("ascii")).hexdigest())
        if not self.server_response_success():
            raise LoginRefusedError(f"login refused for user {user!r} (wrong user name or "
                                    "password)")


def _is_server_answer(exc: OSError) -> bool:
    """Whether an OSError from BaseXClient is the server's error message (not the network)."""
    return type(exc) is OSError and exc.errno is None


class Connection:
    """An open, logged-in session with a BaseX server; use :func:`connect`.

    :meth:`query` runs XQuery with external variables bound as strings; errors are
    :class:`ServerError` (the server said no: its message) or
    :class:`ConnectionLostError` / :class:`ServerTimeoutError` (the network).

    Example:
        >>> with connect("127.0.0.1:1984", Credentials("admin", "pw")) as c:  # doctest: +SKIP
        ...     c.query("declare variable $x external; $x || '!'", x="hello")
        'hello!'
    """

    def __init__(self, session: _Session, where: str):
        self._session: _Session | None = session
        self.where = where

    def query(self, text: str, **bindings: str) -> str:
        """Run an XQuery (updating or not) and return its serialized result."""
        session = self._session
        if session is None:
            raise ConnectionLostError(f"{self.where}: the connection is closed")
        try:
            q = session.query(text)
            try:
                for name, value in bindings.items():
                    q.bind("$" + name, value)
                return q.execute()
            finally:
                try:
                    q.close()
                except OSError as exc:
                    if not _is_server_answer(exc):
                        raise
        except OSError as exc:
            if _is_server_answer(exc):
                raise ServerError(f"{self.where}: {_server_message(str(exc))}") from None
            self._drop()
            if isinstance(exc, TimeoutError):
                raise ServerTimeoutError(f"{self.where}: no answer in time; the connection "
                                         "is closed") from None
            raise ConnectionLostError(f"{self.where}: connection lost: "
                                      f"{exc.strerror or exc}") from None

    def _drop(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                session._Session__swrapper.close()
            except OSError:
                pass

    def close(self) -> None:
        """Log out and close the connection (quietly if it is already broken)."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            session.close()
        except OSError:
            try:
                session._Session__swrapper.close()
            except OSError:
                pass

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _server_message(text: str, limit: int = 300) -> str:
    """The server's error message in one line; a BaseX internal error gets a hint instead
    of its Java stack trace.

    Example:
        >>> _server_message("Improper use? Potential bug? Stack Trace: java.lang."
        ...                 "RuntimeException: Data Access out of bounds")  # doctest: +ELLIPSIS
        'BaseX internal error (java.lang.RuntimeException: Data Access out of bounds): the ...'
    """
    if "Improper use? Potential bug?" in text:
        m = re.search(r"Stack Trace:\s*(\S[^\n]*)", text)
        cause = f" ({m.group(1).strip()[:150]})" if m else ""
        return (f"BaseX internal error{cause}: the database may be damaged (was the server "
                "killed during a write?); check it with INSPECT, or drop it and publish again")
    line = _one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def connect(address: str, credentials: Credentials, *,
            timeout: float = DEFAULT_TIMEOUT) -> Connection:
    """Open a session with the BaseX server at ``address`` (``HOST:PORT``).

    Raises, each with a one-line message: :class:`UnknownHostError`,
    :class:`PortClosedError` (nothing listens), :class:`ServerTimeoutError`,
    :class:`ServerUnavailableError` (other network errors), :class:`NotBaseXError`,
    :class:`LoginRefusedError`.

    Example:
        >>> import socket
        >>> s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        >>> connect(f"127.0.0.1:{port}", Credentials("akn", "pw"))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        akn_ep.repository.PortClosedError: 127.0.0.1:...: connection refused: no BaseX server listens on that port
    """  # noqa: E501
    host, port = parse_address(address)
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as exc:
        raise UnknownHostError(f"{where}: unknown host {host!r} ({exc.strerror})") from None
    except UnicodeError:
        raise UnknownHostError(f"{where}: unknown host {host!r} (not a valid host name)") from None
    except ConnectionRefusedError:
        raise PortClosedError(f"{where}: connection refused: no BaseX server listens on that "
                              "port") from None
    except TimeoutError:
        raise ServerTimeoutError(f"{where}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise ServerUnavailableError(f"{where}: cannot connect: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # small request/answer pairs
    except OSError:
        pass
    try:
        session = _Session(sock, credentials.user, credentials.password)
    except RepositoryError as exc:
        sock.close()
        raise type(exc)(f"{where}: {exc}") from None
    except TimeoutError:
        sock.close()
        raise ServerTimeoutError(f"{where}: connected, but the server did not greet within "
                                 f"{timeout:g} s (is it a BaseX server?)") from None
    except (OSError, UnicodeDecodeError) as exc:
        sock.close()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ServerUnavailableError(f"{where}: the connection failed during login: "
                                     f"{reason}") from None
    return Connection(session, where)


# -- the queries ----------------------------------------------------------------------------

_Q_ENSURE_DB = """
declare variable $db external;
if (db:exists($db)) then () else db:create($db)
"""

_Q_STATE = f"""
declare namespace m = "{META_NS}";
declare variable $db external;
declare variable $meta external;
string-join((
  for $p in db:list($db) return "R " || $p,
  for $h in db:open($db, $meta)/m:published return "H " || $h/@sha256 || " " || $h/@path
), "&#10;")
"""

# One transaction per batch: each document and its hash record change together, and the
# whole batch is stored or not at all. $batch is <batch><doc path= iri= sha256=>TEXT</doc>…,
# each TEXT a document as an escaped string starting with "<", which db:replace parses as
# content (never as a file name); chop=false keeps every whitespace text node (BaseX 9
# drops them by default).
_Q_PUT = f"""
declare variable $db external;
declare variable $meta external;
declare variable $batch external;
for $d in parse-xml($batch)/batch/doc
let $path := string($d/@path)
return (
  db:replace($db, $path, string($d), map {{ "chop": false(), "stripns": false() }}),
  db:replace($db, $meta || "/" || $path,
    <published xmlns="{META_NS}" path="{{$path}}" iri="{{$d/@iri}}" sha256="{{$d/@sha256}}"
               at="{{current-dateTime()}}"/>)
)
"""

_Q_FETCH = """
declare option output:indent "no";
declare option output:omit-xml-declaration "yes";
declare variable $db external;
declare variable $path external;
db:open($db, $path)
"""

_Q_DELETE = """
declare variable $db external;
declare variable $paths external;
for $p in tokenize($paths, "&#10;")[.] return db:delete($db, $p)
"""


# -- records --------------------------------------------------------------------------------


@attrs.frozen
class PublishRecord:
    """What happened to one document (or, with ``prune``, one deletion).

    ``status`` is one of :data:`STATUSES`: ``stored`` (new in the database),
    ``replaced`` (an older version was replaced), ``unchanged`` (already there, same
    content: not sent), ``skipped-invalid`` (not valid: not sent; ``reason`` gives the
    first issues), ``error`` (not stored: ``reason`` says why), ``deleted`` (removed by
    ``prune``). ``source`` is the file (empty for a deletion), ``db_path`` the path in
    the database, ``iri`` the manifestation IRI, ``sha256`` of the file's bytes.

    Example:
        >>> PublishRecord("a.xml", "akn/x/main.xml", "/akn/x/!main.xml", "stored").as_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'type': 'document', 'source': 'a.xml', 'db_path': 'akn/x/main.xml',
         'iri': '/akn/x/!main.xml', 'status': 'stored', 'reason': None, 'sha256': None}
    """

    source: str
    db_path: str | None
    iri: str | None
    status: str
    reason: str | None = None
    sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (``type`` first, like a batch report line)."""
        return {"type": "document", **attrs.asdict(self)}

    def __str__(self) -> str:
        """``status db_path``, then ``<- source: reason`` when there is something to say."""
        if not self.reason:
            return f"{self.status} {self.db_path or self.source}"
        src = f" <- {self.source}" if self.source else ""
        return f"{self.status} {self.db_path or '-'}{src}: {self.reason}"


# -- sources --------------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def _iter_files(sources: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, str | None]]:
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


def _manifestation_iri(root: etree._Element) -> str | None:
    el = root.find(f"{_AKN}*/{_AKN}meta/{_AKN}identification/{_AKN}FRBRManifestation/"
                   f"{_AKN}FRBRthis")
    return el.get("value") if el is not None else None


def _document_text(data: bytes, root: etree._Element) -> str:
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


def _same_content(stored: str, sent: str) -> bool:
    """Whether the document the server returns is the one we would send."""
    if stored.rstrip() == sent.rstrip():
        return True
    try:
        a = etree.tostring(parse_xml(stored.encode("utf-8")), method="c14n")
        b = etree.tostring(parse_xml(sent.encode("utf-8")), method="c14n")
    except AknReadError:
        return False
    return a == b


def _summary_issues(issues: list[Any], limit: int = 3) -> str:
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return "not valid: " + "; ".join(str(i) for i in issues[:limit]) + more


# -- publish --------------------------------------------------------------------------------


def publish(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    basex: str,
    db: str,
    user: str | None = None,
    password: str | None = None,
    password_env: str | None = None,
    config: str | os.PathLike[str] | None = None,
    prune: bool = False,
    root: str = DEFAULT_ROOT,
    verify: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    batch_docs: int = DEFAULT_BATCH_DOCS,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> Iterator[PublishRecord]:
    """Store every valid Akoma Ntoso document of ``sources`` in the BaseX database ``db``.

    ``sources``: a folder written by ``akn-ep batch`` (every ``*.xml`` under it, hidden
    folders skipped) or single AKN files, in any mix. Each document is validated
    (official schema + EP profile) and stored at :func:`db_path` of its own
    ``FRBRManifestation/FRBRthis``; the database is created when missing. Yields one
    :class:`PublishRecord` per document, in source order, as the work goes.

    Valid documents are sent in batches of at most ``batch_docs`` documents and
    ``batch_bytes`` characters, each batch one transaction (all its documents and their
    hash records, or nothing); a record is yielded once its batch is stored.

    Idempotent: a document whose file hash equals the one recorded at its last publish
    (and that is still in the database) is ``unchanged`` and not sent; ``verify=True``
    fetches the stored document and compares its content instead of trusting the
    record. Nothing is deleted unless ``prune=True``: then, after a run without errors,
    documents under ``root`` that no source produced are deleted (``deleted`` records).

    Credentials: see :func:`load_credentials` (``user``, ``password``, ``password_env``,
    ``config``). Raises at once :class:`CredentialsError` or :class:`ValueError` (bad
    address, database name or root); on the first ``next()`` :class:`UnknownHostError`,
    :class:`PortClosedError`, :class:`LoginRefusedError`, :class:`ServerError` (e.g. no
    permission to create the database) …; and :class:`ConnectionLostError` (after the
    ``error`` records of the batch in flight) when the connection breaks mid-way:
    every document already stored is whole, and the same publish again does the rest.

    Example:
        >>> for rec in publish("repo/", basex="127.0.0.1:1984", db="resolutions",
        ...                    user="akn", password_env="BASEX_PASSWORD"):  # doctest: +SKIP
        ...     print(rec)
        stored akn/eu/statement/resolution/ep/2012-03-15/TA-7-2012-0089/lav@2012-03-15/main.xml <- repo/akn/…/main.xml
    """  # noqa: E501
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    sources = list(sources)
    _check_db_name(db)
    root = _norm_root(root)
    parse_address(basex)  # fail early on a malformed address
    credentials = load_credentials(user=user, password=password, password_env=password_env,
                                   config=config)
    if batch_docs < 1 or batch_bytes < 1:
        raise ValueError("batch_docs and batch_bytes must be at least 1")
    return _publish(sources, basex, db, credentials, prune=prune, root=root, verify=verify,
                    timeout=timeout, batch_docs=batch_docs, batch_bytes=batch_bytes)


@attrs.define
class _Pending:
    """A valid document waiting in the batch to be sent."""

    source: str
    path: str
    iri: str
    sha: str
    text: str
    existed: bool

    def record(self, status: str, reason: str | None = None) -> PublishRecord:
        return PublishRecord(self.source, self.path, self.iri, status, reason, self.sha)


def _batch_xml(docs: list[_Pending]) -> str:
    """The batch as one XML string for :data:`_Q_PUT` (each document escaped as text)."""
    parts = ["<batch>"]
    for d in docs:
        parts.append(f"<doc path={quoteattr(d.path)} iri={quoteattr(d.iri)} sha256=\"{d.sha}\">"
                     f"{escape(d.text, {chr(13): '&#13;'})}</doc>")
    parts.append("</batch>")
    return "".join(parts)


class _Publisher:
    """One publish run over an open connection (see :func:`publish`)."""

    def __init__(self, conn: Connection, db: str, *, verify: bool, batch_docs: int,
                 batch_bytes: int):
        self.conn, self.db, self.verify = conn, db, verify
        self.batch_docs, self.batch_bytes = batch_docs, batch_bytes
        self.existing: set[str] = set()  # every resource path in the database
        self.hashes: dict[str, str] = {}  # db path -> recorded sha256
        self.seen: dict[str, tuple[str, str]] = {}  # db path -> (source, sha256), valid docs
        self.present: set[str] = set()  # db paths of every identified source, valid or not
        self.unidentified = 0  # sources whose db path is unknown: pruning would be a guess
        self.failed = 0
        self.queue: list[PublishRecord | _Pending] = []  # records in source order, not yet out
        self.batch: list[_Pending] = []
        self.size = 0

    def load_state(self) -> None:
        """The resource list and every hash record, in one query."""
        for line in self.conn.query(_Q_STATE, db=self.db, meta=META_ROOT).splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "R":
                self.existing.add(rest)
            elif kind == "H":
                sha, _, path = rest.partition(" ")
                self.hashes[path] = sha

    def run(self, sources: list[str | os.PathLike[str]]) -> Iterator[PublishRecord]:
        """Records in source order; a lost connection flushes the queue as errors, then raises."""
        try:
            for source, read_error in _iter_files(sources):
                try:
                    item = self.prepare(source, read_error)
                except ServerUnavailableError as exc:
                    self.queue.append(PublishRecord(source, None, None, "error", str(exc)))
                    raise
                if isinstance(item, _Pending):
                    self.batch.append(item)
                    self.size += len(item.text)
                self.queue.append(item)
                if len(self.batch) >= self.batch_docs or self.size >= self.batch_bytes:
                    self.send()
                yield from self.drain()
            self.send()
            yield from self.drain()
        except ServerUnavailableError as exc:
            for item in self.queue:
                yield item.record("error", f"not stored: {exc}") if isinstance(item, _Pending) \
                    else item
            self.queue.clear()
            raise

    def drain(self) -> Iterator[PublishRecord]:
        """Give out the queued records up to the first document still waiting to be sent."""
        n = 0
        for item in self.queue:
            if isinstance(item, _Pending):
                break
            n += 1
            if item.db_path is None:
                self.unidentified += 1
            else:
                self.present.add(item.db_path)
            self.failed += item.status == "error"
            yield item
        del self.queue[:n]

    def send(self) -> None:
        """Store the batch in one transaction; replace each sent item of the queue by its record."""
        if not self.batch:
            return
        batch, self.batch, self.size = self.batch, [], 0
        results: dict[int, PublishRecord] = {}
        try:
            self.conn.query(_Q_PUT, db=self.db, meta=META_ROOT, batch=_batch_xml(batch))
            done = batch
        except ServerError as exc:
            if len(batch) == 1:
                results[id(batch[0])] = batch[0].record("error", str(exc))
                done = []
            else:  # find which document the server refuses: one transaction each
                done = []
                for d in batch:
                    try:
                        self.conn.query(_Q_PUT, db=self.db, meta=META_ROOT, batch=_batch_xml([d]))
                        done.append(d)
                    except ServerError as one:
                        results[id(d)] = d.record("error", str(one))
        for d in done:
            results[id(d)] = d.record("replaced" if d.existed else "stored")
            self.existing.add(d.path)
            self.hashes[d.path] = d.sha
        self.queue = [results.get(id(x), x) if isinstance(x, _Pending) else x for x in self.queue]

    def prepare(self, source: str, read_error: str | None) -> PublishRecord | _Pending:
        """Read and validate one file: its final record, or the document to send."""
        if read_error:
            return PublishRecord(source, None, None, "error", read_error)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            return PublishRecord(source, None, None, "error",
                                 f"cannot read: {exc.strerror or exc}")
        sha = hashlib.sha256(data).hexdigest()
        try:
            tree = parse_xml(data)
        except AknReadError as exc:
            return PublishRecord(source, None, None, "skipped-invalid", str(exc), sha)
        iri = _manifestation_iri(tree)
        path, iri_problem = None, ""
        if not iri:
            iri_problem = "no FRBRManifestation/FRBRthis: the document has no manifestation IRI"
        else:
            try:
                path = db_path(iri)
            except ValueError as exc:
                iri_problem = str(exc)
        try:
            issues = validate(tree)
        except Exception as exc:  # noqa: BLE001 - one document must not stop the publish
            return PublishRecord(source, path, iri, "error",
                                 f"validation failed: {type(exc).__name__}: {exc}", sha)
        if issues or path is None:
            reason = _summary_issues(issues) if issues else iri_problem
            return PublishRecord(source, path, iri, "skipped-invalid", reason, sha)
        assert iri is not None
        if path in self.seen:
            first, first_sha = self.seen[path]
            if first_sha == sha:
                return PublishRecord(source, path, iri, "unchanged",
                                     f"same document as {first}", sha)
            return PublishRecord(source, path, iri, "error",
                                 f"same manifestation IRI as {first} but different content; "
                                 "the first one is kept", sha)
        self.seen[path] = (source, sha)
        text = _document_text(data, tree)
        existed = path in self.existing
        if existed:
            if self.verify:
                stored = self.conn.query(_Q_FETCH, db=self.db, path=path)
                if _same_content(stored, text):
                    return PublishRecord(source, path, iri, "unchanged", None, sha)
            elif self.hashes.get(path) == sha:
                return PublishRecord(source, path, iri, "unchanged", None, sha)
        return _Pending(source, path, iri, sha, text, existed)


def _publish(sources: list[str | os.PathLike[str]], basex: str, db: str, credentials: Credentials,
             *, prune: bool, root: str, verify: bool, timeout: float, batch_docs: int,
             batch_bytes: int) -> Iterator[PublishRecord]:
    with connect(basex, credentials, timeout=timeout) as conn:
        conn.query(_Q_ENSURE_DB, db=db)
        run = _Publisher(conn, db, verify=verify, batch_docs=batch_docs,
                         batch_bytes=batch_bytes)
        run.load_state()
        yield from run.run(sources)
        if prune:
            yield from _prune(conn, db, root, run.existing, run.present, run.unidentified,
                              run.failed)


def _prune(conn: Connection, db: str, root: str, existing: set[str], present: set[str],
           unidentified: int, failed: int) -> Iterator[PublishRecord]:
    """Delete documents under ``root`` that no source produced (and their hash records)."""
    if unidentified or failed or not present:
        why = (f"{unidentified} source(s) could not be identified" if unidentified
               else f"{failed} document(s) failed" if failed
               else "no document in the sources")
        yield PublishRecord("", root, None, "error", f"prune not done: {why}; nothing deleted")
        return
    prefix = root + "/"
    meta_prefix = META_ROOT + "/"
    gone = sorted(p for p in existing if p.startswith(prefix) and p not in present)
    orphans = sorted(p for p in existing if p.startswith(meta_prefix + prefix)
                     and p[len(meta_prefix):] not in existing)
    for path in gone:
        meta = _meta_path(path)
        try:
            conn.query(_Q_DELETE, db=db, paths=f"{path}\n{meta}")
        except ServerError as exc:
            yield PublishRecord("", path, None, "error", f"not deleted: {exc}")
            continue
        existing.discard(path)
        yield PublishRecord("", path, None, "deleted")
    if orphans:  # hash records whose document someone else deleted
        conn.query(_Q_DELETE, db=db, paths="\n".join(orphans))


# -- command line ---------------------------------------------------------------------------


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``akn-ep publish`` (used by :mod:`akn_ep.cli`).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> a = p.parse_args(["repo/", "--basex", "127.0.0.1:1984", "--db", "ep"])
        >>> a.sources, a.basex, a.db, a.prune
        (['repo/'], '127.0.0.1:1984', 'ep', False)
    """
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="output folder of akn-ep batch, or Akoma Ntoso files")
    p.add_argument("--basex", required=True, metavar="HOST:PORT",
                   help="the BaseX server (basexserver; default port 1984)")
    p.add_argument("--db", required=True, metavar="NAME",
                   help="database name (created when missing)")
    p.add_argument("--user", help="user name (default: the config file's, else admin)")
    p.add_argument("--password-env", metavar="VAR",
                   help="environment variable that holds the password")
    p.add_argument("--config", metavar="FILE",
                   help=f"config file with [basex] user, password; mode 600 (default: "
                        f"{DEFAULT_CONFIG} when no --password-env)")
    p.add_argument("--prune", action="store_true",
                   help="delete documents under the publish root that are not in the sources")
    p.add_argument("--root", default=DEFAULT_ROOT, metavar="PATH",
                   help=f"publish root for --prune (default {DEFAULT_ROOT})")
    p.add_argument("--verify", action="store_true",
                   help="compare with the stored documents themselves, not the recorded hashes")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on a server that does not answer (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--batch", type=int, default=DEFAULT_BATCH_DOCS, metavar="N",
                   help=f"documents per transaction (default {DEFAULT_BATCH_DOCS})")
    p.add_argument("--report", metavar="FILE", help="also write the records as JSON Lines")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only documents that were skipped or failed")


def run_cli(args: argparse.Namespace) -> int:
    """Run ``akn-ep publish`` with parsed arguments; the exit status.

    One line per document on stdout (``status path <- source: reason``), a summary on
    stderr. 0: every document is in the database (stored, replaced or unchanged);
    1: some document was skipped as invalid or failed; 2: the publish could not start
    or stopped (credentials, server unreachable, login refused, connection lost).

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> run_cli(p.parse_args(["x.xml", "--basex", "127.0.0.1:1", "--db", "ep",
        ...                       "--password-env", "AKN_EP_UNSET_VARIABLE"]))
        2
    """
    out, err = sys.stdout, sys.stderr
    counts: Counter[str] = Counter()
    start = time.monotonic()
    report = open(args.report, "w", encoding="utf-8") if args.report else None  # noqa: SIM115
    try:
        records = publish(args.sources, basex=args.basex, db=args.db, user=args.user,
                          password_env=args.password_env, config=args.config,
                          prune=args.prune, root=args.root, verify=args.verify,
                          timeout=args.timeout, batch_docs=args.batch)
        for rec in records:
            counts[rec.status] += 1
            if report is not None:
                report.write(json.dumps(rec.as_dict(), ensure_ascii=False) + "\n")
                report.flush()
            if not args.quiet or rec.status in ("skipped-invalid", "error"):
                print(rec, file=out, flush=True)
    except ConnectionLostError as exc:
        done = sum(counts.values())
        print(f"akn-ep: error: {exc}; {done} document(s) done before that: run the same "
              "command again to finish", file=err)
        return 2
    except (RepositoryError, ValueError) as exc:
        print(f"akn-ep: error: {exc}", file=err)
        return 2
    finally:
        if report is not None:
            report.close()
    seconds = time.monotonic() - start
    shown = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s] or s in
                      ("stored", "replaced", "unchanged"))
    print(f"akn-ep: published to {args.db} at {args.basex}: {shown} in {seconds:.1f} s",
          file=err)
    return 1 if counts["skipped-invalid"] or counts["error"] else 0
