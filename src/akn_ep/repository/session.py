"""The official BaseX client's session, over a socket we open and guard.

BaseXClient 8.4.4 connects without a timeout, over IPv4 only, and loops for ever when
the server closes the connection; :class:`Session` opens the socket itself and wraps it
in :class:`GuardedSocket`, then logs in exactly as the official client does.
"""

from __future__ import annotations

import hashlib
import re
import socket
from typing import Any

from .errors import LoginRefusedError, NotBaseXError

try:  # the basex extra; without it the package still imports (for the CLI) and publish says so
    from BaseXClient import BaseXClient as _bx
except ModuleNotFoundError:  # pragma: no cover - tests install the extra
    import types as _types

    _bx = _types.SimpleNamespace(Session=object)


class GuardedSocket:
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


class Session(_bx.Session):  # type: ignore[misc]  # the official client is untyped
    """The official client's session over a socket we opened (with a timeout).

    ``BaseXClient.Session.__init__`` connects without a timeout, over IPv4 only, and
    hangs when the server closes the connection; this subclass opens the socket
    itself (:func:`socket.create_connection`, so IPv6 and timeouts work), wraps it in
    :class:`GuardedSocket`, and then logs in exactly as the official client does.
    Everything after the login is the official client's code.
    """

    def __init__(self, sock: socket.socket, user: str, password: str):  # noqa: D107
        # The attributes the base class keeps under its private (name-mangled) names.
        self._Session__info = None
        self._Session__swrapper = _bx.SocketWrapper(GuardedSocket(sock))
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
