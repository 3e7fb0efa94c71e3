"""Entity linking: registry names and the statistical model's entities, merged into one
layer of non-overlapping mentions with canonical ids (agency registry id, place:<ISO>,
org:<slug>; people are handled in people.py, topics are a layer of their own)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer, Hit, slug
from .matching import positions, word_hashes
from .rules import RuleSet, Titles

# doc.user_data key: the country of the document's source (sources.toml `jurisdiction`), the
# country a text that names none is about, for names several countries' bodies bear ("the
# Securities and Exchange Commission" in a US regulator's feed)
COUNTRY = "tracker_country"

NER_KINDS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
             "NORP": "place", "FAC": "organization"}
LEADING = {"the", "a", "an"}
# "the <head>" refers back to an agency of that kind named in the document.
AGENCY_HEADS = {"committee", "commission", "ministry", "bank", "central bank", "agency",
                "administration", "bureau", "board", "regulator", "watchdog", "authority", "party",
                "court", "procuratorate", "legislature", "parliament", "congress", "council"}
# "the regulator" is a body of these kinds, not a ministry it works with
REGULATING = {"regulator", "central-bank", "commission", "agency"}
# "the Paris-based authority" is a body named before; "the Frankfurt-based bank" may be a firm
WATCHDOGS = {"authority", "regulator", "watchdog", "commission", "agency", "board"}
REGULATOR_WORDS = {"regulator", "watchdog", "authority"}
# Words news copy uses for the country it is writing about.
COUNTRY_WORDS = {"the": [("the", "country"), ("the", "government"), ("the", "nation"),
                         ("the", "authorities"), ("the", "state", "council")],
                 "authorities": [("authorities",)], "regulators": [("regulators",)],
                 # when the registry has no police body of that country to resolve it to
                 "police": [("police",)], "prosecutors": [("prosecutors",)]}
# Names many countries' bodies share ("the Ministry of Finance", "the energy ministry", "the
# Senate", "the Treasury"): resolved to the body of the country the text is about, never
# listed as aliases (they would pin one country's body on every text).
SHARED_HEADS = {"ministry", "department", "party"}
# Phrases many countries' bodies bear, with whether they name the body written in lower case
# too ("the government", "police", "the presidential office") or only capitalised ("the
# Senate", "the Chamber of Deputies": "a senate" of a club is none).
SHARED_PHRASES: dict[tuple[str, ...], bool] = {
    ("senate",): False, ("treasury",): False, ("parliament",): True, ("house",): False,
    ("government",): True, ("cabinet",): True, ("police",): True,
    ("central", "bank"): True, ("presidential", "office"): True,
    ("supreme", "court"): False, ("high", "court"): False, ("constitutional", "court"): False,
    ("chamber", "of", "deputies"): False, ("legislative", "assembly"): False,
    ("national", "assembly"): False, ("federal", "assembly"): False,
    ("national", "police"): False, ("federal", "police"): False,
    ("securities", "and", "exchange", "commission"): False, ("congress",): False,
    ("party",): False, ("diet",): False,
}
# words a registry name's short form may hold besides capitalised ones
NAME_GLUE = {"of", "and", "for", "the", "on"}
# "the Republic of Kazakhstan", "the Kingdom of Thailand": the country's name follows
STATE_FORM = re.compile(r"^(the )?([A-Z][\w']+ )*(Republic|Kingdom|Federation|Sultanate|"
                        r"Emirate|State|Commonwealth|Principality|Union) of (the )?")
# "the local government", "state police" are not the country's body; "government-run" is no body
NOT_A_BODY_BEFORE = {"local", "provincial", "state", "regional", "municipal", "city", "county",
                     "town", "village", "district", "student", "school", "opposition", "former",
                     "previous", "a", "an", "military", "transitional", "secret", "traffic",
                     "riot", "private", "campus", "tribal", "shadow", "coalition"}
# "the provincial discipline inspection commission", "the region's development and reform
# commission": the body of the province the text named before
PROVINCIAL = {"provincial", "regional", "municipal"}
LOCAL_KINDS = {"city", "prefecture", "district"}  # below a province: "municipal" bodies
PROVINCE_OWNERS = {"province", "region", "city", "municipality"}
BODY_HEADS = {"commission", "committee", "government", "court", "bureau", "department",
              "congress", "administration", "office", "procuratorate"}
# "Treasury securities" are bonds, not the Treasury
NOT_A_BODY_AFTER = {"securities", "bonds", "bond", "bills", "bill", "notes", "note", "yields",
                    "yield", "debt", "market", "markets", "auction", "auctions", "inflation",
                    "-", "–", "digital", "money", "rates", "rate", "race", "seat",
                    "seats", "election", "elections", "candidate", "candidates", "hearing",
                    "hearings"}


@dataclass
class Found:
    """One mention at tokens [start, end) with its canonical entity."""

    start: int
    end: int
    kind: str  # agency | place | organization | person | topic
    id: str
    name: str
    rule_id: str
    jurisdiction: str | None = None
    title: str | None = None
    title_rule: str | None = None
    title_span: tuple[int, int] | None = None  # tokens of the title, wherever it stands

    def overlaps(self, other: Found) -> bool:
        return self.start < other.end and other.start < self.end


def adjectival_place(doc: Doc, f: Found) -> bool:
    """"New York-based", "a European Union-wide ban": a place as part of an adjective."""
    return f.end + 1 < len(doc) and doc[f.end].text in ("-", "–") \
        and doc[f.end + 1].lower_ in ("based", "wide", "registered", "listed", "headquartered")


def _strip_article(span: Span) -> Span:
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in LEADING:
        start += 1
    end = span.end
    if end - 1 > start and span.doc[end - 1].text in ("'s", "’s"):
        end -= 1
    return span.doc[start:end]


def _hyphenated(span: Span) -> Span:
    """"Moon Jae-in": the model may stop a name before its hyphenated last part."""
    doc, end = span.doc, span.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha and not doc[end + 1].ent_type_:
        end += 2
    return doc[span.start:end]


BEARERS_KEPT = 10_000  # answers of _bearer kept per process
PORTFOLIO_LINKS = {"and", "of", "the", "for", "&", ","}
ORG_WORDS = {"bank", "group", "capital", "partners", "holdings", "exchange", "commission",
             "committee", "ministry", "bureau", "office", "council", "court", "agency",
             "inc", "ltd", "corp", "company", "association", "fund", "markets", "labs"}


# how translations name one body: the discipline commission merged with the supervisory one
NAME_VARIANTS = [("discipline inspection and supervision", "discipline inspection"),
                 ("for discipline inspection and supervision", "for discipline inspection")]


NOT_NAMES = {"it", "he", "she", "they", "this", "that", "these", "those", "we", "i", "you",
             "there", "one", "some", "many", "all", "both", "each", "several", "another"}
PASSIVE_GAP = {"is", "was", "are", "were", "has", "have", "had", "been", "being", "reportedly",
               "also", "now", "already"}
ACTED_ON_PASSIVE = {"investigated", "probed", "charged", "sued", "fined", "sanctioned",
                    "raided", "suspended", "indicted", "banned"}
# words after which a capitalised name is what an authority acts on ("opened an investigation
# into Stackfield", "has sued AlphaPulse"): the model sometimes leaves such a name unread
ACTED_ON = {"into", "against", "sued", "sues", "charged", "charges", "fined", "fines",
            "sanctioned", "sanctions", "investigating", "probing", "raided", "suspended"}


def _initials_of_named(doc: Doc, found: list[Found]) -> list[Found]:
    """A capitalised word the model left unread that spells the initials of a body named
    before it: "New York State Department of Financial Services ... DFS previously fined"."""
    taken = {i for f in found for i in range(f.start, f.end)}
    return [f for tok in doc if tok.i not in taken and len(tok.text) >= 3
            and (f := _by_initials(doc, found, tok.i, tok.i + 1)) is not None]


def _by_initials(doc: Doc, found: list[Found], start: int, end: int) -> Found | None:
    """The words start:end as the initials of an agency named before them ("South Korea's
    Financial Intelligence Unit ... the FIU said")."""
    text = doc[start:end].text
    if not (2 <= len(text) <= 6 and text.isalpha() and text.isupper()):
        return None
    named = next((a for a in reversed(found) if a.kind == "agency" and a.end <= start
                  and text in _initials(doc[a.start:a.end].text)), None)
    return None if named is None else Found(start, end, "agency", named.id, named.name,
                                            "coref:initials", named.jurisdiction)


def _initials(name: str) -> set[str]:
    """The capitals of a name's words, and of its last three or more: "South Korea's Financial
    Intelligence Unit" -> SKFIU, KFIU, FIU; "New York State Department of Financial Services"
    -> ..., DFS."""
    caps = "".join(w[0] for w in name.replace("'s", "").replace("’s", "").split()
                   if w[:1].isupper())
    return {caps} | {caps[k:] for k in range(1, len(caps) - 2)}


def _variants(rest: str) -> list[str]:
    """A body's name as written, and as the registry may list it."""
    lower = rest.lower()
    return [rest] + [lower.replace(a, b) for a, b in NAME_VARIANTS if a in lower]


def _body_word(tok) -> bool:
    """A word of a body's name, written as a name or as common nouns ("discipline
    inspection and supervision commission")."""
    return tok.is_alpha and tok.lower_ not in LEADING


def _main_country(doc: Doc, found: list) -> str | None:
    """The country the places and bodies found name most, else the source's."""
    counts = Counter(f.jurisdiction for f in found if f.kind in ("place", "agency")
                     and f.jurisdiction)
    return counts.most_common(1)[0][0] if counts else doc.user_data.get(COUNTRY)


def _no_name_words(titles: Titles) -> frozenset[str]:
    """Words that are no part of a person's name the model left unnamed."""
    return titles.heads | titles.modifiers | titles.stops | titles.portfolio | ORG_WORDS


def _named_after_portfolio(doc: Doc, hits: list[Hit], ents: list[Span],
                           titles: Titles) -> list[Span]:
    """"Minister of Energy Tore Haugland", "Chairman of the Cabinet of Ministers Akylbek
    Toktosunov": the model reads the portfolio and the name as one organisation, or as
    nothing. Two or three capitalised words after a post's "of" phrase of portfolio words or
    registry names are a person."""
    hit_end = {}
    for h in hits:
        if h.kind in ("agency", "place"):
            hit_end[h.start] = max(h.end, hit_end.get(h.start, 0))
    people = [e for e in ents if e.label_ == "PERSON"]
    not_name = _no_name_words(titles)
    out = []
    for tok in doc:
        i = tok.i
        if tok.lower_ not in titles.heads or i + 2 >= len(doc) \
                or doc[i + 1].lower_ not in ("of", "for"):
            continue
        j, named = i + 2, False
        while j < len(doc):
            if j in hit_end:
                j, named = hit_end[j], True
            elif doc[j].is_title and doc[j].lower_ in titles.portfolio:
                j, named = j + 1, True
            elif doc[j].lower_ in PORTFOLIO_LINKS and (named or doc[j].lower_ == "the"):
                j += 1
            else:
                break
        k = j
        while k < len(doc) and k - j < 3 and doc[k].is_title and doc[k].is_alpha \
                and doc[k].lower_ not in not_name and k not in hit_end:
            k += 1
        while k + 1 < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_ \
                and not doc[k].whitespace_ and doc[k + 1].is_title:
            k += 2  # "Aisha Bello-Okafor"
        if any(e.start < k and j < e.end for e in people):
            continue  # the model's name stands ("Director of Market Conduct [Sarah Pritchard]")
        if named and k - j >= 2 and doc[j - 1].lower_ not in PORTFOLIO_LINKS and (
                k == len(doc) or not doc[k].is_title and doc[k].text not in ("'s", "’s")):
            out.append(Span(doc, j, k, label="PERSON"))
    return out


# common nouns a capitalised phrase after a post may end in ("Head Start Program")
NAME_TAILS = {"program", "programme", "school", "training", "management", "services",
              "roundup", "weekly", "start", "watch"}
# (not "by", "into" or "of": "an investigation into Bai Zhiqiang, former deputy ...")
PLACE_BEFORE = {"in", "to", "near", "at", "across", "among", "from", "on", "were", "was", "is",
                "are", "covers", "cover"}
# labels the model gives names it does not know ("Bai Zhiyong" as a GPE)
# capitalised words that open a sentence before a name: "For Oh Jae-sung, a former ..."
OPENERS = {"for", "like", "at", "in", "on", "with", "by", "from", "as", "to", "of", "the", "a",
           "an", "unlike", "according"}
MISREAD_NAMES = {"ORG", "GPE", "NORP", "FAC", "WORK_OF_ART", "LOC", "PRODUCT"}
# labels read as a person before "said" (not ORG, GPE or NORP: "Binance said", "Beijing said",
# "the Conservatives warned"), unless a firm's or product's word is in it
SAID_MISREAD = {"WORK_OF_ART", "PRODUCT", "FAC"}
PRODUCT_WORDS = {"global", "play", "pay", "labs", "network", "chain", "exchange", "app",
                 "wallet", "coin", "token"}
SPEECH_VERBS = {"said", "says", "told", "added", "stated", "noted", "warned", "wrote"}


def _named_after_title(doc: Doc, hits: list[Hit], ents: list[Span],
                       titles: Titles) -> list[Span]:
    """"SEC Chairperson Ramon Villareal said", "Justice Emeka Nwosu ordered": two or three
    capitalised words the model leaves unnamed right after a post's head word or an honorific
    are a person."""
    not_name = _no_name_words(titles) | NAME_TAILS
    covered = {i for h in hits for i in range(h.start, h.end)}
    covered |= {i for e in ents for i in range(e.start, e.end)}
    out = []
    # (and after a post the registry lists as an office: "Comptroller of the Currency X")
    offices = {h.end - 1 for h in hits if h.kind == "agency"
               and any(t.lower_ in titles.heads for t in doc[h.start:h.end])}
    for tok in doc:
        # (and after an honorific: "appointed Dame Philippa Rowe as Chair")
        if not tok.is_title or (tok.lower_ not in titles.heads | titles.honorifics
                                or tok.i in covered) and tok.i not in offices:
            continue
        j = tok.i + 1
        while j + 1 < len(doc) and doc[j].text == "-" and doc[j + 1].is_title:
            j += 2  # "Director-General Olumide Fasanya"
        k = j
        while k < len(doc) and k - j < 3 and doc[k].is_title and doc[k].is_alpha \
                and doc[k].lower_ not in not_name and not doc[k].is_stop and k not in covered:
            k += 1  # (not "Head Of Research", "Leader Of The Opposition")
        if k - j >= 2 and (k == len(doc) or not doc[k].is_title and doc[k].text not in (
                "'s", "’s")) and not _headline(tok.sent):
            out.append(Span(doc, j, k, label="PERSON"))
    return out


def _headline(sent: Span) -> bool:
    """A title-case line ("SEC Chair Slams Crypto Lenders"): capitals say nothing of names."""
    words = [t for t in sent if t.is_alpha]
    return len(words) >= 3 and sum(t.is_title or t.is_upper for t in words) >= 0.8 * len(words)


APPOSITION_START = {"former", "then", "ex", "a", "an", "the", "deputy", "vice", "acting"}


def _named_before_title(doc: Doc, hits: list[Hit], ents: list[Span],
                        titles: Titles) -> list[Span]:
    """"CHENGDU -- Luo Guoping, former Party chief of Jinkouhe District": two or three
    capitalised words the model leaves unnamed, or reads as an organisation, before a comma
    and a post in apposition, are a person."""
    not_name = _no_name_words(titles)
    # "the bribery case of Luo Jianping, former deputy county head": the model's
    # organisation is a name when no word of it names a body
    covered = {i for h in hits for i in range(h.start, h.end)}
    # (and "Bai Zhiyong" read as a place or a work of art, when no gazetteer place is it)
    covered |= {i for e in ents for i in range(e.start, e.end)
                if e.label_ not in MISREAD_NAMES or any(t.lower_ in not_name for t in e)}
    out = []
    for comma in (t.i for t in doc if t.text == ","):
        after = [t.lower_ for t in doc[comma + 1:min(comma + 5, len(doc))]]
        head = next((comma + 1 + k for k, w in enumerate(after) if w in titles.heads), None)
        # (a post before a name opens a new subject: "..., Deputy Energy Minister X said")
        # ("..., the regional governor said": who says so, no apposition)
        if not after or after[0] not in APPOSITION_START | titles.heads or head is None \
                or head + 1 >= len(doc) or doc[head + 1].is_title \
                or doc[head + 1].lower_ in SPEECH_VERBS:
            continue
        start, words = comma, 0
        while start > 0 and words < 3 and start - 1 not in covered:
            if words == 0 and start >= 3 and doc[start - 1].is_lower \
                    and doc[start - 1].is_alpha and len(doc[start - 1]) <= 4 \
                    and doc[start - 2].text == "-" and doc[start - 3].is_title \
                    and len(doc[start - 3]) <= 4:
                # "Oh Jae-sung": a hyphenated given name of two short syllables, last (not
                # "the Anti-corruption Summit")
                start, words = start - 3, words + 1
                continue
            if not (doc[start - 1].is_title and doc[start - 1].is_alpha) \
                    or doc[start - 1].lower_ in not_name or doc[start - 1].lower_ in OPENERS:
                break
            start, words = start - 1, words + 1
        # (a place after a preposition is one: "Police raided a farm in Nizhny Novgorod, ...")
        place = doc[start].ent_type_ in ("GPE", "LOC", "FAC", "NORP") and start > 0 \
            and doc[start - 1].lower_ in PLACE_BEFORE
        if words >= 2 and (start == 0 or not doc[start - 1].is_title) and not place:
            out.append(Span(doc, start, comma, label="PERSON"))
    return out


def _said_name(ent: Span) -> Span:
    """'..., " ESMA Chair Elena Marchetti said', '" Sun Xiaoyan told a news conference': the
    model reads capitalised words after a closing quote as a title of a work; before "said"
    they are a person (with the post before the name)."""
    doc = ent.doc
    if ent.label_ not in SAID_MISREAD or ent.end >= len(doc) \
            or doc[ent.end].lower_ not in SPEECH_VERBS \
            or not all(t.is_title or t.is_upper or t.text == "-" or doc[t.i - 1].text == "-"
                       for t in ent):  # ("ESMA Chair X", "Park Ji-hoon")
        return ent
    if {t.lower_ for t in ent} & (ORG_WORDS | PRODUCT_WORDS):
        return ent  # '"...," Coinbase Global said', "Google Play warned"
    return Span(doc, ent.start, ent.end, label="PERSON")


def _named_as_post(ent: Span, heads: frozenset[str]) -> Span:
    """"approved the appointment of Chatchai Wongsakul as secretary-general": two or three
    capitalised words the model reads as an organisation, before "as" and a post, are a
    person (not "Binance Holdings as its broker")."""
    doc = ent.doc
    if ent.label_ not in MISREAD_NAMES or not 2 <= len(ent) <= 3 or ent.end + 1 >= len(doc) \
            or doc[ent.end].lower_ != "as" \
            or not all(t.is_title and t.is_alpha for t in ent) \
            or {t.lower_ for t in ent} & (ORG_WORDS | PRODUCT_WORDS):
        return ent
    k = ent.end + 1
    while k < len(doc) and k - ent.end <= 3 and doc[k].lower_ in APPOSITION_START | {"its", "new"}:
        k += 1
    if k < len(doc) and doc[k].lower_ in heads:
        return Span(doc, ent.start, ent.end, label="PERSON")
    return ent


def _layer(hits: list[Hit], ents: list[Span], heads: frozenset[str],
           named: list[Span] = ()) -> list[Hit | Span]:
    """Non-overlapping choice: agencies first, then organisation and person names that
    contain a place ("Inner Mongolia Commerce Department", "Chad Wolf"), then places, then the
    model's other entities."""
    places = [h for h in hits if h.kind == "place"]

    def contains_place(span: Span) -> bool:
        # "the European Union's Markets": a place owning what follows is not part of a name
        inside = [p for p in places if span.start <= p.start and p.end <= span.end
                  and span.end - span.start > p.end - p.start]
        # ("Inner Mongolia" read as a person is the place it names whole, not a name holding
        # "Mongolia")
        return span.label_ in ("ORG", "FAC", "PERSON") and bool(inside) and not any(
            p.end < span.end and span.doc[p.end].text in ("'s", "’s") for p in inside) \
            and not any(p.start == span.start and p.end == span.end for p in places)

    agencies = sorted((h for h in hits if h.kind == "agency"), key=lambda h: h.start - h.end)
    ordered: list[Hit | Span] = list(agencies) + list(named)
    ents = [_after_body(e, agencies, heads) for e in ents]
    ordered += [e for e in ents if contains_place(e)]
    ordered += sorted(places, key=lambda h: h.start - h.end)
    ordered += [e for e in ents if not contains_place(e)]
    taken = bytearray(0 for _ in range(max([0] + [x.end for x in ordered])))
    chosen = []
    for item in ordered:
        if not any(taken[item.start:item.end]):
            taken[item.start:item.end] = b"\1" * (item.end - item.start)
            chosen.append(item)
    return sorted(chosen, key=lambda x: x.start)


def _after_body(ent: Span, agencies: list[Hit], heads: frozenset[str]) -> Span:
    """"FSB Chair Henrik Vanderlaan" read as one person or one organisation: the person is
    what follows the body ("Chair Henrik Vanderlaan"; the people step takes the title word
    off the name)."""
    if ent.label_ not in ("PERSON", "ORG"):
        return ent
    body = next((h for h in agencies if h.start == ent.start and h.end < ent.end - 1), None)
    if body is None or (ent.label_ == "ORG" and not (
            ent.doc[body.end].lower_ in heads and ent.end - body.end >= 3
            and all(t.is_title for t in ent.doc[body.end + 1:ent.end]))):
        return ent
    return Span(ent.doc, body.end, ent.end, label="PERSON")


class Linker:
    def __init__(self, gazetteer: Gazetteer, rules: RuleSet, nlp: Language):
        self.gaz = gazetteer
        self.rules = rules
        vocab = nlp.vocab
        self._the = word_hashes(vocab, {"the"})
        self._acted_on = word_hashes(vocab, ACTED_ON)
        self._country = word_hashes(vocab, set(COUNTRY_WORDS))
        self._bearers: dict[tuple[str, str], str | None] = {}
        # one-word names and demonyms of countries: "Kyrgyz Energy Minister" is Kyrgyzstan's
        self._nationals = {w.lower(): p.country for p in rules.places.values()
                           if p.id == p.country for w in (p.name, *p.aliases, *p.demonyms)
                           if " " not in w}
        # phrases by their first word, longest first
        self._shared_first: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
        phrases = {**dict.fromkeys(short_names(rules, nlp.make_doc), False), **SHARED_PHRASES}
        for words, lower_ok in sorted(phrases.items(), key=lambda x: -len(x[0])):
            self._shared_first.setdefault(words[0], []).append((words, lower_ok))
        # tokens that may open a shared name or a provincial body: only these are visited
        self._shared = word_hashes(vocab, SHARED_HEADS | set(self._shared_first))
        self._province_words = word_hashes(vocab, PROVINCIAL | PROVINCE_OWNERS)

    def place_found(self, start: int, end: int, place_id: str, surface: str, rule: str) -> Found:
        place = self.rules.places[place_id]
        country = self.rules.places.get(place.country)
        return Found(start, end, "place", f"place:{place.country}",
                     country.name if country else place.country, rule, place.country)

    def agency_found(self, start: int, end: int, agency_id: str, rule: str) -> Found:
        agency = self.rules.agencies[agency_id]
        return Found(start, end, "agency", agency.id, agency.name, rule, agency.country)

    def _from_span(self, span: Span) -> Found | None:
        kind, label = NER_KINDS.get(span.label_), span.label_
        span = _strip_article(span)
        if kind is None or not span.text.strip():
            return None
        if kind == "person":
            span = _hyphenated(span)
            return Found(span.start, span.end, "person", "", span.text, "ner:PERSON")
        for registry in ("agency", "place"):
            ids = self.gaz.lookup_name(span.text, registry)
            if ids and registry == "agency":
                return self.agency_found(span.start, span.end, ids[0], f"agencies:{ids[0]}")
            if ids:
                return self.place_found(span.start, span.end, ids[0], span.text, f"places:{ids[0]}")
        if kind != "organization" or not any(t.is_alpha for t in span):
            return None  # a place with no ISO code, or a stray token
        return Found(span.start, span.end, "organization", f"org:{slug(span.text)}", span.text,
                     f"ner:{label}")

    def link(self, doc: Doc, hits: list[Hit]) -> tuple[list[Found], list[Found]]:
        """(entity mentions in text order, topic mentions)."""
        topics = [Found(h.start, h.end, "topic", f"topic:{h.ids[0]}",
                        self.rules.topics[h.ids[0]].name, h.rule_id)
                  for h in hits if h.kind == "topic"]
        places = [h for h in hits if h.kind == "place"]
        names = [h for h in (self._local(h, places) for h in hits if h.kind != "topic") if h]
        ents = [_named_as_post(_said_name(e), self.rules.titles.heads) for e in doc.ents]
        items = _layer(names, ents, self.rules.titles.heads,
                       _named_after_portfolio(doc, names, ents, self.rules.titles)
                       + _named_before_title(doc, names, ents, self.rules.titles)
                       + _named_after_title(doc, names, ents, self.rules.titles))
        found = [self._item(item) for item in items]
        resolved = [f for f in found if f is not None]
        for index, item in enumerate(items):
            if found[index] is None and isinstance(item, Hit) and item.kind == "agency":
                found[index] = self._disambiguate(item, resolved, doc.user_data.get(COUNTRY))
        found = [f for f in found if f is not None]
        found = [self._head_org(doc, f, found) for f in found]
        found = self._shared_names(doc, found, places)
        provincial = self._provincial(doc, places, found) + self._body_of_place(doc, places, found)
        # (a body the model read as an organisation: "the region's Development and Reform
        # Commission")
        found = [f for f in found if not (f.kind == "organization"
                                          and any(p.overlaps(f) for p in provincial))]
        # (a body found both ways, "Sichuan's provincial Development and Reform Commission",
        # is one mention: the longest)
        provincial.sort(key=lambda f: f.start - f.end)
        provincial = [f for k, f in enumerate(provincial) if not any(
            g.start <= f.start and f.end <= g.end for g in provincial[:k])]
        found = sorted(found + provincial, key=lambda f: f.start)
        found += self._the_agency(doc, found) + _initials_of_named(doc, found)
        found = sorted(found + self._unread_names(doc, found), key=lambda f: f.start)
        owners = self._owners(doc, found)
        return found + self._country_words(doc, found) + owners, _dedupe_topics(topics)

    def _unread_names(self, doc: Doc, found: list[Found]) -> list[Found]:
        """A capitalised name that neither the model nor the registries read, where an
        authority's act names what it acts on: right after ACTED_ON ("an investigation into
        Stackfield, a crypto app"), or opening a sentence before a passive of it ("WeWork is
        reportedly being investigated by"): an organisation."""
        taken = {i for f in found for i in range(f.start, f.end)}
        after = {i + 1 for i in positions(doc, self._acted_on)}
        out = []
        opening = {s.start for s in doc.sents} if doc.has_annotation("SENT_START") else {0}
        for start in sorted(after | opening):
            if start >= len(doc) or start in taken:
                continue
            end = start
            # (a place the model saw that no registry knows is a name too: "Stackfield" as
            # GPE; "WeWork" too; not "USDT", a token's ticker)
            while end < len(doc) and end - start < 3 and doc[end].text[:1].isupper() \
                    and not doc[end].is_upper and doc[end].is_alpha \
                    and doc[end].ent_type_ in ("", "GPE", "LOC", "ORG", "FAC", "PRODUCT") \
                    and end not in taken:
                end += 1
            if end == start or doc[start].lower_ in self.rules.titles.honorifics:
                continue
            if start not in after:  # a sentence's opening name: only as a passive's subject
                if doc[start].lower_ in NOT_NAMES or end - start == 1 and doc[start].is_title \
                        and doc[start].lower_.endswith("s"):
                    continue  # "It was fined", "Miners were fined": no name
                k = end
                while k < len(doc) and doc[k].lower_ in PASSIVE_GAP:
                    k += 1
                if k == end or k == len(doc) or doc[k].lower_ not in ACTED_ON_PASSIVE:
                    continue
            elif not (end == len(doc) or doc[end].is_lower
                      or doc[end].is_punct and doc[end].text != "-"):  # (not "Munich-based")
                continue
            name = doc[start:end].text
            out.append(Found(start, end, "organization", f"org:{slug(name)}", name,
                             "unread:name"))
        return out

    def _owners(self, doc: Doc, found: list[Found]) -> list[Found]:
        """"the Communist Party's top anti-graft body": a name of one body that names another
        as its owner mentions the owner too."""
        out = []
        for f in found:
            if f.kind != "agency":
                continue
            for k in range(f.start + 1, f.end - 1):
                if doc[k].text not in ("'s", "’s"):
                    continue
                owner = _strip_article(doc[f.start:k])
                if self.gaz.lookup_name(owner.text, "place"):
                    continue  # "China's top economic planner": a country, not a body
                ids = self.gaz.lookup_name(owner.text, "agency")
                # a shared name ("the Communist Party's"): the owner of the body's country
                shared = owner[-1].lower_ in SHARED_HEADS
                ident = ids[0] if ids else shared and f.jurisdiction and self._bearer(
                    " ".join(t.lower_ for t in owner), f.jurisdiction)
                if ident and ident != f.id:
                    out.append(self.agency_found(owner.start, owner.end, ident,
                                                 f"owner:{ident}"))
        return out

    # ------------------------------------------------------------- shared names
    def _shared_names(self, doc: Doc, found: list[Found], places: list[Hit]) -> list[Found]:
        """A name several countries' bodies bear, resolved to the body of the country named
        just before it, else of the country the document names most, else of its source's;
        left as found (an organisation, or nothing) when no body of that country bears it."""
        main = _main_country(doc, found)
        if main is None:
            return found
        fixed = {i for f in found if f.kind in ("agency", "place") for i in range(f.start, f.end)}
        out = list(found)
        banks = any(f.kind == "agency" and self.rules.agencies[f.id].category == "central-bank"
                    for f in found)
        for start, end in self._shared_spans(doc):
            if fixed & set(range(start, end)):
                continue
            if self._below_country(doc, start, places):
                continue  # "the Punjab government", "Hong Kong's ...": not the nation's body
            phrase = " ".join(t.lower_ for t in doc[start:end])
            if phrase == "central bank" and banks:
                continue  # "the central bank" refers back to the one named (_the_agency)
            near = [f.jurisdiction for f in found if f.kind == "place"
                    and start - 3 <= f.end <= start
                    and not any(t.text in (".", "!", "?", ";") for t in doc[f.end:start])]
            country = near[-1] if near else main
            agency_id = (None if near else self._sibling(phrase, found)) \
                or self._bearer(phrase, country)
            if agency_id is None:
                continue
            out = [f for f in out if not (f.start < end and start < f.end)]
            out.append(self.agency_found(start, end, agency_id, f"shared-name:{agency_id}"))
        return sorted(out, key=lambda f: f.start)

    def title_bodies(self, doc: Doc, found: list[Found]) -> list[Found]:
        """"Minister of Energy and Mines Khamphet Sisoulath": the ministry an official's
        title spells, as a mention of that body (at the title), when the registry has it for
        the country the document is about."""
        country = _main_country(doc, found)
        if country is None:
            return []
        portfolio = self.rules.titles.portfolio
        named = {f.id for f in found}
        out = []
        for f in found:
            if f.kind != "person" or not f.title or not f.title_span:
                continue
            start, end = f.title_span
            words = [t.lower_ for t in doc[start:end]]
            if "minister" not in words:
                continue
            at = words.index("minister")
            after = []
            if words[at + 1:at + 2] in (["of"], ["for"]):
                for w in words[at + 2:]:
                    if w not in portfolio and w not in PORTFOLIO_LINKS:
                        break
                    after.append(w)
            elif not {"former", "ex"} & set(words[:at]) and not any(
                    g.kind == "place" and g.jurisdiction != country
                    and doc[g.start].sent.start == doc[start].sent.start for g in found):
                # "Deputy Energy Minister" (not "Kyrgyz Energy Minister" in a Kazakh story, nor
                # a former one)
                for w in reversed(words[:at]):
                    if w not in portfolio and w not in PORTFOLIO_LINKS:
                        if self._nationals.get(w, country) != country:
                            after = []
                        break
                    after.insert(0, w)
            while after and after[-1] in PORTFOLIO_LINKS:
                after.pop()
            while after and after[0] in PORTFOLIO_LINKS:
                after.pop(0)
            # "India's Minister of Finance": the place owning the title, else the text's
            owner = next((g.jurisdiction for g in found if g.kind == "place" and g.end + 1 == start
                          and doc[g.end].text in ("'s", "’s")), country)
            body = self._bearer(" ".join(["ministry", "of", *after]), owner) if after else None
            if body and body not in named:
                named.add(body)
                out.append(self.agency_found(start, end, body, f"title-of:{f.id}"))
        return out

    def _below_country(self, doc: Doc, start: int, places: list[Hit]) -> bool:
        """A province, state or city named right before the name owns the body."""
        end = start - 1 if start and doc[start - 1].text in ("'s", "’s") else start
        return any(p.end == end and self.rules.places[p.ids[0]].kind not in ("country", "union")
                   for p in places)

    def _shared_spans(self, doc: Doc) -> list[tuple[int, int]]:
        """"Ministry|Department of Finance (and X)", "the energy ministry", "the Senate",
        "police", "the Chamber of Deputies"."""
        spans = []
        for i in positions(doc, self._shared):
            tok = doc[i]
            word = tok.lower_
            if word in SHARED_HEADS and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "of" \
                    and tok.is_title and doc[tok.i + 2].is_title:
                end = tok.i + 3
                while end + 1 < len(doc) and doc[end].lower_ == "and" and doc[end + 1].is_title:
                    end += 2
                spans.append((tok.i, end))
            elif word in SHARED_HEADS and tok.i > 0 and doc[tok.i - 1].is_alpha \
                    and doc[tok.i - 1].lower_ not in LEADING and not doc[tok.i - 1].is_stop:
                spans.append((tok.i - 1, tok.i + 1))
            else:
                span = self._shared_phrase(doc, tok.i)
                if span:
                    spans.append(span)
        return spans

    def _shared_phrase(self, doc: Doc, i: int) -> tuple[int, int] | None:
        """The longest shared phrase starting at token i that names a body here."""
        for words, lower_ok in self._shared_first.get(doc[i].lower_, ()):
            end = i + len(words)
            if end > len(doc) or tuple(t.lower_ for t in doc[i:end]) != words:
                continue
            if not lower_ok and not (doc[i].is_title and doc[end - 1].is_title):
                return None
            # ("Taiwan's Criminal Investigation Bureau" is not its Investigation Bureau; the
            # "criminal police" are the police)
            if i > 0 and (doc[i - 1].lower_ in NOT_A_BODY_BEFORE or doc[i - 1].text == "Criminal") \
                    or end < len(doc) and doc[end].lower_ in NOT_A_BODY_AFTER:
                return None
            if words == ("house",) and not (i > 0 and doc[i - 1].lower_ == "the"
                                            and (end == len(doc) or not doc[end].is_title)):
                return None  # "the House", not "Bank House" or "the House Financial ..."
            return i, end
        return None

    def _sibling(self, phrase: str, found: list[Found]) -> str | None:
        """"the House" in a text about the Texas Senate's bill is the Texas House: a body
        made from the same place's template as the one body of that kind named."""
        ids = set()
        for f in found:
            template = f.kind == "agency" and self.rules.agencies[f.id].template
            if template:
                before, after = template.split("{key}")
                place = f.id[len(before):len(f.id) - len(after)]
                ids.add(f"{before}{place}-{phrase.replace(' ', '-')}")
        ids &= self.rules.agencies.keys()
        return ids.pop() if len(ids) == 1 else None

    def _bearer(self, phrase: str, country: str) -> str | None:
        """The national body of `country` one of whose names contains `phrase` with the
        fewest other words (a province's government is not "the government"). The answer is
        kept: it scans the whole registry, and the same few phrases recur in every text."""
        key = (phrase, country)
        if key not in self._bearers:
            if len(self._bearers) >= BEARERS_KEPT:
                self._bearers.clear()  # (a daemon tags for weeks: the phrases stay bounded)
            self._bearers[key] = self._find_bearer(phrase, country)
        return self._bearers[key]

    def _find_bearer(self, phrase: str, country: str) -> str | None:
        best: tuple[int, str] | None = None
        for agency in self.rules.agencies.values():
            if agency.country != country or agency.category == "local-government" \
                    or agency.template:
                continue
            for name in (agency.name, *agency.aliases):
                text = " " + " ".join(name.lower().replace("'s", " 's").split()) + " "
                if f" {phrase} " in text:
                    extra = len(text.split()) - len(phrase.split())
                    if best is None or extra < best[0]:
                        best = (extra, agency.id)
        return best[1] if best else None

    def _provincial(self, doc: Doc, places: list[Hit], found: list[Found]) -> list[Found]:
        """"the provincial discipline inspection commission", "the region's development and
        reform commission": the registry body of the province, region or city named before,
        looked up by that place's name ("Yunnan provincial discipline inspection commission")."""
        taken = {i for f in found if f.kind != "organization" for i in range(f.start, f.end)}
        out = []
        # "Inner Mongolia's development and reform commission": a province owning the body
        owned = {p.end - 1: p for p in places if self.rules.places[p.ids[0]].kind != "country"
                 and p.end + 1 < len(doc) and doc[p.end].text in ("'s", "’s")}
        for i in sorted(set(positions(doc, self._province_words)) | owned.keys()):
            tok = doc[i]
            owner = owned.get(i)
            if tok.i in taken and owner is None:
                continue
            if owner is None and tok.lower_ in PROVINCE_OWNERS and not (
                    tok.i + 1 < len(doc) and doc[tok.i + 1].text in ("'s", "’s")
                    and tok.i > 0 and doc[tok.i - 1].lower_ == "the"):
                continue
            first = tok.i + (2 if tok.lower_ in PROVINCE_OWNERS or owner else 1)
            end = first
            # ("the region's Development and Reform Commission" may be capitalised)
            while end < len(doc) and end - first < 6 and doc[end].is_alpha \
                    and (doc[end].is_lower or doc[end].is_title) and end not in taken:
                end += 1
                if doc[end - 1].lower_ in BODY_HEADS:
                    break
            if end == first or doc[end - 1].lower_ not in BODY_HEADS:
                continue
            ends = [end]
            if end + 1 < len(doc) and doc[end].lower_ == "for":
                # "the provincial commission for discipline inspection"
                tail = end + 1
                while tail < len(doc) and tail - end <= 3 and doc[tail].is_alpha \
                        and doc[tail].is_lower:
                    tail += 1
                    ends.insert(0, tail)
            owners = [owner] if owner else places
            kind = "" if owner else tok.lower_
            for stop in ends:
                found_id = self._province_body(owners, tok.i + 1, doc[first:stop].text, kind)
                if found_id:
                    # (the province owning the body stays a place of its own)
                    out.append(self.agency_found(first if owner else tok.i, stop, found_id,
                                                 f"provincial:{found_id}"))
                    out += self._and_body(doc, stop, owners, tok.i + 1, kind)
                    break
        return out

    def _and_body(self, doc: Doc, end: int, owners: list[Hit], before: int,
                  kind: str) -> list[Found]:
        """"Sichuan's provincial Development and Reform Commission and Energy Bureau": a
        second body of the same province after "and"."""
        if end + 2 >= len(doc) or doc[end].lower_ != "and":
            return []
        last = end + 1
        while last < len(doc) and last - end <= 4 and doc[last].is_title:
            last += 1
            if doc[last - 1].lower_ in BODY_HEADS:
                found_id = self._province_body(owners, before, doc[end + 1:last].text, kind)
                return [self.agency_found(end + 1, last, found_id, f"provincial:{found_id}")] \
                    if found_id else []
        return []

    def _body_of_place(self, doc: Doc, places: list[Hit], found: list[Found]) -> list[Found]:
        """"the Development and Reform Commission of Xinjiang Uygur Autonomous Region", "the
        procuratorate of Inner Mongolia Autonomous Region", "New York's Department of
        Environmental Conservation": the registry body "<place> <body>"."""
        taken = {i for f in found if f.kind not in ("organization", "place")
                 for i in range(f.start, f.end)}
        out = []
        for hit in sorted(places, key=lambda h: h.start - h.end):  # the longest place first
            place = self.rules.places[hit.ids[0]]
            names = (place.name, *place.aliases)
            of = hit.start - (2 if hit.start > 1 and doc[hit.start - 1].lower_ == "the" else 1)
            if place.kind != "country" and of >= 1 and doc[of].lower_ == "of":
                start = of
                while start > 0 and of - start < 8 and _body_word(doc[start - 1]):
                    start -= 1
                # the longest body name first
                spans = [(first, hit.end, doc[first:of].text) for first in range(start, of)]
            elif hit.end + 1 < len(doc) and doc[hit.end].text in ("'s", "’s"):
                end = hit.end + 1
                while end < len(doc) and end - hit.end <= 8 and _body_word(doc[end]):
                    end += 1
                # (the place owning the body stays a place of its own)
                spans = [(hit.end + 1, last, doc[hit.end + 1:last].text)
                         for last in range(end, hit.end + 2, -1)]
            else:
                continue
            for first, last, rest in spans:
                if taken & set(range(first, last)) or doc[first].lower_ == "and":
                    continue
                ids = next((ids for name in names for variant in _variants(rest)
                            if (ids := self.gaz.lookup_name(f"{name} {variant}", "agency"))), ())
                if ids:
                    out.append(self.agency_found(first, last, ids[0], f"body-of:{ids[0]}"))
                    taken.update(range(first, last))
                    break
        return out

    def _province_body(self, places: list[Hit], before: int, rest: str, kind: str) -> str | None:
        for hit in reversed([p for p in places if p.end <= before]):
            place = self.rules.places[hit.ids[0]]
            local = place.kind in LOCAL_KINDS
            if place.kind == "country" or local and kind in ("provincial", "regional") \
                    or not local and kind == "municipal":
                continue  # "in Changji Prefecture, the regional commission said": Xinjiang's
            for name in (place.name, *place.aliases):
                for text in (f"{name} {v}" for r in _variants(rest) for v in (r, f"{kind} {r}")):
                    ids = self.gaz.lookup_name(text, "agency")
                    if ids:
                        return ids[0]
            return None  # only the nearest province counts
        return None

    def _the_agency(self, doc: Doc, found: list[Found]) -> list[Found]:
        """"the Committee", "the ministry", "the central bank": the agency of that kind the
        document names (the nearest before, else the first after)."""
        agencies = [f for f in found if f.kind == "agency"]
        if not agencies:
            return []
        taken = {i for f in found for i in range(f.start, f.end)}
        out = []
        for i in positions(doc, self._the):
            tok = doc[i]
            first = tok.i + 1
            if first + 3 < len(doc) and doc[first + 1].text == "-" \
                    and doc[first + 2].lower_ == "based" and doc[first + 3].lower_ in WATCHDOGS:
                first += 3  # "the Paris-based authority" (not "the Frankfurt-based bank")
            if first >= len(doc) or first in taken:
                continue
            words = 2 if doc[first].lower_ == "central" and first + 1 < len(doc) else 1
            head = " ".join(t.lower_ for t in doc[first:first + words])
            if head not in AGENCY_HEADS or (first + words) in taken:
                continue
            match = [f for f in agencies if self._is_kind(f.id, head)]
            before = [f for f in match if f.end <= tok.i]
            pick = before[-1] if before else (match[0] if match else None)
            if pick:
                out.append(Found(first, first + words, "agency", pick.id, pick.name,
                                 "coref:the-agency", pick.jurisdiction))
        return out

    def _head_org(self, doc: Doc, f: Found, found: list[Found]) -> Found:
        """The model's "Committee" or "Board" alone: the agency of that kind named nearby; a
        body's own organ ("the IMF's Executive Board"): that body."""
        if f.kind != "organization":
            return f
        owner = next((a for a in found if a.kind == "agency" and a.end == f.start - 1), None)
        if owner and f.name.lower().split()[-1] in AGENCY_HEADS \
                and doc[f.start - 1].text in ("'s", "’s"):
            return Found(f.start, f.end, "agency", owner.id, owner.name, "coref:organ",
                         owner.jurisdiction)
        initials = _by_initials(doc, found, f.start, f.end)
        if initials is not None:
            return initials
        head = f.name.lower()
        if " " in head:
            # "The Federal Reserve ... The Board of Governors approved": the start of the name
            # of a body the text names
            cut = next((a for a in found if a.kind == "agency" and any(
                n.lower().startswith(head + " ") for n in [self.rules.agencies[a.id].name,
                                                           *self.rules.agencies[a.id].aliases])),
                       None)
            if cut is not None:
                return Found(f.start, f.end, "agency", cut.id, cut.name, "coref:short-name",
                             cut.jurisdiction)
        if head not in AGENCY_HEADS:
            return f
        match = [a for a in found if a.kind == "agency" and self._is_kind(a.id, head)]
        before = [a for a in match if a.end <= f.start]
        pick = before[-1] if before else (match[0] if match else None)
        if pick is None:
            return f
        return Found(f.start, f.end, "agency", pick.id, pick.name, "coref:the-agency",
                     pick.jurisdiction)

    def _is_kind(self, agency_id: str, head: str) -> bool:
        agency = self.rules.agencies[agency_id]
        if head == "central bank":
            return agency.category == "central-bank"
        if head == "party":
            return agency.category == "party"
        if head in REGULATOR_WORDS and agency.category in REGULATING:
            return True
        if head in REGULATOR_WORDS | {"agency"}:
            return head == "agency"  # "the agency": whichever body the text named last
        return head in agency.name.lower().split()

    def _local(self, hit: Hit, places: list[Hit]) -> Hit | None:
        """An agency name right after a place of another country is that place's body:
        "Inner Mongolia Commerce Department" is not the US Department of Commerce."""
        if hit.kind != "agency":
            return hit
        before = [p for p in places if hit.start - 2 <= p.end <= hit.start]
        if not before:
            return hit
        country = self.rules.places[before[-1].ids[0]].country
        ids = tuple(i for i in hit.ids if self.rules.agencies[i].country in (country, None))
        return Hit(hit.start, hit.end, hit.kind, ids, hit.rule_id) if ids else None

    def _country_words(self, doc: Doc, found: list[Found]) -> list[Found]:
        """"the country", "the government", "authorities": the country the document is
        about (the one it names most), so "the country banned trading" has an actor."""
        counts = Counter(f.jurisdiction for f in found if f.kind == "place")
        counts.update(f.jurisdiction for f in found if f.kind == "agency" and f.jurisdiction)
        country = counts.most_common(1)[0][0] if counts else doc.user_data.get(COUNTRY)
        if country is None:
            return []
        taken = {i for f in found for i in range(f.start, f.end)}
        out = []
        for i in positions(doc, self._country):
            for phrase in COUNTRY_WORDS.get(doc[i].lower_, ()):
                end = i + len(phrase)
                words = [t.lower_ for t in doc[i:end]]
                if words == list(phrase) and not taken & set(range(i, end)):
                    place = self.rules.places.get(country)
                    out.append(Found(i, end, "place", f"place:{country}",
                                     place.name if place else country, "coref:the-country",
                                     country))
                    break
        return out

    def _item(self, item: Hit | Span) -> Found | None:
        if isinstance(item, Span):
            return self._from_span(item)
        if item.kind == "place":
            return self.place_found(item.start, item.end, item.ids[0], "", item.rule_id)
        if len(item.ids) == 1:
            return self.agency_found(item.start, item.end, item.ids[0], item.rule_id)
        return None  # a shared name: resolved once the places are known

    def _disambiguate(self, hit: Hit, found: list[Found], hint: str | None) -> Found:
        """A shared name: the country just before it ("China's central bank"), else the
        country the document names most, else its source's (`hint`)."""
        near = [f.jurisdiction for f in found if f.kind == "place" and hit.start - 3 <= f.end
                <= hit.start]
        counts = Counter(f.jurisdiction for f in found if f.kind == "place")
        for country in near + [c for c, _ in counts.most_common()] + [hint]:
            for agency_id in hit.ids:
                if self.rules.agencies[agency_id].country == country:
                    return self.agency_found(hit.start, hit.end, agency_id, hit.rule_id)
        return self.agency_found(hit.start, hit.end, hit.ids[0], hit.rule_id)


def short_names(rules: RuleSet, tokenize) -> set[tuple[str, ...]]:
    """Registry names less their country ("Capital Markets Board" of "Capital Markets Board of
    Türkiye" or "Turkish Capital Markets Board"): the text about that country names the body
    so, and the shared-name step resolves it to the body of the country the text is about."""
    owners: dict[str, list[str]] = {}
    for place in rules.places.values():
        if place.id != place.country:
            continue  # "Hebei Provincial ...": a province's body is no national one
        for word in (place.name, *place.aliases, *place.demonyms):
            owners.setdefault(place.country, []).append(word)
    out = set()
    for agency in rules.agencies.values():
        if agency.template or not agency.country:
            continue
        country_words = owners.get(agency.country, [])
        for name in (agency.name, *agency.aliases):
            short = _less_country(name, country_words)
            # as the tokenizer splits them: "Attorney 's Office", "Anti - Corruption"
            words = [t.text for t in tokenize(short)] if short else []
            if len(words) > 1 and words[0][0].isupper() and all(
                    w[0].isupper() or w in NAME_GLUE or not w[0].isalpha() for w in words) \
                    and words[-1][0].isupper():
                out.add(tuple(w.lower() for w in words))
    return out


def _less_country(name: str, country_words: list[str]) -> str | None:
    """"X of [the] <country>" or "<country's> X" / "<demonym> X" -> "X"; else None."""
    for owner in country_words:
        for prefix in (f"{owner}'s ", f"{owner} "):
            if name.startswith(prefix):
                return name[len(prefix):]
    parts = name.split(" of ")
    for k in range(1, len(parts)):
        tail = STATE_FORM.sub("", " of ".join(parts[k:]))
        if any(re.match(rf"{re.escape(owner)}\b", tail) for owner in country_words):
            return " of ".join(parts[:k])
    return None


def _dedupe_topics(topics: list[Found]) -> list[Found]:
    """Overlapping matches of one topic (two patterns on the same words) count once."""
    out: list[Found] = []
    for t in sorted(topics, key=lambda t: (t.start, t.start - t.end)):
        if not any(o.id == t.id and o.overlaps(t) for o in out):
            out.append(t)
    return out

