"""A warning about a source, as a value: its message, the line it names, the rule that said it.

Every route reports what was odd in its source as :class:`ParseWarning` values in
``Resolution.report.warnings``. A warning *is* the text users have always read
("line 7: paragraph 4 where 3 was expected"), so code that prints, compares or
stores warnings as strings keeps working, and it also carries ``line`` and ``rule``
so that a route can say where a line is (a PDF's page) without reading the text.

Example:
    >>> w = ParseWarning("paragraph 4 where 3 was expected", line=7, rule="numbering")
    >>> str(w), w.line, w.rule
    ('line 7: paragraph 4 where 3 was expected', 7, 'numbering')
    >>> w == "line 7: paragraph 4 where 3 was expected"
    True
    >>> str(w.located("page 2, line 3"))
    'line 7 (page 2, line 3): paragraph 4 where 3 was expected'
"""

from __future__ import annotations

from typing import Any

__all__ = ["ParseWarning"]


class ParseWarning(str):
    """One warning: ``message``, the 1-based source ``line`` (None for the whole text) and
    a short ``rule`` name (which rule or stage said it); ``where`` optionally places the
    line for a reader ("page 2, line 3"). Immutable; equal to its text as a string.

    The string is ``"line N: message"`` (``"line N (where): message"`` when located,
    just ``message`` without a line), the form warnings have always been printed in.

    Example:
        >>> ParseWarning("no adoption date printed", rule="date")
        ParseWarning('no adoption date printed', line=None, rule='date')
    """

    message: str
    line: int | None
    rule: str
    where: str

    def __new__(cls, message: str, line: int | None = None, rule: str = "",
                where: str = "") -> ParseWarning:
        if line is None:
            text = message
        elif where:
            text = f"line {line} ({where}): {message}"
        else:
            text = f"line {line}: {message}"
        self = super().__new__(cls, text)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "where", where)
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ParseWarning is immutable: cannot set {name!r}")

    def __reduce__(self) -> tuple[type[ParseWarning], tuple[Any, ...]]:
        return (ParseWarning, (self.message, self.line, self.rule, self.where))

    def __repr__(self) -> str:
        where = f", where={self.where!r}" if self.where else ""
        return (f"ParseWarning({self.message!r}, line={self.line!r}, rule={self.rule!r}"
                f"{where})")

    def located(self, where: str) -> ParseWarning:
        """The same warning with its line placed for a reader (a PDF's page and row)."""
        return ParseWarning(self.message, self.line, self.rule, where)
