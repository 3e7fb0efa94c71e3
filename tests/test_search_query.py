"""The query language: what it parses to, the FTS5 it generates, and its errors."""

from __future__ import annotations

import pytest

from tracker.errors import QueryError
from tracker.query import parse


def test_query_words_phrases_or_exclusion_prefix():
    q = parse('"crypto mining" OR bitcoin ban -ethereum mini*')
    assert q.fts() == '("crypto mining" OR "bitcoin") AND "ban" AND "mini"*'
    assert q.fts_excluded() == '"ethereum"'


def test_query_filters_and_dates():
    q = parse('mining type:ban,warning entity:"National Development and Reform Commission" '
              'place:CN since:2021-05 until:2021')
    assert [(f.name, f.values) for f in q.filters] == [
        ("type", ("ban", "warning")),
        ("entity", ("National Development and Reform Commission",)),
        ("place", ("CN",)), ("since", ("2021-05",)), ("until", ("2021",)),
        ("modality", ("happened", "planned"))]  # implied by type:
    assert q.since() == "2021-05" and q.until() == "2022"
    assert [f.values for f in parse("type:ban modality:denied").get("modality")] == [("denied",)]
    assert parse("until:2021-12").until() == "2022-01"
    assert parse("until:2021-02-28").until() == "2021-03-01"


def test_query_negated_filter_and_not_operator():
    q = parse("NOT bitcoin -type:ban mining")
    assert q.fts() == '"mining"' and q.fts_excluded() == '"bitcoin"'
    assert q.filters[0].negated and q.filters[0].name == "type"


@pytest.mark.parametrize("text", ['a"b', "it's (odd) [x] {y} ^z $w", 'x:"y"', "AND", "* - --",
                                  'NEAR(a b)', "a+b", "ünïcödé 中文"])
def test_query_user_punctuation_is_quoted(text):
    q = parse(text.replace('x:"y"', '"x:y"'))
    expr = q.fts() or ""
    # every token sits inside a quoted string: no bare FTS5 syntax
    assert all(part.startswith('"') for part in expr.replace("(", "").split(" AND ") if part)


@pytest.mark.parametrize("text, position, expected", [
    ("mining type:", 13, "expected a value after 'type:'"),
    ("mining type: ban", 13, "expected a value after 'type:'"),
    ('"crypto mining', 1, 'expected a closing "'),
    ("since:2021-13", 7, "expected a date after 'since:'"),
    ("modality:maybe", 10, "expected one of happened"),
    ("color:red", 1, "unknown filter 'color:'"),
    ("OR mining", 1, "expected a word before 'OR'"),
    ("mining OR", 10, "expected a word after 'OR'"),
])
def test_query_errors_point_at_position(text, position, expected):
    with pytest.raises(QueryError) as err:
        parse(text)
    message = str(err.value)
    assert message.startswith(f"position {position}: {expected}")
    assert "type:ban" in err.value.hint  # the hint lists the valid filters


def test_query_empty_and_passthrough():
    q = parse("")
    assert q.fts() is None and q.filters == []
    assert parse(q) is q
