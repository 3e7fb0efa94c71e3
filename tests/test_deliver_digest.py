"""The digest's data (day window, groups, stories, counts, health) and its three renderings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from tests.conftest_deliver import DAY, EVIL_TITLE, add_document, add_event, mail_config, sample_day
from tracker.config import Config
from tracker.deliver.digest import build_digest, day_bounds, parse_day
from tracker.deliver.html import render_html
from tracker.deliver.render import render_markdown, render_text, safe_url
from tracker.errors import ConfigError, TrackerError

NIGHT = DAY.replace(hour=23, minute=30)


@pytest.fixture
def digest(db):
    sample_day(db)
    return build_digest(db, mail_config(25), DAY.date(), now=NIGHT)


def test_day_is_taken_in_the_digest_time_zone(db):
    shanghai = Config(values={"digest.timezone": "Asia/Shanghai"})
    assert day_bounds(date(2021, 5, 21), shanghai) == ("2021-05-20T16:00:00+00:00",
                                                       "2021-05-21T16:00:00+00:00")
    # 17:00 UTC on the 20th is already the 21st in Shanghai
    doc = add_document(db, "Late evening news", datetime(2021, 5, 20, 17, 0, tzinfo=UTC))
    add_event(db, doc, "ban", "Trading was banned.", roles=[("cn-pboc", "agency", "PBoC", "actor")])
    assert build_digest(db, shanghai, date(2021, 5, 21)).event_count == 1
    assert build_digest(db, shanghai, date(2021, 5, 20)).event_count == 0
    assert build_digest(db, Config(), date(2021, 5, 20)).event_count == 1


def test_parse_day_defaults_to_yesterday():
    config = Config(values={"digest.timezone": "Asia/Shanghai"})
    now = datetime(2021, 5, 21, 17, 0, tzinfo=UTC)  # already the 22nd in Shanghai
    assert parse_day(None, config, now) == date(2021, 5, 21)
    assert parse_day("today", config, now) == date(2021, 5, 22)
    assert parse_day("2020-01-02", config, now) == date(2020, 1, 2)
    with pytest.raises(TrackerError, match="YYYY-MM-DD"):
        parse_day("21/05/2021", config, now)
    with pytest.raises(ConfigError, match="IANA"):
        parse_day(None, Config(values={"digest.timezone": "Mars/Olympus"}))


def test_events_grouped_by_type_and_jurisdiction(digest):
    groups = [(g.type, g.jurisdiction, g.place, len(g.events)) for g in digest.groups]
    assert groups == [("crackdown", "CN", "China (CN)", 2),
                      ("party_expulsion", "CN", "China (CN)", 1),
                      ("warning", "US", "United States (US)", 1)]
    # background events (is_news = 0) and other days' events stay out
    evidence = [e["evidence"] for g in digest.groups for e in g.events]
    assert "China banned crypto trading in 2017." not in evidence
    assert "The PBoC reminded banks that crypto is banned." not in evidence


def test_event_has_actor_target_evidence_and_link(digest):
    text = render_text(digest)
    assert "State Council \u2192 crypto mining (2021-05-21)" in text
    assert ("CCDI \u2192 Xu Hongbin (former deputy director of the Inner Mongolia DRC)"
            in text)
    assert "Inner Mongolia government (planned)" in text
    assert "https://reuters.example/china-crackdown" in text


def test_top_stories_with_also_reported_by(digest):
    top = digest.stories[0]
    assert top.source == "reuters" and top.url == "https://reuters.example/china-crackdown"
    assert [a["source"] for a in top.also] == ["xinhua", "scmp"]
    assert len(digest.stories) == 5  # seven documents of the day, three in one story
    html = render_html(digest)
    assert "also reported by" in html and 'href="https://xinhua.example/news/' in html


def test_counts_against_the_previous_day(digest):
    counts = {c.name: (c.today, c.previous) for c in digest.counts}
    assert counts == {"documents": (7, 1), "events": (4, 1), "crackdown": (2, 0),
                      "warning": (1, 1), "party_expulsion": (1, 0)}
    assert "Documents            7     +6  (previous 1)" in render_text(digest)


def test_source_health_broken_and_quiet(digest):
    health = [(h.name, h.problem) for h in digest.health]
    assert health == [("xinhua", "broken"), ("ndrc", "quiet")]  # sec is daily and fresh
    assert "HTTP 503" in digest.health[0].detail
    assert "expected weekly" in digest.health[1].detail


def test_source_quiet_only_beyond_twice_its_rhythm(db):
    from tests.conftest_deliver import add_source, iso

    add_source(db, "weekly-ok", rhythm="weekly", last_new_at=iso(DAY - timedelta(days=13)))
    add_source(db, "every3", rhythm="every 3d", last_new_at=iso(DAY - timedelta(days=7)))
    add_source(db, "never", rhythm="daily")
    add_source(db, "off", rhythm="daily", enabled=0, status="broken")
    digest = build_digest(db, Config(), DAY.date(), now=DAY)
    assert [(h.name, h.problem) for h in digest.health] == [("every3", "quiet")]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_html_escapes_everything_from_feeds(digest):
    html = render_html(digest)
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not [name for name, _ in parser.attrs if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;/div&gt;&lt;b onmouseover=&quot;x()&quot;&gt;flee" in html
    assert "&lt;b&gt;supporting&lt;/b&gt;" in html  # markup inside an evidence sentence
    assert "javascript:" not in html  # the blog's link is shown as text, not linked
    assert 'href="https://reuters.example/china-crackdown"' in html
    assert parser.tags.count("table") >= 3 and "style" not in parser.tags  # inline styles only


def test_markdown_escapes_and_links(digest):
    markdown = render_markdown(digest)
    assert "\\<script\\>alert(1)\\</script\\>" in markdown
    assert "<script>" not in markdown and "javascript:" not in markdown
    assert "[China's State Council vows crackdown on bitcoin mining and trading]" \
           "(<https://reuters.example/china-crackdown>)" in markdown
    assert "## Top stories" in markdown and "| Documents | 7 | +6 | 1 |" in markdown


def test_text_drops_control_characters(db):
    doc = add_document(db, "Bitcoin\x1b[31m red\nFAKE SECTION\u202e", DAY)
    add_event(db, doc, "ban", "Line one\nline two\x07",
              roles=[("x", "agency", "X\x1b]0;", "actor")])
    text = render_text(build_digest(db, Config(), DAY.date(), now=NIGHT))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "Bitcoin [31m red FAKE SECTION" in text
    assert '"Line one line two"' in text


def test_safe_url_only_allows_http():
    assert safe_url("https://a.example/x?y=1&z=2") == "https://a.example/x?y=1&z=2"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://a.example/\"onload=x",
                "//a.example/x", "ftp://a.example/", "", None, "https://a.example/\nx"):
        assert safe_url(bad) is None


def test_sections_follow_configuration(db):
    sample_day(db)
    config = Config(values={"digest.sections": ["health", "counts"]})
    text = render_text(build_digest(db, config, DAY.date(), now=NIGHT))
    assert text.index("SOURCE HEALTH") < text.index("COMPARED WITH THE PREVIOUS DAY")
    assert "TOP STORIES" not in text and "EVENTS\n" not in text
    with pytest.raises(ConfigError, match="unknown section 'weather'"):
        build_digest(db, Config(values={"digest.sections": ["weather"]}), DAY.date())


def test_empty_day(db):
    text = render_text(build_digest(db, Config(), date(2020, 1, 1)))
    assert "No new events." in text and "No new documents." in text
    assert "0 events in 0 new documents" in text
    assert EVIL_TITLE not in text


def test_the_same_news_from_two_sources_is_listed_once(db):
    ids = sample_day(db)
    xinhua = db.execute("SELECT id FROM documents WHERE source = 'xinhua'").fetchone()[0]
    add_event(db, xinhua, "crackdown", "The State Council will crack down on bitcoin mining.",
              date="2021-05-21",
              roles=[("cn-state-council", "agency", "State Council", "actor"),
                     ("topic:crypto-mining", "topic", "crypto mining", "target")])
    digest = build_digest(db, Config(), DAY.date(), now=NIGHT)
    crackdowns = digest.groups[0].events
    assert [e["document"]["id"] for e in crackdowns] == [ids["crackdown"], ids["planned"]]
    assert [a["source"] for a in crackdowns[0]["also_reported_by"]] == ["xinhua"]
    assert {c.name: c.today for c in digest.counts}["crackdown"] == 2
    assert "    also reported by: xinhua" in render_text(digest)
    assert 'also reported by</span> <a href="https://xinhua.example/news/' in render_html(digest)


def test_a_busy_group_is_capped_with_a_note(db):
    from tracker.deliver.digest import MAX_PER_GROUP

    for n in range(MAX_PER_GROUP + 3):
        doc = add_document(db, f"Fine {n}", DAY + timedelta(minutes=n))
        add_event(db, doc, "fine", f"Exchange {n} was fined.", jurisdiction="US")
    digest = build_digest(db, Config(), DAY.date(), now=NIGHT)
    [group] = digest.groups
    assert len(group.events) == MAX_PER_GROUP and group.more == 3
    assert digest.event_count == MAX_PER_GROUP + 3
    assert "  ... and 3 more; see `tracker timeline --type fine`" in render_text(digest)
    assert "and 3 more" in render_html(digest) and "and 3 more" in render_markdown(digest)


def test_denials_and_hypotheticals_are_not_listed_as_events(db):
    doc = add_document(db, "No ban for now", DAY)
    add_event(db, doc, "ban", "It has no plans to ban mining.", modality="denied")
    add_event(db, doc, "ban", "A ban would hurt miners.", modality="hypothetical")
    add_event(db, doc, "ban", "It will ban mining from June.", modality="planned")
    digest = build_digest(db, mail_config(25), DAY.date(), now=NIGHT)
    assert digest.event_count == 1
    assert "will ban mining" in render_text(digest) and "no plans" not in render_text(digest)
