"""eIds per the OASIS Akoma Ntoso Naming Convention: the one place they are formatted.

The writer gives them, the profile checks them (``ep-citation-eid``, ``ep-recital-eid``,
``ep-note-eid``), and both ask here, so the two cannot drift apart. An eId is the
parent's eId, ``__``, the element's abbreviation and its number: ``cits_1__cit_3``,
``para_12__list_1__point_b``. Numbers come from the printed ones where the convention
says so (paragraphs, points: :func:`~akn_ep.akn.ids.eid_num`) and from the position
elsewhere (citations, notes, recitals by the Latin letters of their position).

Example:
    >>> citation(3), recital(27), paragraph("12.")
    ('cits_1__cit_3', 'recs_1__rec_AB', 'para_12')
    >>> point(list_of(paragraph("12.")), "b"), indent("para_3__list_1", 2)
    ('para_12__list_1__point_b', 'para_3__list_1__indent_2')
"""

from __future__ import annotations

from .. import languages
from .ids import eid_num

__all__ = [
    "FORMULA", "CITATIONS", "RECITALS", "citation", "recital", "recital_key", "paragraph",
    "list_of", "point", "indent", "note", "group", "attachment", "amendment", "table_of",
    "table",
]

#: The preamble's formula ("The European Parliament,").
FORMULA = "preamble__formula_1"
#: The block of citations and the block of recitals (one of each in a resolution).
CITATIONS = "cits_1"
RECITALS = "recs_1"


def citation(n: int) -> str:
    """The ``n``-th citation (from 1).

    >>> citation(1)
    'cits_1__cit_1'
    """
    return f"{CITATIONS}__cit_{n}"


def recital_key(position: int) -> str:
    """The eId number of the recital at ``position`` (from 0): Latin letters of the
    position, whatever the language's alphabet (Greek "Β." is ``B``).

    >>> recital_key(0), recital_key(26)
    ('A', 'AA')
    """
    return languages.latin_letters(position)


def recital(key: int | str) -> str:
    """A recital: by position (from 0), or by an eId number already made.

    >>> recital(1), recital("3")
    ('recs_1__rec_B', 'recs_1__rec_3')
    """
    return f"{RECITALS}__rec_{recital_key(key) if isinstance(key, int) else key}"


def paragraph(num: str) -> str:
    """A paragraph, by its printed number.

    >>> paragraph("1.")
    'para_1'
    """
    return f"para_{eid_num(num)}"


def list_of(parent: str) -> str:
    """The list of points of a paragraph or point.

    >>> list_of("para_2")
    'para_2__list_1'
    """
    return f"{parent}__list_1"


def point(list_id: str, num: str) -> str:
    """A point of a list, by its eId number (``a``, ``iv``).

    >>> point("para_2__list_1", "a")
    'para_2__list_1__point_a'
    """
    return f"{list_id}__point_{num}"


def indent(list_id: str, n: int) -> str:
    """The ``n``-th dash indent (from 1) of a list.

    >>> indent("para_2__list_1", 1)
    'para_2__list_1__indent_1'
    """
    return f"{list_id}__indent_{n}"


def note(n: int) -> str:
    """The ``n``-th footnote of the document (from 1), in document order.

    >>> note(2)
    'authorialNote_2'
    """
    return f"authorialNote_{n}"


def group(n: int) -> str:
    """The ``n``-th group of paragraphs under a heading (from 1).

    >>> group(1)
    'hcontainer_1'
    """
    return f"hcontainer_{n}"


def attachment(n: int) -> str:
    """The ``n``-th annex (from 1).

    >>> attachment(1)
    'att_1'
    """
    return f"att_{n}"


def amendment(number: str) -> str:
    """A report's amendment, by its printed number ("12a" of "Amendment 12a").

    >>> amendment("12a")
    'amd_12a'
    """
    return f"amd_{eid_num(number)}"


def table_of(parent: str) -> str:
    """The table of an amendment (its two columns).

    >>> table_of("amd_1")
    'amd_1__table_1'
    """
    return f"{parent}__table_1"


def table(n: int = 1) -> str:
    """An annex's table (the writer makes a repeated one unique: ``table_1-2`` …).

    >>> table()
    'table_1'
    """
    return f"table_{n}"
