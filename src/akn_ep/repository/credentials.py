"""Credentials: a user name and password from an environment variable or a config file
only its owner can read, never from the command line, never shown.

Example:
    >>> Credentials("akn", "s3cret")
    Credentials(user='akn', password=***)
"""

from __future__ import annotations

import configparser
import os
import stat
from pathlib import Path

import attrs

from .errors import CredentialsError, InsecureConfigError

#: Config file read when no password is given otherwise (``[basex]`` user, password).
DEFAULT_CONFIG = "~/.config/akn-ep/basex.ini"


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
        akn_ep.repository.errors.InsecureConfigError: ...: refused: the config file holds a password but its permissions (-rw-r--r--) let other users read or change it; run: chmod 600 ...
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
