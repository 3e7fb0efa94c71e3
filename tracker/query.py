"""The query language, parsed once for search, timeline, alerts and digests.

    words "exact phrase" a OR b -excluded prefix* type:ban entity:NDRC person:"Zhang Ming"
    agency:cn-ndrc org:... place:CN topic:crypto-mining source:reuters modality:happened
    since:2021-05-01 until:2021-12 (YYYY-MM-DD, YYYY-MM or YYYY)

A comma inside one filter means "any of" (`type:ban,warning`). Repeating a filter of a single-
valued field (type, source, modality) also means "any of"; repeating an entity filter means
"all of" (a document about NDRC *and* PBOC). A leading `-` excludes, for words and filters.
The FTS5 expression is generated here, every word quoted, so no user text reaches MATCH raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import QueryError

# filter name -> what it constrains; aliases map to the canonical name
ENTITY_FILTERS = {"entity": None, "person": "person", "agency": "agency",
                  "org": "organization", "place": "place", "topic": "topic"}
FIELD_FILTERS = ("type", "source", "modality")
DATE_FILTERS = ("since", "until")
FILTERS = (*FIELD_FILTERS, *ENTITY_FILTERS, *DATE_FILTERS)
ALIASES = {"organization": "org", "organisation": "org", "from": "since", "to": "until",
           "jurisdiction": "place", "country": "place", "kind": "type"}
MODALITIES = ("happened", "planned", "denied", "hypothetical")
ASSERTED = ("happened", "planned")
HINT = ("Filters: type:ban, entity:NDRC, person:\"Zhang Ming\", agency:cn-ndrc, org:NAME, "
        "place:CN, topic:crypto-mining, source:NAME, modality:happened, since:2021-05-01, "
        "until:2021-12 (dates as YYYY-MM-DD, YYYY-MM or YYYY). Words, \"exact phrases\", "
        "a OR b, -excluded, prefix*. Put text with a colon in quotes to search for it.")

_FILTER_RE = re.compile(r"([A-Za-z_]+):")
_TOKEN_CHARS = re.compile(r"\w", re.UNICODE)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Term:
    """A word or a quoted phrase; `prefix` for word* (matches words starting with it)."""

    text: str
    phrase: bool = False
    prefix: bool = False
    position: int = 0

    def fts(self) -> str:
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Filter:
    name: str  # canonical name from FILTERS
    values: tuple[str, ...]
    negated: bool = False
    position: int = 0


@dataclass
class Query:
    text: str = ""
    clauses: list[list[Term]] = field(default_factory=list)  # AND of ORs
    excluded: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)

    def fts(self) -> str | None:
        """The FTS5 MATCH expression for the positive words, or None when there are none."""
        if not self.clauses:
            return None
        parts = []
        for clause in self.clauses:
            alts = [t.fts() for t in clause]
            parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
        return " AND ".join(parts)

    def fts_excluded(self) -> str | None:
        """One FTS5 expression matching any excluded word (documents to leave out)."""
        if not self.excluded:
            return None
        return " OR ".join(t.fts() for t in self.excluded)

    def get(self, name: str) -> list[Filter]:
        return [f for f in self.filters if f.name == name]

    @property
    def terms(self) -> list[Term]:
        return [t for clause in self.clauses for t in clause]

    def since(self) -> str | None:
        """Inclusive lower bound as an ISO prefix ('2021-05' for since:2021-05)."""
        values = [f.values[0] for f in self.get("since") if not f.negated]
        return max(values) if values else None

    def until(self) -> str | None:
        """Exclusive upper bound: the day/month/year after until:'s value."""
        values = [_next_period(f.values[0]) for f in self.get("until") if not f.negated]
        return min(values) if values else None

    def __str__(self) -> str:
        return self.text


def parse(text: str | Query | None) -> Query:
    """Parse a query; raise QueryError naming the 1-based position and what was expected."""
    if isinstance(text, Query):
        return text
    return _Parser(text or "").parse()


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.query = Query(text=text)
        self.pending_or = False
        self.negate_next = False  # set by NOT: the next item is excluded

    def fail(self, position: int, message: str) -> QueryError:
        caret = " " * position + "^"
        return QueryError(f"position {position + 1}: {message}\n  {self.text}\n  {caret}",
                          hint=HINT)

    def parse(self) -> Query:
        while self._skip_space():
            self._item()
        if self.pending_or:
            raise self.fail(len(self.text), "expected a word after 'OR'")
        if self.query.get("type") and not self.query.get("modality"):
            # "has no plans to ban" is no ban: asking for a type means events that happened or
            # are planned, unless modality: asks for denials or hypotheticals
            self.query.filters.append(Filter("modality", ASSERTED))
        return self.query

    def _skip_space(self) -> bool:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1
        return self.i < len(self.text)

    def _item(self) -> None:
        start = self.i
        negated = self.text[self.i] == "-" and self.i + 1 < len(self.text) \
            and not self.text[self.i + 1].isspace()
        if negated:
            self.i += 1
        negated, self.negate_next = negated or self.negate_next, False
        m = _FILTER_RE.match(self.text, self.i)
        if m:
            self._filter(m.group(1), m.end(), negated, start)
        elif self.text[self.i] == '"':
            self._term(self._quoted(), True, negated, start)
        else:
            word = self._bare()
            if word in ("OR", "AND", "NOT") and not negated:
                self._operator(word, start)
            else:
                self._term(word, False, negated, start)

    def _operator(self, word: str, start: int) -> None:
        if word == "AND":
            return
        if word == "NOT":
            if not self._skip_space():
                raise self.fail(self.i, "expected a word after 'NOT'")
            self.negate_next = True
            return
        if self.pending_or or not self.query.clauses:
            raise self.fail(start, "expected a word before 'OR'")
        self.pending_or = True

    def _quoted(self) -> str:
        start = self.i
        end = self.text.find('"', start + 1)
        if end < 0:
            raise self.fail(start, 'expected a closing " for the phrase that starts here')
        self.i = end + 1
        return self.text[start + 1:end]

    def _bare(self) -> str:
        start = self.i
        while self.i < len(self.text) and not self.text[self.i].isspace():
            self.i += 1
        return self.text[start:self.i]

    def _term(self, raw: str, phrase: bool, negated: bool, start: int) -> None:
        prefix = False
        if self.i < len(self.text) and self.text[self.i] == "*" and phrase:
            prefix, self.i = True, self.i + 1
        elif raw.endswith("*"):
            prefix, raw = True, raw.rstrip("*")
        if not _TOKEN_CHARS.search(raw):
            if self.pending_or:
                raise self.fail(start, "expected a word after 'OR'")
            return  # punctuation alone: nothing to search for
        term = Term(raw.strip(), phrase=phrase, prefix=prefix, position=start)
        if negated:
            if self.pending_or:
                raise self.fail(start, "an excluded word cannot be part of an OR")
            self.query.excluded.append(term)
        elif self.pending_or:
            self.query.clauses[-1].append(term)
            self.pending_or = False
        else:
            self.query.clauses.append([term])

    def _filter(self, raw_name: str, value_at: int, negated: bool, start: int) -> None:
        name = ALIASES.get(raw_name.lower(), raw_name.lower())
        if name not in FILTERS:
            raise self.fail(start + negated, f"unknown filter '{raw_name}:'")
        if self.pending_or:
            raise self.fail(start, "a filter cannot be part of an OR; use type:a,b for any of")
        self.i = value_at
        if self.i >= len(self.text) or self.text[self.i].isspace():
            raise self.fail(value_at, f"expected a value after '{raw_name}:'")
        quoted = self.text[self.i] == '"'
        raw = self._quoted() if quoted else self._bare()
        # a quoted entity name may hold a comma ("Zhang, Ming"); elsewhere a comma means any of
        parts = [raw] if quoted and name in ENTITY_FILTERS else raw.split(",")
        values = tuple(v.strip() for v in parts if v.strip())
        if not values:
            raise self.fail(value_at, f"expected a value after '{raw_name}:'")
        values = tuple(self._check_value(name, v, value_at) for v in values)
        self.query.filters.append(Filter(name, values, negated, start))

    def _check_value(self, name: str, value: str, at: int) -> str:
        if name in DATE_FILTERS:
            if _parse_date(value):
                return value
            raise self.fail(at, f"expected a date after '{name}:' as YYYY-MM-DD, YYYY-MM or "
                                f"YYYY, got '{value}'")
        if name == "modality" and value.lower() not in MODALITIES:
            raise self.fail(at, f"expected one of {', '.join(MODALITIES)} after 'modality:', "
                                f"got '{value}'")
        if name in ("type", "modality"):
            return value.lower()
        return value


def _parse_date(value: str) -> bool:
    """Is `value` a real date as YYYY-MM-DD, YYYY-MM or YYYY?"""
    m = _DATE_RE.match(value)
    if not m:
        return False
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _next_period(value: str) -> str:
    """The first ISO prefix after the period `value` names: 2021 -> 2022, 2021-12 -> 2022-01."""
    parts = value.split("-")
    if len(parts) == 1:
        return f"{int(parts[0]) + 1:04d}"
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        return f"{y + m // 12:04d}-{m % 12 + 1:02d}"
    return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
