"""A small tagged archive for the search tests, stored through the real write path.

Imported explicitly by tests/test_search_*.py (`from tests.conftest_search import ...`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from tracker.dedupe import content_hash
from tracker.models import Document, Entity, Event, EventRole, Mention, Tagged
from tracker.store.write import save_document

NDRC = Entity("cn-ndrc", "agency", "National Development and Reform Commission", ["NDRC"], "CN")
CCDI = Entity("cn-ccdi", "agency", "Central Commission for Discipline Inspection", ["CCDI"], "CN")
SEC = Entity("us-sec", "agency", "Securities and Exchange Commission", ["SEC"], "US")
ZHANG = Entity("person:zhang-ming", "person", "Zhang Ming", ["Zhang"])
CN = Entity("place:CN", "place", "China", ["CN", "PRC"], "CN")
US = Entity("place:US", "place", "United States", ["US"], "US")
MINING = Entity("topic:crypto-mining", "topic", "crypto mining", ["bitcoin mining"])
HUOBI = Entity("org:coinhub", "organization", "CoinHub", [])


def _event(type_: str, date: str, roles: list[tuple[Entity, str]], evidence: str,
           **kw) -> Event:
    return Event(type=type_, evidence=evidence, rule_id=f"test-{type_}", date=date,
                 date_precision=kw.pop("precision", "day"),
                 roles=[EventRole(e.id, r) for e, r in roles], **kw)


def _mentions(text: str, ents: list[Entity], titles: dict[str, str] | None = None) -> list:
    out = []
    for e in ents:
        surface = next((s for s in [e.name, *e.aliases] if s in text), e.name)
        start = max(text.find(surface), 0)
        out.append(Mention(e.id, surface, start, start + len(surface),
                           title=(titles or {}).get(e.id)))
    return out


# (source, url, title, text, published, entities, events, titles)
DOCS = [
    ("reuters", "https://reuters.example/ndrc-mining",
     "NDRC announces crackdown on crypto mining",
     "The National Development and Reform Commission said on Friday it would crack down on "
     "bitcoin mining and trading in China, citing energy consumption and financial risks.",
     "2021-05-21", [NDRC, CN, MINING],
     [_event("crackdown", "2021-05-21", [(NDRC, "actor"), (CN, "place")],
             "The National Development and Reform Commission said it would crack down on "
             "bitcoin mining.", jurisdiction="CN")], {}),
    ("scmp", "https://scmp.example/ndrc-mining-copy",
     "NDRC announces crackdown on crypto mining",
     "The National Development and Reform Commission said on Friday it would crack down on "
     "bitcoin mining and trading in China, citing energy consumption and financial risks.",
     "2021-05-22", [NDRC, CN, MINING], [], {}),
    ("xinhua", "https://xinhua.example/inner-mongolia-ban",
     "Inner Mongolia bans cryptocurrency mining",
     "Regulators in Inner Mongolia banned cryptocurrency mining projects on Monday. The region "
     "had been a hub for miners drawn by cheap coal power.",
     "2021-03-01", [CN, MINING],
     [_event("ban", "2021-03-01", [(CN, "place")], "Regulators in Inner Mongolia banned "
             "cryptocurrency mining projects on Monday.", jurisdiction="CN")], {}),
    ("ccdi", "https://ccdi.example/zhang-investigated",
     "Former energy official Zhang Ming under investigation",
     "Zhang Ming, deputy director of the provincial energy bureau, is under investigation by "
     "the CCDI for serious violations of discipline linked to crypto mining farms.",
     "2020-01-10", [CCDI, ZHANG, CN],
     [_event("investigation", "2020-01-10", [(CCDI, "actor"), (ZHANG, "target")],
             "Zhang Ming is under investigation by the CCDI.", jurisdiction="CN")],
     {"person:zhang-ming": "deputy director of the provincial energy bureau"}),
    ("ccdi", "https://ccdi.example/zhang-expelled",
     "Zhang Ming expelled from the party",
     "The CCDI said Zhang Ming, former deputy director of the energy bureau, was expelled from "
     "the party for taking bribes from bitcoin miners.",
     "2020-06-01", [CCDI, ZHANG],
     [_event("expulsion", "2020-06-01", [(CCDI, "actor"), (ZHANG, "target")],
             "Zhang Ming was expelled from the party.", jurisdiction="CN")],
     {"person:zhang-ming": "former deputy director of the energy bureau"}),
    ("court", "https://court.example/zhang-sentenced",
     "Zhang Ming sentenced to 12 years",
     "A court sentenced Zhang Ming to 12 years in prison for bribery connected to mining.",
     "2021-09-01", [ZHANG, CN],
     [_event("sentence", "2021-09-01", [(ZHANG, "target")],
             "A court sentenced Zhang Ming to 12 years in prison.", jurisdiction="CN")], {}),
    ("sec", "https://sec.example/coinhub-fine",
     "SEC fines CoinHub exchange $5 million",
     "The Securities and Exchange Commission fined CoinHub, a crypto exchange, for operating "
     "an unregistered trading platform. CoinHub settled without admitting wrongdoing.",
     "2022-02-01", [SEC, HUOBI, US],
     [_event("penalty", "2022-02-01", [(SEC, "actor"), (HUOBI, "target"), (US, "place")],
             "The Securities and Exchange Commission fined CoinHub.", jurisdiction="US")], {}),
    ("reuters", "https://reuters.example/pboc-background",
     "Bitcoin price falls as China warns again",
     "China's central bank warned banks about crypto trading. China banned crypto trading "
     "in 2017 and will launch a campaign against mining next month.",
     "2023-04-02", [CN],
     [_event("ban", "2017", [(CN, "place")], "China banned crypto trading in 2017.",
             precision="year", is_news=False, jurisdiction="CN"),
      _event("crackdown", "2023-05", [(CN, "place")], "will launch a campaign against mining "
             "next month.", precision="month", modality="planned", jurisdiction="CN")], {}),
]


def fill(db: sqlite_utils.Database) -> list[int]:
    """Store DOCS through save_document; returns their ids in order."""
    ids = []
    for source, url, title, text, published, ents, events, titles in DOCS:
        doc = Document(url=url, source=source, title=title, text=text,
                       published=datetime.fromisoformat(published).replace(tzinfo=UTC),
                       content_hash=content_hash(title, text, url))
        tagged = Tagged(entities=list(ents), mentions=_mentions(text, ents, titles),
                        events=list(events), rules_version="test")
        ids.append(save_document(db, doc, tagged))
    # the wire copy: dedupe groups it by its text; here the texts are too short, so say it
    db.execute("UPDATE documents SET story_id = ? WHERE id = ?", [ids[0], ids[1]])
    return ids
