"""People: names cleaned of honorifics, one id per person within a document ("Zhang Ming",
later "Zhang" or "Ming"), and officials' titles as the text states them: before the name
("Vice Premier Liu He"), in apposition after it ("Zhang Ming, deputy director of a
provincial commerce department, ..."), or in the sentence before or after the name."""

from __future__ import annotations

import re

import numpy as np
from spacy.tokens import Doc, Span

from .entities import OPENERS, ORG_WORDS, Found, adjectival_place
from .gazetteer import slug
from .rules import Titles

LINKS = {"of", "for", "at", "to", "in"}
TRAILING = {"the", "a", "an", "and", "of", "for", "at", "to", "in", "'s", "’s", "-"}
APPOSITION_SKIP = {",", "the", "a", "an", "who", "is", "was", "then", "currently", "now", "also",
                   "has", "have", "had", "been", "be", "will", "elected", "promoted",
                   "as", "became", "becomes", "serves", "served", "named", "appointed"}
SKIP_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
POSSESSIVE = {"its", "his", "her", "their", "our"}
POSTPOSED = {"general"}  # title words after the head: "director general"
# a body's organs ("Executive Board", "Governing Council"): an executive of one is no company's
BOARDS = {"board", "committee", "council"}
ORGANS = BOARDS | {"executive", "governing", "supervisory", "management", "the"}
# a company's officers: "chief financial officer" (not "police officer")
COMPANY_OFFICERS = {"financial", "operating", "technology", "compliance", "investment", "risk",
                    "marketing", "information", "commercial", "revenue", "product", "strategy"}
# who owns a post that is no public office ("the company's head of compliance")
FIRM_OWNERS = {"company", "firm", "lender", "exchange", "platform", "startup", "defendant",
               "group", "fund", "insurer", "miner", "operator", "issuer", "client"}
# a list of portfolios holds none of these: "governor of the RBI, State Bank and Punjab
# National Bank chiefs" lists bodies, "minister of economy, Croatia and Slovenia" places
LIST_BREAKERS = {"PERSON", "GPE", "LOC", "NORP", "ORG", "DATE", "FAC"}
# ranks that a post in apposition says more than ("Lieutenant General X, Deputy Minister of
# Public Security"; not "Finance Minister X, chair of the council")
MILITARY_RANKS = {"general", "lieutenant", "colonel", "brigadier", "major", "captain", "admiral",
                  "commander", "sergeant", "lieutenant-general", "major-general"}
# words that open a sentence and are no name ("Yesterday Paula Ferreira said")
NOT_OPENING_NAMES = OPENERS | {
    "but", "and", "or", "so", "if", "when", "while", "after", "before", "he", "she", "it",
    "they", "we", "i", "this", "that", "these", "those", "there", "here", "his", "her", "their",
    "its", "our", "my", "your", "yesterday", "today", "meanwhile", "separately", "also",
    "later", "earlier", "now", "then", "however", "since", "under", "both", "neither", "only",
    "even", "judge", "justice"}
# what "press" leads as a post ("the ministry's press secretary"; not "told the press Secretary
# of State X")
PRESS_POSTS = {"secretary", "officer", "attache", "attaché", "spokesman", "spokeswoman",
               "spokesperson", "service"}
# in brackets after a post, no part of it: "(pictured)"
BRACKET_ASIDES = {"pictured", "left", "right", "centre", "center", "above", "below", "file",
                  "photo", "inset", "top", "bottom", "front", "back", "seated", "standing",
                  "foreground", "background", "second", "third", "middle", "retired", "ret"}
COVERED_KINDS = {"agency", "organization", "place"}


# a company's legal form ends its name: "Alpenblock AG"
LEGAL_FORMS = {"ag", "inc", "ltd", "llc", "llp", "gmbh", "plc", "corp", "sa", "nv", "bv",
               "limited"}
# "has appointed Tian Xiaoming, a veteran of ...": only a person is appointed to a post
APPOINTED = {"appointed", "appoints", "reappointed", "nominated", "nominates", "promoted",
             "confirmed", "confirms", "named", "names", "elected"}
# a body's unit between its name and a title word: "IMF mission chief"
UNIT_WORDS = {"mission", "staff", "board", "team", "unit", "division", "enforcement",
              "supervision", "regulation", "policy", "research"}
# "Dunamu, the operator of Upbit": an apposition that makes a name a company's
FIRM_NOUNS = {"operator", "owner", "firm", "company", "exchange", "platform", "broker",
              "lender", "startup", "issuer", "provider", "subsidiary", "parent", "developer"}


class People:
    def __init__(self, titles: Titles, institutions: frozenset[str] = frozenset(),
                 companies: frozenset[str] = frozenset()):
        self.t = titles
        self.institutions = institutions  # words that make a name a public body's
        self.companies = companies  # words that make a name a company's
        # words that are never part of a person's name
        self.no_name = titles.heads | titles.modifiers | titles.honorifics | titles.stops \
            | titles.portfolio

    def _title_after(self, doc: Doc, end: int) -> bool:
        """", former director of ...": a title in apposition right after a name."""
        if end + 1 >= len(doc) or doc[end].text != ",":
            return False
        i = end + 1
        while i < min(len(doc), end + 5) and (doc[i].lower_ in ("the", "a", "an")
                                               or doc[i].lower_ in self.t.modifiers):
            i += 1
        return i < len(doc) and doc[i].lower_ in self.t.heads and doc[i].is_lower

    def _appointee(self, doc: Doc, end: int) -> bool:
        """"appointed Tian Xiaoming, a veteran of ..., as", "confirmed X as governor", "named X
        president of": a person's post follows (not "appointed Morgan Stanley to advise")."""
        if end < len(doc) and (doc[end].lower_ == "as" or doc[end].lower_ in self.t.heads
                               and doc[end].lower_ not in self.t.private):
            return True
        return end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in (
            "a", "an", "the") and not self._firm_after(doc, end)

    @staticmethod
    def _firm_after(doc: Doc, end: int) -> bool:
        window = [t.lower_ for t in doc[end:min(len(doc), end + 7)]]
        if not window or window[0] != "," or window[1:2] not in (["the"], ["a"], ["an"]):
            return False
        rest = window[2:]
        # the apposition's own noun, not one after "of" ("a veteran of the foreign exchange
        # regulator" is a person)
        stop = min([rest.index(w) for w in (",", "of") if w in rest] or [len(rest)])
        return bool(FIRM_NOUNS & set(rest[:stop]))

    # ---------------------------------------------------------------- names
    def clean(self, doc: Doc, person: Found) -> Found | None:
        """Drop honorifics and leading title words from a name; keep those titles."""
        start, end = person.start, person.end
        while start < end and (self._honorific(doc[start])
                               or doc[start].lower_ in self.t.heads | self.t.modifiers):
            start += 1
        while end > start and (doc[end - 1].text in ("'s", "’s") or not doc[end - 1].is_alpha):
            end -= 1
        if end <= start or not any(t.is_alpha and t.text[0].isupper() for t in doc[start:end]):
            return None
        if self._thing_after_title(doc, start, end):
            return None  # "the Official Gazette": a title word after "the" names a thing
        while start > 0 and (self._given_name(doc[start - 1]) or (
                end - start == 1 and self._lone_given_name(doc[start - 1]))):
            start -= 1  # "Governor Sahap Kavcioglu": the model may drop a given name
        first = doc[start].sent.start
        if start == first + 1 and self._opening_name(doc[first]):
            start = first  # "Do Quang Vinh, former director of ...", "Ana Paula Ferreira, the"
        while end < len(doc) and doc[end].is_title and doc[end].is_alpha \
                and not doc[end].is_sent_start and doc[end].ent_type_ in ("", "PERSON") \
                and doc[end].lower_ not in self.t.heads | self.t.stops:
            end += 1  # "Liu He": the model may read "He" as a pronoun
        prefix = doc[person.start:start]
        person.start, person.end = start, end
        person.name = doc[start:end].text
        if any(t.lower_ in self.t.heads for t in prefix):
            words = [t for t in prefix if t.lower_.rstrip(".") not in self.t.honorifics]
            if words:
                first = self._extend_left(doc, doc[start].sent.start, words[0].i, {})
                while first < words[-1].i and doc[first].lower_ in POSSESSIVE:
                    first += 1
                person.title = " ".join(t.text for t in doc[first:words[-1].i + 1])
                person.title_rule = "titles:prefix"
                person.title_span = (first, words[-1].i + 1)
        return person

    def _opening_name(self, tok) -> bool:
        """The capitalised word opening a sentence right before a name the model found: its
        first part, which the model often drops (not "The", "For", "Police")."""
        return tok.is_title and tok.is_alpha and not tok.ent_type_ \
            and tok.lower_ not in NOT_OPENING_NAMES and tok.lower_ not in self.no_name

    def _honorific(self, tok) -> bool:
        return tok.lower_ in self.t.honorifics or tok.lower_.rstrip(".") in self.t.honorifics

    def _thing_after_title(self, doc: Doc, start: int, end: int) -> bool:
        head = start - 1
        return end - start == 1 and head >= 1 and doc[head].is_title \
            and doc[head].lower_ in self.t.heads and doc[head - 1].lower_ == "the"

    def _name_word(self, tok) -> bool:
        return tok.is_title and tok.is_alpha and not tok.is_sent_start and tok.i > 0 \
            and tok.lower_ not in self.no_name

    def _given_name(self, tok) -> bool:
        """A capitalised word between a title (or "appointed") and a name is part of the name
        ("Governor Sahap Kavcioglu", where the model tags only the last name)."""
        before = tok.doc[tok.i - 1]
        # (or after the verb naming someone to a post: "appointed Bilal Khan Sherazi", or
        # after a post's portfolio: "Minister of State for Finance Anil Kumar Mehra")
        return self._name_word(tok) and tok.ent_type_ in ("", "PERSON") and (
            before.lower_ in self.t.heads | self.t.portfolio or self._honorific(before)
            or before.lower_ in APPOINTED)

    def _lone_given_name(self, tok) -> bool:
        """"Minister of Water and Energy Tadesse Worku", where the model tags only "Worku": a
        capitalised word of no entity and no title just before a one-word name."""
        return self._name_word(tok) and not tok.ent_type_ and tok.doc[tok.i - 1].is_title \
            and any(t.lower_ in self.t.heads for t in tok.doc[max(0, tok.i - 8):tok.i])

    def link(self, doc: Doc, found: list[Found]) -> list[Found]:
        """Give every person mention its document-wide id; add bare surname mentions."""
        for f in found:
            if f.kind == "organization" and 2 <= f.end - f.start <= 5 and all(
                    (t.is_title or t.text == "-") and t.lower_ not in ORG_WORDS
                    for t in doc[f.start:f.end]) and (
                    f.start and doc[f.start - 1].lower_ in self.t.heads
                    or f.start and doc[f.start - 1].lower_ in APPOINTED
                    and self._appointee(doc, f.end)
                    or self._title_after(doc, f.end)):
                # "Governor Shaktikanta Das", "Sun Weidong, former director of ..." read as
                # an organisation
                f.kind = "person"
                f.id = ""
                while f.end - f.start > 2 and (self._honorific(doc[f.start])
                                               or doc[f.start].lower_ in self.t.heads):
                    f.start += 1  # "Datuk Rosli Hamzah", "ASIC Deputy Chair Rhiannon Castell"
                    f.name = doc[f.start:f.end].text
        names = {part for f in found if f.kind == "person" for part in f.name.split()[1:2]}
        names |= {f.name.split()[0] for f in found if f.kind == "person" and " " in f.name}
        names |= {f.name for f in found if f.kind == "person" and " " in f.name}
        for f in found:
            if f.kind == "organization" and (f.end - f.start == 1 or " " in f.name) \
                    and f.name in names:
                # "Gensler" read as an organisation after "Gary Gensler", a second "Sun
                # Guoqiang" as a building
                f.kind = "person"
            elif f.kind == "person" and (doc[f.end - 1].lower_.rstrip(".") in LEGAL_FORMS
                                       or self._firm_after(doc, f.end)):
                # "Alpenblock AG", "Dunamu, the operator of Upbit" read as a person
                f.kind, f.id = "organization", f"org:{slug(f.name)}"
        people = [f for f in found if f.kind == "person"]
        full: list[Found] = []
        for p in people:
            parts = p.name.split()
            match = self._full_name_for(p.name, p.start, full, people) if len(parts) == 1 else None
            p.id = match.id if match else f"person:{slug(p.name)}"
            if match:
                p.name = match.name
            elif len(parts) > 1:
                full.append(p)
        return sorted(found + self._bare_mentions(doc, found, full), key=lambda f: f.start)

    def _full_name_for(self, token: str, at: int, full: list[Found],
                       people: list[Found]) -> Found | None:
        before = [f for f in full if token.lower() in f.name.lower().split()]
        if before:
            return before[-1]
        later = [f for f in people if f.start > at and len(f.name.split()) > 1
                 and token.lower() in f.name.lower().split()]
        if later:
            later[0].id = f"person:{slug(later[0].name)}"
            return later[0]
        return None

    def _bare_mentions(self, doc: Doc, found: list[Found], full: list[Found]) -> list[Found]:
        """A surname (or given name) the model did not tag, after its full name appeared."""
        taken = bytearray(len(doc))
        for f in found:
            taken[f.start:f.end] = b"\1" * (f.end - f.start)
        extra: list[Found] = []
        if not full:
            return extra
        parts = {part for f in full for part in f.name.split()}
        for i in np.nonzero(doc.to_array("IS_TITLE"))[0].tolist():
            token = doc[i]
            if taken[i] or token.text not in parts or not token.is_alpha or len(token) < 2:
                continue
            if token.lower_ in self.no_name - self.t.stops:
                continue
            owner = [f for f in full if f.start < token.i and token.text in f.name.split()]
            if owner:
                extra.append(Found(token.i, token.i + 1, "person", owner[-1].id, owner[-1].name,
                                   "coref:name-part"))
        return extra

    # ---------------------------------------------------------------- titles
    def title_spans(self, sent: Span, found: list[Found]) -> list[tuple[int, int]]:
        doc = sent.doc
        kind_at: dict[int, Found] = {i: f for f in found for i in range(f.start, f.end)}
        spans: list[tuple[int, int]] = []
        for tok in sent:
            covered = kind_at.get(tok.i)
            if tok.lower_ not in self.t.heads:
                continue
            after = kind_at.get(covered.end) if covered else None
            if covered and covered.kind == "agency" and after and after.kind == "person" \
                    and after.start == covered.end:
                # "Manhattan U.S. Attorney X", "Acting Comptroller of the Currency X": a post
                # the registry lists as its office
                spans.append((self._extend_left(doc, sent.start, covered.start, kind_at),
                              covered.end))
                continue
            if covered:  # inside a body's name, or a person span's tagging slip: skip
                continue
            start = self._extend_left(doc, sent.start, tok.i, kind_at)
            end = self._extend_right(doc, sent.end, tok.i + 1, kind_at)
            spans.append((start, end))
        spans = sorted({s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1]
                                                   for o in spans)})
        # "member of the Party committee and vice governor of the PBOC", "Party secretary and
        # director of the energy bureau": one person's posts of one body ("the finance
        # minister and deputy finance minister X" are two people)
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and merged[-1][1] + 1 == s and doc[s - 1].lower_ == "and" and any(
                    t.lower_ in ("of", "for") for t in doc[merged[-1][0]:e]):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return merged

    def _extend_left(self, doc: Doc, floor: int, i: int, kind_at: dict[int, Found]) -> int:
        start = i
        while start - 1 >= floor:
            tok = doc[start - 1]
            owner = kind_at.get(tok.i)
            if owner and owner.kind in COVERED_KINDS:
                start = owner.start
                continue
            if owner or tok.ent_type_ in SKIP_ENTS and tok.lower_ not in self.t.modifiers:
                break  # (not "the authority's first chairman": "first" is the post's)
            before = kind_at.get(tok.i - 1)
            if tok.text in ("'s", "’s") and before and (before.kind == "agency" or (
                    before.kind == "organization" and not before.rule_id.startswith("coref"))):
                # "the FCA's interim executive director", "the central bank's spokesperson":
                # the named body is the title's
                start -= 1
                continue
            if tok.lower_ in UNIT_WORDS and start == i and before and before.kind == "agency":
                start -= 1  # "IMF mission chief": a body's unit before the title word
                continue
            if tok.text in ("'s", "’s") and not before:
                # "the ministry's press secretary", "the state utility's communications
                # director": the body named by its kind owns the post
                k = tok.i - 1
                while k > floor and k >= tok.i - 3 and doc[k].is_alpha and doc[k].is_lower \
                        and doc[k].lower_ not in self.t.stops | {"the"}:
                    k -= 1
                if k < tok.i - 1 and doc[k].lower_ == "the":
                    start = k
                break
            if tok.lower_ == "press" and doc[start].lower_ in PRESS_POSTS:
                start -= 1  # "the ministry's press secretary" (not "told the press Secretary")
                continue
            if tok.lower_ in self.t.modifiers or tok.lower_ in self.t.portfolio \
                    or tok.text == "-" or (
                    tok.is_alpha and tok.text[0].isupper()  # "Chief FinTech Officer"
                    and tok.lower_ not in self.t.stops and tok.lower_ not in self.t.honorifics):
                start -= 1
                continue
            body = kind_at.get(tok.i - 1)
            if tok.lower_ == "and" and start < i and tok.i > floor and doc[tok.i - 1].is_title \
                    and doc[tok.i - 1].lower_ not in self.t.heads \
                    and doc[start].is_title and (
                        not body or body.kind == "organization" or body.kind == "agency"
                        and body.end - body.start == 1 and doc[body.start].lower_
                        in self.t.portfolio and not (body.start and doc[body.start - 1].lower_
                                                     == "the")):
                start -= 1  # "Water and Energy Minister"
                continue
            break
        while start < i and (doc[start].text == "-" or doc[start].lower_ in ("the", "a", "an")):
            start += 1
        return start

    def _extend_right(self, doc: Doc, ceiling: int, j: int, kind_at: dict[int, Found]) -> int:
        if j + 1 < ceiling and doc[j].text == "-" and doc[j + 1].is_alpha:
            j += 2  # director-general
        elif j < ceiling and doc[j].lower_ in POSTPOSED:
            j += 1  # "director general", "attorney general"
        if j < ceiling and doc[j].text == "(":
            # "Executive Director (Stablecoin Supervision) of the HKMA", "Assistant Managing
            # Director (Policy, Payments and Financial Crime), MAS": the portfolio in brackets
            close = next((k for k in range(j + 1, min(j + 12, ceiling)) if doc[k].text == ")"),
                         None)
            inner = doc[j + 1:close] if close is not None else []
            # ("deputy akim (mayor) of Ekibastuz", "deputy chief commissioner (operations)")
            gloss = close is not None and close - j == 2 and inner[0].is_lower \
                and inner[0].is_alpha and inner[0].lower_ not in BRACKET_ASIDES
            if not gloss and (close is None or not all(
                    t.is_title and not t.is_upper and not self._honorific(t)
                    or t.text in (",", "&") or t.lower_ == "and" for t in inner)):
                return j  # (not "(pictured)", "(R-Texas)", "(CFO)", "(Dr)")
            j = close + 1
            body = kind_at.get(j + 1)
            if j + 1 < ceiling and doc[j].text == "," and body and body.kind == "agency" \
                    and (body.end >= ceiling or doc[body.end].is_punct):
                return body.end  # ", MAS"
        if j >= ceiling or doc[j].lower_ not in LINKS:
            return j
        end = j + 1
        while end < ceiling and end - j <= 12:
            tok = doc[end]
            owner = kind_at.get(tok.i)
            if owner and owner.kind == "person":
                break
            if owner and owner.kind in COVERED_KINDS:
                end = owner.end
                continue
            listed = self._listed_portfolio(doc, end + 1, ceiling, kind_at) \
                if tok.text == "," else None
            if listed:
                end = listed  # "chairman of the Rada's finance, tax and customs policy committee"
                break
            if tok.is_punct and tok.text not in ("-", "&") or tok.is_space:
                break
            if tok.is_lower and tok.lower_.endswith("ed") and doc[end - 1].is_title:
                break  # "former county judge-executive in eastern Kentucky pleaded guilty"
            if tok.lower_ in self.t.stops and not (
                    tok.lower_ == "on" and doc[end - 1].lower_ in ("committee", "commission")) \
                    or tok.ent_type_ in SKIP_ENTS:
                break  # ("chairman of the Duma Committee on the Financial Market" goes on)
            if tok.lower_ == "and" and not (end + 1 < ceiling and doc[end + 1].is_title) and not (
                    end + 2 < ceiling and doc[end + 1].lower_ == "the" and doc[end + 2].is_title) \
                    and not self._last_of_title(doc, end + 1, ceiling) \
                    and not self._unit_ends(doc, end + 1, ceiling) \
                    and not (end + 2 < ceiling and (doc[end + 1].lower_ in self.t.portfolio
                                                    or doc[end + 1].is_upper)
                             and doc[end + 2].lower_ in ("at", "of")):
                break  # ("director for markets and development at the MAS" goes on)
            end += 1
        while end > j and doc[end - 1].lower_ in TRAILING:
            end -= 1
        return end if end > j + 1 else j

    def _listed_portfolio(self, doc: Doc, i: int, ceiling: int,
                          kind_at: dict[int, Found]) -> int | None:
        """The rest of a portfolio listed with commas and "and" ("Minister of Energy, Mines and
        Low Carbon Innovation"): where it ends, or None if what follows the comma is no such
        list (a name, a new clause)."""
        k, joined = i, False
        while k < ceiling and k - i <= 8:
            t = doc[k]
            if t.lower_ == "and" and k > i and doc[k - 1].text != ",":
                joined = True
            elif t.text == "," and k > i and not joined:
                pass
            elif not (t.is_alpha and (t.is_title or t.lower_ in self.t.portfolio)
                      and t.lower_ not in self.t.stops and t.ent_type_ not in LIST_BREAKERS
                      and not kind_at.get(k)):
                break
            k += 1
        # (the list ends the post: at punctuation or before the name, never at a verb: "the
        # Fed, Republicans and Democrats pressed for")
        ends = k >= ceiling or doc[k].is_punct or doc[k].ent_type_ == "PERSON" or (
            kind_at.get(k) is not None and kind_at[k].kind == "person")
        return k if joined and ends and doc[k - 1].lower_ != "and" and doc[k - 1].text != "," \
            else None

    def _unit_ends(self, doc: Doc, i: int, ceiling: int) -> bool:
        """"... resource conservation and environmental protection office": lower-case words
        after "and" that end in a unit of a body."""
        for k in range(i, min(i + 4, ceiling)):
            if not (doc[k].is_alpha and doc[k].is_lower) or doc[k].lower_ in self.t.stops:
                return False
            if doc[k].lower_ in self.institutions:
                return True
        return False

    def _last_of_title(self, doc: Doc, i: int, ceiling: int) -> bool:
        """"director of strategy and competition,": one word, then the title ends."""
        return i < ceiling and doc[i].is_alpha and doc[i].lower_ not in self.t.stops and (
            i + 1 >= ceiling or doc[i + 1].is_punct)

    def attach_titles(self, doc: Doc, found: list[Found]) -> None:
        people = [f for f in found if f.kind == "person"]
        loose: list[tuple[int, int, Span]] = []
        for sent in doc.sents:
            spans = self.title_spans(sent, found)
            in_sent = [p for p in people if sent.start <= p.start < sent.end]
            used = self._attach_in_sentence(doc, spans, in_sent)
            loose += [(s, e, sent) for s, e in spans if (s, e) not in used]
        self._attach_across(doc, loose, people)
        for p in people:
            # "Luc Pelletier, chief executive": the title is kept, the person is no official
            if p.title and self._private(doc, p, found):
                p.title_rule = f"{p.title_rule}{PRIVATE}"

    def _private(self, doc: Doc, person: Found, found: list[Found]) -> bool:
        """A title that is no public office: a company title word ("founder", "chief
        executive", "analyst") with no body or place in it, or a post at a company ("head of
        trading at Crescent Capital Group", "manager of the city's power supply company")."""
        inside = [f for f in found if person.title_span
                  and person.title_span[0] <= f.start < person.title_span[1]]
        # ("an analyst at Hong Kong-based HashPoint Research": the place is an adjective)
        public = any(f.kind == "agency" or f.kind == "place" and not adjectival_place(doc, f)
                     or f.kind == "organization"
                     and self.institutions & set(f.name.lower().split()) for f in inside)
        words = person.title.lower().replace("-", " ").split()
        if self._body_board(person, found, inside):
            # ("Executive Board member", "ECB Executive Board member" after the ECB is named:
            # the board's name, not a company's executive)
            words = [w for k, w in enumerate(words) if not (
                w == "executive" and k + 1 < len(words) and words[k + 1] in BOARDS)]
        owner = re.match(r"(\w+)['’]s ", person.title.lower())
        if owner and owner.group(1) in FIRM_OWNERS:
            return True  # "the company's head of compliance", "the defendant's attorney"
        if words and words[-1] in self.companies and not any(f.kind == "agency" for f in inside):
            return True  # "general manager of the Zhangjiakou power supply company"
        company = any(f.kind == "organization" and self.companies
                      & set(f.name.lower().replace(".", "").split()) for f in inside)
        # ("Chief financial officer Chen Yuting"; "association chairman Dauren Tokhtarov": a
        # private owner just before the post)
        start = person.title_span[0] if person.title_span else 0
        company = company or any(w == "officer" and k and words[k - 1] in COMPANY_OFFICERS
                                 for k, w in enumerate(words)) \
            or start > 0 and doc[start - 1].lower_ in self.t.private | FIRM_OWNERS
        # ("head of research at Keel Street Capital": research is no public post, though the
        # word names no title of its own)
        return not public and (bool(self.t.private & set(words)) or "research" in words
                               or company)

    @staticmethod
    def _body_board(person: Found, found: list[Found], inside: list[Found]) -> bool:
        """The body named last before the title is a public one, and the title names no
        company (only an acronym before its board: "ECB Executive Board")."""
        def organ(f: Found) -> bool:  # "Governing Council", "Executive Board": no owner
            return f.kind == "organization" and all(
                w.lower() in ORGANS for w in f.name.split())

        start = person.title_span[0] if person.title_span else person.start
        before = [f for f in found if f.end <= start and f.kind in ("agency", "organization")
                  and not organ(f)]
        return bool(before) and before[-1].kind == "agency" and all(
            w.isupper() or w.lower() in ORGANS
            for f in inside if f.kind == "organization" for w in f.name.split())

    def _attach_in_sentence(self, doc: Doc, spans: list[tuple[int, int]],
                            people: list[Found]) -> set[tuple[int, int]]:
        used: set[tuple[int, int]] = set()
        for p in people:
            if p.title:
                continue
            for s, e in spans:
                if (s, e) in used:
                    continue
                if e == p.start or (e + 1 == p.start and doc[e].text == ",") or (
                        e < p.start <= e + 2 and all(self._honorific(t) for t in doc[e:p.start])):
                    self._set(doc, p, s, e, "titles:before")
                elif self._after(doc, p.end, s):
                    used.add((s, e))  # (a former post given way to a new one is used too)
                    s, e = self._new_post(doc, spans, s, e) or (s, e)
                    self._set(doc, p, s, e, "titles:apposition")
                else:
                    continue
                used.add((s, e))
                break
        for p in people:
            if self._rank_only(p) or _only_official(p):
                # "Brigadier General Abbas Nikzad, the provincial police chief", "Lieutenant
                # General X, Deputy Minister of Public Security", "Another official, Qian
                # Baolin, former director of the Golmud commission": the post (after a rank,
                # any post in apposition)
                post = next(((s, e) for s, e in spans if (s, e) not in used
                             and self._after(doc, p.end, s)
                             and (set(p.title.lower().split()) <= MILITARY_RANKS
                                  or self.institutions & {t.lower_ for t in doc[s:e]})), None)
                if post:
                    self._set(doc, p, *post, "titles:apposition")
                    used.add(post)
        return used

    def _new_post(self, doc: Doc, spans: list[tuple[int, int]], s: int, e: int) -> tuple | None:
        """"named X, a former deputy governor of the central bank, as the authority's first
        chairman": the public post someone is named to is the title the news gives them (a
        company post they are hired to is not: the former office stays their title)."""
        if doc[s].lower_ not in ("former", "ex"):
            return None
        for s2, e2 in spans:
            lead = [t.lower_ for t in doc[max(e, s2 - 5):s2]]
            if e <= s2 <= e + 6 and "as" in lead and self.institutions & {
                    t.lower_ for t in doc[s2 - len(lead) + lead.index("as"):e2]}:
                return s2, e2
        return None

    def _rank_only(self, person: Found) -> bool:
        """A title of rank words only ("Colonel", "Commissioner", "Brigadier General")."""
        words = (person.title or "").lower().split()
        return 0 < len(words) <= 2 and all(w in self.t.heads | self.t.modifiers for w in words)

    @staticmethod
    def _after(doc: Doc, end: int, title_start: int) -> bool:
        """Only commas, ages and linking words lie between a name and its title."""
        if title_start < end or title_start - end > 5:
            return False
        between = list(doc[end:title_start])
        if between and between[-1].text in ("'s", "’s"):
            # "Sarah Breeden, the central bank's deputy governor": the owner is no gap
            k = len(between) - 2
            while k >= 0 and between[k].is_alpha and between[k].lower_ not in APPOSITION_SKIP \
                    and len(between) - 1 - k <= 3:
                k -= 1
            between = between[:k + 1]
        return all(t.lower_ in APPOSITION_SKIP or t.like_num for t in between) and (
            len(between) == 0 or between[0].text == "," or between[0].lower_ in APPOSITION_SKIP)

    def _attach_across(self, doc: Doc, loose: list[tuple[int, int, Span]],
                       people: list[Found]) -> None:
        """"A former deputy governor ... was expelled. Zhang Ming, 58, ...": a title that is
        the subject of a sentence naming nobody goes to the untitled person next door."""
        titled = {p.id for p in people if p.title}
        sents = list(doc.sents)
        index = {s.start: n for n, s in enumerate(sents)}
        for s, e, sent in loose:
            if e - s < 2 or s - sent.start > 2 or any(sent.start <= p.start < sent.end
                                                      for p in people):
                continue
            n = index[sent.start]
            for other in (n + 1, n - 1):
                if not 0 <= other < len(sents):
                    continue
                cands = [p for p in people if sents[other].start <= p.start < sents[other].end
                         and p.id not in titled]
                if cands:
                    self._set(doc, cands[0], s, e, "titles:next-sentence" if other > n
                              else "titles:previous-sentence")
                    titled.add(cands[0].id)
                    break

    @staticmethod
    def _set(doc: Doc, person: Found, s: int, e: int, rule: str) -> None:
        while s < e - 1 and doc[s].lower_ in POSSESSIVE:
            s += 1  # "its founder, Changpeng Zhao": the title is "founder"
        person.title = " ".join(doc[s:e].text.split())
        person.title_rule = rule
        person.title_span = (s, e)


PRIVATE = ":private"  # ends the title rule of a person whose title is no public office


def _only_official(person: Found) -> bool:
    """"Another official", "a senior official": a title that names no post."""
    words = (person.title or "").lower().split()
    return bool(words) and words[-1] == "official" and set(words) <= {
        "another", "one", "a", "an", "the", "senior", "other", "official"}


def private_title(person: Found) -> bool:
    return bool(person.title_rule and person.title_rule.endswith(PRIVATE))
