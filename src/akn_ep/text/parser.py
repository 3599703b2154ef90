"""The parser's old home, kept importable: :func:`parse` is :func:`akn_ep.text.parse.parse`.

Example:
    >>> from akn_ep.text.parse import parse as rules_parse
    >>> parse is rules_parse
    True
"""

from __future__ import annotations

from .parse import parse

__all__ = ["parse"]
