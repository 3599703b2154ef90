"""The typed errors of publishing, each saying what failed in one line.

Example:
    >>> issubclass(PortClosedError, ServerUnavailableError), issubclass(ServerError, AknEpError)
    (True, True)
"""

from __future__ import annotations

from ..errors import AknEpError


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
