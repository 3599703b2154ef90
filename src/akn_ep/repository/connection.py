"""A logged-in connection to a BaseX server: :func:`connect`, :class:`Connection`, and the
address and message helpers, every failure a typed one-line error.

Example:
    >>> parse_address("127.0.0.1:1984"), parse_address("[::1]:8984"), parse_address("db.local")
    (('127.0.0.1', 1984), ('::1', 8984), ('db.local', 1984))
"""

from __future__ import annotations

import re
import socket

from .credentials import Credentials
from .errors import (
    ConnectionLostError,
    PortClosedError,
    RepositoryError,
    ServerError,
    ServerTimeoutError,
    ServerUnavailableError,
    UnknownHostError,
)
from .session import Session

#: BaseX's default server port.
DEFAULT_PORT = 1984

#: Seconds to wait for the server at each step (connect, one command) before giving up.
DEFAULT_TIMEOUT = 60.0


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

    def __init__(self, session: Session, where: str):
        self._session: Session | None = session
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
                result: str = q.execute()
                return result
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
        akn_ep.repository.errors.PortClosedError: 127.0.0.1:...: connection refused: no BaseX server listens on that port
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
        session = Session(sock, credentials.user, credentials.password)
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
