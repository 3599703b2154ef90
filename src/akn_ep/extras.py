"""Optional extras: what each installs, who needs it, and the error when it is missing.

Only one command needs each of them, so a plain ``pip install akn-ep`` leaves them out
(``pyproject.toml``, ``[project.optional-dependencies]``):

========  ==========================  ==============================================
extra     module it installs          needed by
========  ==========================  ==============================================
basex     ``BaseXClient``             ``akn-ep publish``, :func:`akn_ep.publish`
dask      ``distributed`` (+ dask)    ``akn-ep batch --dask``, :mod:`akn_ep.batch.dask`
========  ==========================  ==============================================

Example:
    >>> require("basex")  # installed here (the test extra includes it): nothing happens
    >>> EXTRAS["dask"].module
    'distributed'
"""

from __future__ import annotations

import importlib.util

import attrs

from .errors import DependencyError

__all__ = ["Extra", "EXTRAS", "require", "missing"]


@attrs.frozen
class Extra:
    """One optional extra: its name, the top-level module it provides, who uses it."""

    name: str
    module: str
    needed_by: str


#: The optional extras, by name (one home: pyproject.toml lists what each installs).
EXTRAS: dict[str, Extra] = {
    e.name: e
    for e in (
        Extra("basex", "BaseXClient", "akn-ep publish (akn_ep.publish)"),
        Extra("dask", "distributed", "akn-ep batch --dask (akn_ep.batch.dask)"),
    )
}


def missing(extra: str) -> DependencyError:
    """The error that says ``extra`` is not installed and how to install it.

    Example:
        >>> print(missing("dask"))
        akn-ep batch --dask (akn_ep.batch.dask) needs the optional dependency 'distributed', \
which is not installed: pip install 'akn-ep[dask]'
    """
    e = EXTRAS[extra]
    return DependencyError(f"{e.needed_by} needs the optional dependency {e.module!r}, which "
                           f"is not installed: pip install 'akn-ep[{e.name}]'")


def require(extra: str) -> None:
    """Raise :class:`~akn_ep.errors.DependencyError` (:func:`missing`) unless the module of
    ``extra`` can be imported."""
    try:
        found = importlib.util.find_spec(EXTRAS[extra].module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise missing(extra)
