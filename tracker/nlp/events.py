"""Events: a trigger from rules/events.toml in a sentence, with who acted on whom, where,
when, whether it happened, and whether it is the document's news or history it recalls."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import takewhile

from spacy.tokens import Doc, Span

from . import dates
from .entities import COUNTRY, Found, adjectival_place
from .matching import SentenceMatcher
from .people import private_title
from .rules import EventType, RuleSet, Trigger

BE = {"was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"}
WINDOW = 10  # tokens before a trigger searched for modality and background cues
ATTRIBUTION = {"said", "says", "announced", "announces", "stated", "told", "added", "reported",
               "confirmed", "disclosed"}
# not when it happened: a deadline, a start ("effective Sept. 1") or a period of conduct
# ("for serving customers between November 2020 and August 2022")
DEADLINE = {"by", "before", "until", "till", "through", "than", "with", "effective", "starting",
            "between", "from"}
# "vowed last month to crack down": the date of the vow, which a plan is news on
# (and the nouns: "follows a pledge last month by the committee, ..., to crack down")
VOWS = {"vowed", "pledged", "promised", "vows", "pledges", "promises", "threatened", "pledge",
        "vow", "promise"}
ORDERS = {"told", "ordered", "instructed", "directed", "required", "ordering", "requiring"}
PRONOUNS = {"he", "she", "his", "her"}
MODALITY_ORDER = ("denied", "hypothetical", "planned")
# Participles that describe the subject rather than something done to it: "is prepared to act"
ADJECTIVAL = {"prepared", "committed", "determined", "poised", "set", "expected", "scheduled"}
CANCEL_WINDOW = 4  # tokens before a trigger searched for cancel_before words
NAME_ENTS = {"ORG", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT", "FAC", "PERSON"}
# "decided to raise", "the first state to pass": the infinitive after these is what was done
DONE_TO = {"first", "decided", "voted", "agreed", "moved", "began", "started", "ordered",
           "continued", "told", "instructed", "directed", "required", "requiring", "requires",
           "ordering", "chose", "opted", "went", "decision", "move", "vote", "prompted",
           "prompting", "forced", "led"}
# "abused his power to approve", "has the authority to ban", "room to cut rates"
CAPACITY = {"power", "powers", "authority", "position", "mandate", "room", "scope", "leeway",
            "latitude"}
MAX_MATCHES = 500  # per document: a text repeating a trigger word endlessly is not news
# A participle trigger between these words and a noun describes the noun ("lawyers for
# detained migrants", "tested positive for banned substances"): no event.
ADJECTIVE_SLOT = {"the", "a", "an", "of", "for", "with", "on", "in", "to", "from", "about",
                  "against", "its", "their", "his", "her", "our", "these", "those", "some",
                  "any", "other", "during", "among", "over", "into", "newly", "previously",
                  "formerly", "already", "recently", "'s", "’s"}
NOT_A_NOUN = {"by", "in", "on", "at", "for", "from", "to", "as", "with", "after", "before",
              "over", "under", "since", "until", "and", "or", "but", "the", "a", "an", "his",
              "her", "their", "its", "last", "this", "earlier", "amid", "without", "into",
              "about", "up", "down", "off", "out", "more", "than", "that", "which", "who",
              "because", "while", "when", "if", "early", "late", "later", "again", "also",
              "here", "there", "outright", "altogether", "nationwide", "temporarily"}
NEGATIONS = {"not", "n't", "never", "no"}
STATUS_QUO = {"maintain", "keep", "leave", "hold"}
SUBJECT_GAP = BE | NEGATIONS | {"has", "have", "had", "did", "does", "do", "also", "then",
                                "later", "already", "now", "just", "recently", "still", "on",
                                "would", "could", "will", "may", "might", "should", "can"}
NEGATION_REACH = 5  # tokens from a bare "not" to the trigger it negates ("not be able to ban")
MODALS = {"would", "could", "might", "may", "will", "should", "can"}
# a body's own documents, which speak for it ("the SEC's investor alert warns")
BODY_DOCUMENTS = {"statement", "report", "alert", "alerts", "review", "list", "bulletin",
                  "outlook", "website", "survey", "book", "paper", "letter", "warning"}
# words that name firms' and clubs' units as well as public bodies ("the family office")
SHARED_BODY_WORDS = {"office", "department", "unit", "committee", "council", "board", "party"}
# a title word that refers back to the official named with it ("the minister warned")
TITLE_BACKREF = {"minister", "governor", "mayor", "premier", "chairman", "chairwoman", "chair",
                 "director", "secretary", "commissioner", "prosecutor", "judge"}
# Types that are what a body says (its warnings, vows and announced campaigns)
SPEECH_ACTS = {"warning", "pledge", "crackdown"}
# A sentence opening with these may continue the previous sentence's actor
CARRY_OPENERS = {"it", "they", "the", "this", "these", "that", "such", "its", "their", "he",
                 "she", "a", "an", "under", "from", "on", "in", "new", "those", "however",
                 "but", "meanwhile", "also", "still", "yet", "instead", "separately"}
# Types whose sentence subject is the one acting ("the expert warned"); a regulation's subject
# is often the rule itself ("tariffs took effect")
SUBJECT_ACTS = {"warning", "pledge", "ban", "crackdown", "penalty", "approval", "prosecution",
                "investigation"}
DASHES = {"—", "–", "--"}
# "cases need to be carefully investigated": a modal passive of a common noun is a statement
# about such things in general
GENERIC_CHAIN = MODALS | NEGATIONS | {"to", "be", "need", "needs", "must", "ought", "also"}
DEFINITE = {"the", "its", "their", "his", "her", "our", "this", "that", "these", "those", "'s",
            "’s", "all"}
NOUN_NEXT = {"on", "against", "of", "in", "for", "from", "under", "that", "which", "and", "or",
             "to", "has", "have", "had", "remain", "remains", "remained"}
EXISTING = {"recent", "existing", "current", "previous", "earlier", "former", "longstanding",
            "old", "ongoing", "running"}  # ("a long-running campaign against")
# "arrested six more people": a counted group is a target the registries cannot name
PEOPLE_WORDS = {"people", "persons", "suspects", "individuals", "officials", "executives",
                "employees", "members", "men", "women", "others", "miners", "traders",
                "nationals", "citizens", "banks", "lenders", "firms", "companies", "exchanges",
                "platforms", "brokers", "organisers", "organizers", "operators", "promoters",
                "owners", "founders", "directors", "managers", "violators", "offenders",
                "enterprises"}
# a rule proposed is a regulation that happened (the labelling policy)
PROPOSALS = {"proposal", "proposals", "proposed", "draft"}
# Measures a passive sentence reports without naming who imposed them ("providers will be
# barred"), taken to be the document's main body's; "is authorised" is a state, not an act
FALLBACK_ACTOR = {"ban", "regulation", "penalty", "crackdown", "warning"}
# one person or firm the text does not name: "a Russian national", "a former official", "a
# cryptocurrency mining company"
PARTY_NOUNS = {"man", "woman", "national", "resident", "citizen", "official", "executive", "staff",
                "chief", "head", "minister", "secretary", "ringleader", "organiser", "organizer",
                "mastermind",
                "suspect", "businessman", "businesswoman", "businessmen", "businesswomen",
                "trader", "founder", "operator",
                "developer", "programmer", "individual", "person", "miner", "employee",
                "manager", "banker", "teenager", "student", "couple", "officer", "policeman",
                "policewoman", "major", "colonel", "captain", "lieutenant", "inspector",
                "judge", "mayor", "director", "lawmaker", "prosecutor", "governor", "contractor",
                "worker", "engineer", "accountant", "lawyer", "broker", "investor", "hacker",
                "owner", "entrepreneur", "agent", "member", "leader", "clerk", "cashier",
                "administrator", "technician", "guard", "driver", "farmer", "father", "mother",
                "son", "daughter", "husband", "wife", "pensioner", "villager", "defendant",
                # a party the text describes: "sued a cryptocurrency mining company"
                "company", "firm", "exchange", "platform", "business", "lender", "startup",
                "defendants", "accomplice", "accomplices", "associates", "adviser", "advisor",
                "consultant", "councillor", "councilor"} | PEOPLE_WORDS
IF_WHETHER = {"determine", "check", "ask", "asked", "decide", "see", "know", "assess", "even",
              "examine", "verify"}
# "faced fines of up to RM1 million": the most the law allows
MAXIMUM_CUES = {"face", "faces", "faced", "facing", "risk", "risks", "attract", "attracts",
                "carry", "carries", "punishable"}
SOON_AFTER = {"shortly", "soon", "just"}  # "shortly after the committee called for"
NEW_ONE = {"new", "separate", "similar", "second", "another", "further", "additional"}
LEGISLATURES = {"parliament", "congress", "senate", "assembly", "riksdag", "storting", "duma",
                "house", "legislature", "lawmakers", "diet", "bundestag", "knesset", "majlis"}
TARIFFS = {"tariff", "tariffs", "rates", "prices"}
NO_OBJECT = {"when", "if", "during", "within", "in", "for", "at", "after", "before", "until",
             "temporarily", "early", "once", "completely"}
JOINT_WORK = {"worked", "cooperated", "collaborated", "teamed", "partnered", "joined"}
ADJOURNED = {"adjourned", "adjourns", "postponed", "deferred", "fixed", "set"}
# posts an unnamed official holds: "detained a former port authority chairman"
POSTS = {"commissioner", "chairman"}
GIVING = {"gave", "gives", "given", "give", "giving", "handed"}
SEARCHES = {"search", "searches", "investigation", "probe"}
DETERMINERS = {"a", "an", "the", "two", "three", "four", "five", "one", "another", "several"}
# the words between a subject and the verb of its duty ("would have to", "are required to")
DUTY_WORDS = {"would", "will", "must", "have", "has", "to", "be", "required", "obliged", "need",
              "needs", "also", "are", "is", "shall", "not"}
# "a requirement it imposed in 2022"
RELATIVE_SUBJECTS = {"it", "they", "which", "that"}
# "published the text of a decree banning": the decree is the news
PUBLISHED = {"text", "reading", "draft", "copy", "version", "publication", "adoption", "passage",
             "approval", "signing", "details", "release", "introduction"}
# what a law or rule sets out for those who break it
PROVIDES = {"introduces", "introduce", "introduced", "introducing", "provides", "provide",
            "providing", "carries", "carry",
            "stipulates", "prescribes"}
AMOUNTS = {"million", "billion", "trillion", "crore", "lakh", "yuan", "rupees", "dollars"}
# what a fight or campaign "against" may aim at that no one enforces against
POLICY_AIMS = {"inflation", "poverty", "hunger", "unemployment", "climate", "disease",
               "pollution", "deflation", "desertification", "prices", "inflationary", "covid",
               "covid-19", "pandemic", "depreciation"}
# who may hand down a fine with a jail term
COURT_WORDS = {"court", "courts", "judge", "judges", "tribunal"}
# "settlement" as a payments word ("a settlement mechanism"), not a case settled
PAYMENTS = {"of", "system", "systems", "mechanism", "mechanisms", "bank", "banks", "token",
            "tokens", "layer", "rails", "platform", "currency", "asset", "assets", "cycle", "date",
            "network", "infrastructure", "services", "agent", "account", "accounts"}
# a decision whose terms a later sentence spells out
TERMS = {"order", "settlement", "agreement", "decision", "ruling", "judgment", "judgement"}
# "charged the five": a group the text counted before
NUMBER_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "both"}
# Verbs of a call on someone else to act: the caller, not the one called on, is who acts
CALLS = {"called", "calls", "urged", "urges", "asked", "asks", "pressed", "demanded", "demands",
         "pressing", "lobbying", "urging",
         # what markets expect: "analysts are betting that regulators will"
         "betting", "bet", "bets", "priced", "pricing"}
# "what purported to be a draft", "posts claimed Beijing was preparing to"
UNVERIFIED = {"purported", "purportedly", "purporting", "claimed", "claiming", "chances",
              "odds"}
# "reviewing whether the firm had breached ...": the firm named before
FIRM_WORDS = {"firm", "company", "exchange", "platform", "lender", "broker", "bank", "operator",
              "provider", "fund", "issuer"}
# a clause opening with these after a comma describes something else: ", reversing a
# February 2021 directive"
OTHER_CLAUSE = {"which", "who", "whose", "whom", "where"}
BILLS = {"bill", "measure", "legislation", "draft", "proposal", "proposals", "amendments",
         "amendment"}
MEASURES = {"law", "rule", "rules", "regulation", "regulations", "resolution", "decree", "order",
            "amendments", "act", "measures", "notice", "directive"}
# a bare year after these dates an act ("in 2021", "since 2019"); after others it names a
# thing ("the landmark 2021 law")
YEAR_BEFORE = {"in", "since", "of", "from", "by", "until", "for", "during", "early", "late",
               "mid", "and", "to", "after", "before", "between", ",", "through", "as"}
CAMPAIGNS = {"campaign", "campaigns", "crackdown", "drive", "operation"}
PREPARING = {"finalising", "finalizing", "drafting", "preparing", "developing", "formulating",
             "introducing"}
# what a crackdown named after "on" is the subject of: "decisions on rectifying mining"
DECISIONS = {"decision", "decisions", "deployment", "deployments", "policy", "policies",
             "requirements", "instructions", "directive", "directives"}
# documents that carry a measure: "issued a notice launching a clean-up" is the clean-up
VEHICLES = {"notice", "circular", "notification", "document"}
NOTICES = VEHICLES | {"decree", "directive", "resolution"}  # "In a notice posted on ..."
MADE = {"posted", "published", "adopted", "signed", "issued", "approved", "passed", "announced",
        "released", "enacted"}
ACT_NOUNS = {"decision", "move", "step", "measure", "ruling", "order", "action",
             "announcement", "change", "first"}
CUE_AFTER = 12  # tokens after a trigger where "earlier this year" dates it
FINITE_BE = {"was", "were", "is", "are"}
LAW_WORDS = {"act", "law", "regulation", "ordinance", "directive", "code", "bill", "decree"}
# what makes "bodies", "departments" or "organs" official
OFFICIAL_BODIES = {"government", "state", "other", "discipline", "supervision", "inspection",
                   "regulatory", "enforcement", "judicial", "party", "supervisory"}
SPOKESPEOPLE = {"spokesperson", "spokesman", "spokeswoman"}
LAWMAKERS = {"lawmakers", "legislators", "senators", "lawmaker", "legislator", "senator",
             "assemblymember", "assemblyman", "assemblywoman", "congressman", "congresswoman",
             "mps", "meps", "parliamentarians"}
# an authority named by a common noun, acting: "Police in Dagestan have dismantled"
AUTHORITY_NOUNS = {"police", "regulators", "regulator", "authorities", "prosecutors",
                   "prosecutor", "investigators", "court", "courts", "judge", "judges",
                   "watchdog", "watchdogs", "supervisors", "inspectors", "customs",
                   "judiciary"} | SPOKESPEOPLE | LAWMAKERS
FORMER = {"former", "retired", "ex"}
# who speaks for an industry ("Kazakhstan's mining industry association called on")
LOBBIES = {"association", "lobby", "federation", "chamber", "alliance", "coalition", "group"}
LEVELS = {"state", "provincial", "federal", "national", "local", "regional", "municipal",
          "county", "city", "central", "territorial"}
# bodies the text named before, referred to by a common noun: "the three departments said"
BODIES = {"departments", "agencies", "regulators", "authorities", "ministries", "commissions",
          "bodies", "watchdogs"}
# what a body made to act by ("announced measures to crack down on")
STEPS = {"measures", "steps", "rules", "regulations", "guidelines", "opinions"}
PROPOSING = {"proposed", "proposes", "propose"}
# a year in a law's name: "the Prevention of Money Laundering Act, 2002"
LAW_NAMES = {"Act", "Law", "Code", "Ordinance", "Decree", "Regulations", "Rules"}
INTRODUCED = {"introduced", "introduces", "tabled", "tables", "filed", "files", "submitted"}
# (a law "the government is considering" that would ban: a plan)
PASSING = {"approved", "passed", "adopted", "cleared", "advanced", "backed", "approves",
           "passes", "adopts", "pass", "approve", "adopt"}
BASELINES = {"levels", "level", "baseline", "baselines", "prices"}
RELATIVE_AUX = {"had", "has", "have", "was", "were"}  # "a ban that had been in place since"
# an apposition between commas opens with these (or a participle): "X, a businessman ..., ";
# so does a partner's aside: "X, together with the municipal police, ordered"
APPOSITION_OPENERS = {"a", "an", "the", "who", "whose", "which", "its", "his", "her", "their",
                      "together", "along", "jointly", "once", "long", "formerly"}


@dataclass
class Match:
    trigger: Trigger
    start: int
    end: int


class EventTagger:
    def __init__(self, vocab, rules: RuleSet):
        self.rules = rules
        self.authority = rules.authority.words
        # and their plurals: "the European Supervisory Authorities"
        self.institutions = rules.authority.institutions | {
            w[:-1] + "ies" if w.endswith("y") else w + "s" for w in rules.authority.institutions}
        # what may speak for the body that owns it ("the SEC's chair", "the bank's alert")
        self._own_voice = rules.titles.heads | self.institutions | self.authority | VEHICLES \
            | SPOKESPEOPLE | BODY_DOCUMENTS
        self.matcher = SentenceMatcher(vocab)
        self.by_id: dict[str, Trigger] = {}
        for trigger in rules.triggers:
            self.matcher.add(trigger.id, trigger.patterns)
            self.by_id[trigger.id] = trigger

    def find(self, doc: Doc) -> list[tuple[int, int, int]]:
        return self.matcher(doc)

    def matches(self, doc: Doc, raw: list[tuple[int, int, int]] | None = None) -> list[Match]:
        """Trigger matches of one event type never overlap: the earliest, then longest wins."""
        raw = self.matcher(doc) if raw is None else raw
        found = sorted(((s, -(e - s), e, self.by_id[doc.vocab.strings[k]])
                        for k, s, e in raw), key=lambda x: (x[0], x[1]))
        found = found[:MAX_MATCHES]
        kept: list[Match] = []
        for start, _, end, trigger in found:
            if not any(m.trigger.event == trigger.event and m.start < end and start < m.end
                       for m in kept):
                kept.append(Match(trigger, start, end))
        # "approved the ... regulation": the longer reading of the same words wins
        return [m for m in kept if not any(o.trigger.event != m.trigger.event
                                           and o.start == m.start and o.end > m.end
                                           for o in kept)]

    def tag(self, doc: Doc, found: list[Found], topics: list[Found],
            published: date | None, raw: list[tuple[int, int, int]] | None = None) -> list[dict]:
        # an owner named inside another body's name ("the Communist Party's top anti-graft
        # body") is mentioned, but the body it owns is the one that acts
        found = [f for f in found if not f.rule_id.startswith("owner:")]
        mentions = sorted(found + topics, key=lambda f: f.start)
        self._mentions = mentions
        # the words of the bodies the text names ("the bureau" for "the X County Bureau")
        self._named_words = {w for f in mentions if f.kind in ("agency", "organization")
                             for w in f.name.lower().split()}
        self._sents = {s.start: s for s in doc.sents}
        self._sent_of = [0] * len(doc)
        for s in doc.sents:
            self._sent_of[s.start:s.end] = [s.start] * (s.end - s.start)
        counts = Counter(f.jurisdiction for f in found if f.kind == "place")
        doc_country = counts.most_common(1)[0][0] if counts else doc.user_data.get(COUNTRY)
        events, seen = [], set()
        self._last: tuple[int, Found | None] = (-1, None)  # (sentence start, actor)
        # (a text with no publication date: history is what came well before the latest date
        # it names, "He was appointed ... in February 2007" in a text that reaches 2016)
        self._reference = published or dates.latest_mentioned(doc.text)
        matches = self.matches(doc, raw)
        self._types_at: dict[int, set[str]] = {}
        for m in matches:
            self._types_at.setdefault(m.start, set()).add(m.trigger.event)
        self._spans = [(m.start, m.end, m.trigger.event) for m in matches]
        # orders to all of a kind ("ordered all mining farms to be disconnected"): a ban
        self._bans_on_all = [(m.start, m.end) for m in matches if m.trigger.event == "ban"
                             and any(t.lower_ == "all" for t in doc[m.start:m.end])]
        self._event_sents: set[int] = set()
        self._typed_sents: set[tuple[int, str]] = set()
        for m in matches:
            event = self._event(doc, m, mentions, published, doc_country)
            if event is None:
                continue
            target = next((r[0] for r in event["roles"] if r[1] == "target"), None)
            key = (event["type"], event["modality"], event["is_news"], target)
            self._event_sents.add(self._sent_of[m.start])
            self._typed_sents.add((self._sent_of[m.start], event["type"]))
            if key not in seen:
                seen.add(key)
                events.append(event)
        return events

    # ---------------------------------------------------------------- one event
    def _event(self, doc: Doc, m: Match, mentions: list[Found], published: date | None,
               doc_country: str | None) -> dict | None:
        etype = self.rules.events[m.trigger.event]
        sent = self._sent(doc, m.start)
        passive = self._passive(doc, m)
        grammatical_passive = self._passive(doc, m, grammatical=True)
        # (a hyphen is no word: "lifted its four-month ban")
        hyphens = sum(t.text == "-"
                      for t in doc[max(sent.start, m.start - 2 * CANCEL_WINDOW):m.start])
        before = list(doc[max(sent.start, m.start - CANCEL_WINDOW - 2 * hyphens):m.start])
        if any(t.lower_ in etype.cancel_before and doc[t.i + 1].lower_ not in ("of", "course")
               for t in before):
            return None  # "lifted a ban" (not "by the end of April and stop approving")
        if etype.cancel_after and self._cue(list(doc[m.end:sent.end]), etype.cancel_after):
            return None  # "relieved of his post ... in connection with his transfer"
        if m.end < len(doc) and doc[m.end].lower_ in self.rules.nouns.compounds.get(
                doc[m.end - 1].lower_, ()):
            return None  # "sent to law enforcement agencies"
        if doc[m.start].ent_type_ in NAME_ENTS and not (
                doc[m.start].ent_type_ == "LAW" and not doc[m.end - 1].ent_type_):
            # ("the Law on Payment Services, passed by": a name and what was done to it)
            return None  # "Volatiles Investigating Polar Exploration Rover" is a name
        if (sent.start, etype.id) in self._typed_sents and any(
                t.lower_ in ("that", "which") for t in doc[max(sent.start, m.start - 4):m.start]):
            return None  # "proposed treating mixing as ..., a step that would require banks"
        that = m.start - (2 if doc[m.start - 1].lower_ in MODALS else 1)
        if that >= 1 and doc[that].lower_ == "that" and doc[that - 1].lower_ in (
                "step", "move", "designation") and any(
                s == sent.start for s, _ in self._typed_sents):
            return None  # "proposed designating Kolovrat ..., a step that bars U.S. banks"
        if etype.id == "warning" and any(
                t == "warning" and sent.start <= s_ and e <= m.start <= e + 10
                and any(x.lower_ == "that" for x in doc[s_:m.start]) for s_, e, t in self._spans):
            return None  # "warning that their growth could pose risks to": one warning
        if etype.id == "ban" and _state(doc, m.start) and any(
                t == "warning" and sent.start <= s_ and e <= m.start and any(
                    x.lower_ == "that" and not any(y.lower_ in ("and", "while", ";")
                                                   for y in doc[s_:x.i])
                    for x in doc[s_:min(e + 4, m.start)]) for s_, e, t in self._spans):
            return None  # "warning that their use as a means of payment is prohibited"
        if doc[sent.end - 1].text == "?":
            return None  # "What action has the State Department taken to investigate?"
        if m.end - m.start == 1 and _adjectival(doc, m.start, sent.start, self.authority):
            return None  # (a longer trigger spells its noun: "published requirements")
        if m.trigger.follow_up and self._follows_up(doc, sent, m, mentions):
            return None  # "The ban will take effect on Jan. 6": the measure reported already
        if etype.id == "crackdown" and any(s < m.start <= e + 3 for s, e in self._bans_on_all):
            return None  # "ordered all mining farms to be disconnected from the grid": a ban
        if m.trigger.id == "ban.order" and any(
                "crackdown" in self._types_at.get(k, ()) for k in range(m.start + 1, m.end + 2)):
            return None  # "ordered power companies to stop supplying electricity to miners"
        if etype.id == "regulation" and self._next_step(doc, sent, m):
            return None  # "intends to introduce the bill into Parliament": the same measure
        if etype.id == "regulation" and doc[m.end - 1].lower_ in VEHICLES and m.end < sent.end \
                and doc[m.end].lower_.endswith("ing") and doc[m.end].lower_ != "requiring" and any(
                    t != "regulation" and m.end <= s_ <= m.end + 6 for s_, _, t in self._spans):
            return None  # "issued a notice launching a province-wide clean-up": the clean-up
        if etype.id == "regulation" and self._banning_law(doc, m):
            return None  # "signed into law a moratorium on": the law is the ban
        if etype.id == "pledge" and self._pledged_act(doc, m):
            return None  # "vowed to crack down": the crackdown (planned) is the event
        if etype.id == "pledge" and grammatical_passive:
            return None  # "investors were promised returns": a pledge is its subject's
        if etype.id == "penalty" and _provided(doc, sent, m.start):
            return None  # "The Act also introduces criminal penalties of up to": what a law sets
        if m.trigger.subject_inside and any(
                t.lower_ in NEGATIONS | {"if", "may", "might", "could", "whether", "denied", "yet"}
                for t in doc[max(sent.start, m.start - 5):m.start]):
            return None  # "has not received a licence from", "If X obtains a licence from"
        if m.trigger.subject_inside and m.start >= 2 and doc[m.start - 1].lower_ == "have" \
                and doc[m.start - 2].lower_ in ("that", "who"):
            return None  # "participants that have received a licence from the AFSA": a condition
        if etype.id in ("ban", "regulation") and _law_in_force(doc, sent, m.start):
            return None  # "in violation of a state law barring foreign-controlled entities"
        if etype.id == "regulation" and _duty_of_class(doc, sent, m.start):
            return None  # "platforms would have to publish clear rules": what a rule requires
        if etype.id == "regulation" and m.start >= 2 and doc[m.start - 1].lower_ == "to" \
                and doc[m.start - 2].lower_ in BILLS | LAW_WORDS \
                and (sent.start, "regulation") in self._typed_sents:
            return None  # "submitted a bill to amend the fintech law": the bill is the measure
        if etype.id == "regulation" and doc[m.end - 1].lower_ in ("approve", "confirm") \
                and m.end < len(doc) and doc[m.end].ent_type_ == "PERSON" and not any(
                    t.text in ("'s", "’s") for t in doc[m.end:min(m.end + 6, sent.end)]):
            return None  # "voted 52-46 to approve Keel": an appointment (not "Kim's bill")
        if etype.id in ("penalty", "ban") and _terms_of(doc, sent) and any(
                s < sent.start for s, t in self._typed_sents if t == "penalty") and not any(
                f.kind == "agency" and sent.start <= f.start < m.start for f in mentions):
            # "The order requires Nimbus to pay a $2.2 million penalty", "Under the agreement,
            # Hudson Coin is barred from": the terms of the penalty reported before
            return None
        if etype.id == "approval" and m.start >= 1 and doc[m.start - 1].lower_ == "to" and any(
                "pledge" in self._types_at.get(k, ()) for k in range(max(sent.start, m.start - 5),
                                                                     m.start)):
            return None  # "stands ready to approve a further reduction": the pledge is the event
        after_det = m.end + (m.end < len(doc) and doc[m.end].lower_ in ("a", "an", "the"))
        if etype.id == "approval" and after_det + 1 < len(doc) \
                and doc[after_det].lower_ in ("settlement", "settlements") \
                and doc[after_det + 1].lower_ not in PAYMENTS:
            # (not "approved the settlement of wholesale transactions", "a settlement bank")
            return None  # "The Capital Markets Tribunal approved the settlement": the penalty
        if etype.id == "approval" and any(
                t != "approval" and (s in (m.start, m.end, after_det) or s < m.start < e)
                for s, e, t in self._spans):
            # "approved scrapping a tax break", "approved the measure", "approved the
            # appointment of", "voted 4-0 to approve the rule": the measure is the event
            return None
        if etype.id == "approval" and m.start >= 3 and [
                t.lower_ for t in doc[m.start - 2:m.start]] in (["it", "has"], ["it", "had"],
                                                                ["they", "have"]) \
                and doc[m.start - 3].is_lower and not doc[m.start - 3].ent_type_ \
                and doc[m.start - 3].lower_ not in ATTRIBUTION | {"that", "and", "but"}:
            # "through infrastructure it has approved": what the object is (not "announced that
            # it has granted licences")
            return None
        if etype.id == "approval" and " ".join(t.lower_ for t in doc[m.end:m.end + 3]).startswith(
                ("a warrant", "the warrant", "an arrest warrant", "arrest warrant", "a search")):
            return None  # "after the court approved a warrant": a step of the arrest
        if etype.id == "approval" and m.start >= 2 and doc[m.start - 1].text == "," \
                and doc[m.start - 2].lower_ in BILLS | MEASURES | {"reform", "reforms"} \
                and any(s < sent.start for s, t in self._typed_sents if t == "regulation"):
            return None  # "The reform, approved by 55 votes to two": the measure reported
        # ("is moving to license exchanges": a plan, not a state)
        if etype.id == "approval" and (_state(doc, m.start)
                                       and m.trigger.id != "approval.to-license"
                                       or _condition(doc, sent, m)
                                       or _rule_says(doc, sent, m)):
            # "whether their provider is authorised", "is not authorised", "only stablecoins
            # backed by currencies approved by the CBB may be issued": a state; "Under the
            # revised measures, local authorities must not approve": what a rule says
            return None
        if etype.id == "approval" and m.start >= 2 and doc[m.start - 1].lower_ == "be" \
                and doc[m.start - 2].lower_ in ("to", "must", "should", "shall"):
            return None  # "require firms to be authorised": a condition a rule sets
        if m.start >= 2 and doc[m.start - 1].lower_ == "to" and doc[m.start - 2].is_lower \
                and doc[m.start - 2].lower_ in CAPACITY:
            return None  # "abused his power to approve", "room to cut rates": a capacity
        if etype.id == "ban" and _proposed(doc, m.start):
            return None  # "proposed banning the use of crypto": the proposal is the event
        if etype.id == "regulation" and doc[m.start].lower_.startswith("lift") and any(
                t.lower_ == "suspension" for t in doc[m.start:m.end]) and any(
                f.kind == "organization" and m.end <= f.start <= m.end + 5 for f in mentions):
            return None  # "lifted the suspension of trading in Kestrel shares": one firm's
        if etype.id == "regulation" and doc[m.start + 1].lower_ in ("under", "by"):
            return None  # "stablecoins not issued under the framework": made under it
        if etype.id == "crackdown" and m.start >= 2 and doc[m.start].lower_.endswith("ing") \
                and doc[m.start - 1].lower_ == "on" and doc[m.start - 2].lower_ in DECISIONS \
                and not MADE & {t.lower_ for t in doc[max(sent.start, m.start - 6):m.start]}:
            return None  # "turned a blind eye to the Central Committee's decisions on rectifying"
        if etype.id == "investigation" and m.end + 1 < sent.end and doc[m.end].lower_ == "and" \
                and "crackdown" in self._types_at.get(m.end + 1, ()):
            return None  # "told local governments to investigate and shut down mining sites"
        if etype.id == "crackdown" and m.end < sent.end and doc[m.end].lower_ == "since" \
                and doc[m.end - 1].lower_ in ("closed", "shut") \
                and not any(t.ent_type_ == "DATE" for t in doc[m.end + 1:m.end + 3]):
            # "offices have been closed since the regulator revoked its licence" (not "40
            # farms have been closed since January")
            return None
        if etype.id == "crackdown" and doc[m.end - 1].lower_ == "down" \
                and not BE & {t.lower_ for t in doc[max(sent.start, m.start - 2):m.start + 1]} \
                and (m.end >= sent.end or doc[m.end].lower_ in NO_OBJECT or doc[m.end].is_punct):
            # "how quickly they can shut down when the grid is strained": their own (not "were
            # shut down in Thailand")
            return None
        if etype.id == "crackdown" and doc[m.start].lower_.startswith(("seiz", "confisc")) \
                and m.end - m.start > 1 and doc[m.start + 1].lower_ in ("its", "his", "her"):
            return None  # "fined the operation and confiscated its equipment": the penalty's
        if m.trigger.id.startswith("expulsion.dismissed-name-") and (
                doc[m.start - 1].lower_ == "board" or _as_after_apposition(doc, sent, m)):
            # "dismissed X, the SEC chairman, as out of touch", "the board dismissed": no
            # removal from public office
            return None
        if m.trigger.id == "regulation.rescinded" and any(
                t.lower_ == "court" for t in doc[sent.start:m.start]):
            return None  # "an appeals court reversed the order freezing": a ruling
        if etype.id == "crackdown" and _escaped(doc, sent, m):
            return None  # "shielded several farms from a regional clean-up campaign"
        if etype.id == "crackdown" and _infinitive(doc, m.start) and any(
                t == "crackdown" and sent.start <= s_ and e <= m.start - 1 <= e + 6
                and any(w.lower_ in CAMPAIGNS for w in doc[s_:e]) for s_, e, t in self._spans):
            return None  # "a campaign that X launched in 2021 to root out mining": the campaign
        if etype.id == "crackdown" and doc[m.end - 1].lower_ == "against" and {
                t.lower_ for t in doc[m.end:min(m.end + 2, sent.end)]} & POLICY_AIMS:
            return None  # "step up the fight against inflation": a policy aim, no enforcement
        if etype.id == "investigation" and {t.lower_ for t in doc[m.end:m.end + 3]} & {
                "ways", "options", "means", "possibilities"}:
            return None  # "is investigating all possible ways to curb": looking for a policy
        if etype.id == "crackdown" and self._part_of_probe(doc, sent, m):
            return None  # "raided two exchanges as part of a probe into": the probe's step
        if etype.id == "crackdown" and m.start and doc[m.start - 1].lower_ in (
                "all", "the", "any", "these", "those") and doc[m.start].lower_.endswith("ed"):
            return None  # "all seized mining devices would be handed over": what was seized
        if etype.id == "penalty" and self._with_sentence(doc, sent, m):
            return None  # "jailed for 11 years and fined 6 million yuan": one verdict
        # mentions inside a gapped trigger ("confirmed Gary Gensler as") count as objects
        in_sent = [f for f in mentions if sent.start <= f.start < sent.end
                   and (f.start >= m.end or f.end <= m.start or f.start > m.start)]
        actor, target, blocked = self._roles(doc, m, etype, in_sent, mentions)
        # ("A law legalising industrial-scale mining took effect in November", "a 2021
        # directive that banned crypto trading": a law as subject)
        named_law = m.trigger.follow_up and (_named_law(doc, sent, m.start) or (
            doc[sent.start].lower_ in ("a", "an") and sent.start + 2 < sent.end
            and doc[sent.start + 1].lower_ in LAW_WORDS | {"resolution"} and (
                doc[sent.start + 2].lower_.endswith("ing")
                or doc[sent.start + 2].lower_ in ("on", "that", "which")))) \
            or (m.start >= 2 and doc[m.start - 1].lower_ in ("that", "which")
                and doc[m.start - 2].lower_ in MEASURES | VEHICLES
                and doc[m.start].lower_.endswith("ed"))
        if named_law and actor is None:
            # "MiCA became fully applicable", "the Stablecoins Ordinance came into force": the
            # law is the subject, made by the body the text is about
            blocked, actor = False, self._main_agency(mentions)
        # "after the Stablecoins Ordinance took effect": recalled
        recalled = named_law and any(
            t.lower_ == "after" for t in doc[max(sent.start, m.start - 12):m.start])
        if etype.id == "approval" and target is not None and target.kind == "person" \
                and target.end <= m.start and grammatical_passive:
            return None  # "X was approved by 58 votes to 9": a confirmation (appointment)
        if etype.id == "approval" and TARIFFS & {
                t.lower_ for t in _object_words(doc[m.end:min(m.end + 5, sent.end)])}:
            etype = self.rules.events["regulation"]  # "approved a separate electricity tariff"
        if etype.id == "ban" and _on_a_person(doc, m):
            etype = self.rules.events["penalty"]  # "banned him from working": on a person
        if etype.id == "ban" and m.end + 1 < sent.end and doc[m.end].lower_ in MODALS \
                and doc[m.end + 1].lower_ in ("apply", "cover") \
                and not NEW_ONE & {t.lower_ for t in doc[max(sent.start, m.start - 3):m.start]} \
                and any(t == "ban" and s_ < sent.start for s_, _, t in self._spans):
            return None  # "Russia banned mining in 10 regions. A year-round ban will apply in"
        if etype.id == "ban" and _state(doc, m.start) and any(
                t.lower_ in ("where", "which") for t in doc[max(sent.start, m.start - 4):m.start]):
            return None  # "mining in regions where it is banned": the standing ban
        if etype.id == "ban" and _state(doc, m.start) and any(
                t.lower_ == "under" for t in doc[m.end:min(m.end + 3, sent.end)]):
            return None  # "is prohibited under the banking law": the law in force
        if etype.id in ("pledge", "crackdown", "prosecution", "investigation") and (
                _relative_of_noun(doc, m.start, self.authority)
                or etype.id == "pledge" and self._private_who(doc, m.start)):
            # "an app that promised returns", "miners that shut down during grid emergencies",
            # "industry groups that sued to block it": only an authority makes these
            return None
        if m.trigger.id == "penalty.order-named" and target is not None \
                and target.kind == "agency":
            return None  # "ordered Hydro-Québec to suspend new connections": a measure
        existing = self._existing(doc, sent, m) if m.trigger.noun else None
        if existing is not None and not self._undone(sent, m):
            # "under China's 2021 mining ban", "all the charges against him": a bare noun
            # naming one that exists is no event (the labelling policy), unless the news
            # undoes it ("struck down the government's mask ban": the ban is recalled)
            return None
        if blocked and existing is None:
            return None  # a company or its executive acting: not a regulatory event
        previous = self._sent_of[sent.start - 1] if sent.start else -2
        if actor is None and self._last[0] >= 0 and self._last[0] == previous \
                and self._continues(doc, sent, mentions):
            actor = self._last[1]  # "... passed the law. The law takes effect in June."
        if actor is None:
            actor = self._said_next(doc, sent, etype, target)
        if etype.public_post and self._private_post(doc, sent, m, mentions):
            return None  # "named chief executive of Disney's ... division": a company's post
        if etype.require_actor and actor is None and not blocked and etype.id in FALLBACK_ACTOR \
                and self._unsaid_passive(doc, sent, m, etype, in_sent, grammatical_passive):
            actor = self._main_agency(mentions)
        if actor is None and not blocked:
            actor = self._pronoun_actor(doc, sent, m, mentions)
        if actor is None and not blocked and _bodies_subject(doc, sent):
            actor = self._main_agency(mentions)  # "The three departments said they would"
        if etype.require_actor and actor is None and not named_law:
            # ("Police in Dagestan have dismantled 40 farms", "Regulators in both states
            # urged investors": an authority the registry cannot name acts; "the French
            # market regulator" and "..., the notice warned" are the body the text is about)
            noun = None if blocked else _authority_subject(
                self._clause(doc, sent, m), self.institutions, self._named_words)
            if noun is None and m.trigger.subject_inside and not blocked:
                # ", which lawmakers passed in 2023": the pattern holds who acts
                noun = next((t.lower_ for t in doc[m.start:m.end]
                             if t.lower_ in AUTHORITY_NOUNS - SPOKESPEOPLE), None)
            if noun is None and (blocked or not _document_says(doc, sent, m)):
                return None
            # ("The spokesperson warned": the body the text is about speaks; "The commission
            # said it would" is the commission named last before)
            kind = next((f for f in reversed(mentions) if f.end <= sent.start
                         and f.kind in ("agency", "organization") and self._institution(f)
                         and noun in f.name.lower().split()), None) \
                if noun in self.institutions else None
            if kind is not None and kind.kind != "agency" and noun in SHARED_BODY_WORDS:
                return None  # "The party said it would", the opposition party named before
            actor = kind or (self._main_agency(mentions) if noun in {
                None, "regulator", "watchdog"} | SPOKESPEOPLE | self.institutions else None)
        if _talk_of(doc, m):
            return None
        if etype.id == "warning" and actor is not None and self._owns_subject(doc, actor, m):
            return None  # "Moody's said the SEC's new custody rule poses risks": not the SEC's
        # a body with authority acting on someone the text leaves unnamed ("the SEC is
        # investigating") is still the event
        # ("The Hanbin District People's Procuratorate had initiated a public prosecution": a
        # body the model does not name, by its kind)
        unnamed = etype.id in ("investigation", "prosecution") and not passive and (
            actor.kind == "agency" or self._institution(actor) if actor is not None
            else not blocked and _authority_subject(self._clause(doc, sent, m), self.institutions,
                                                    self._named_words) in self.institutions)
        # (the object may stand inside a gapped trigger: "took three men into custody")
        if target is None and m.trigger.subject_is_target and doc[sent.start].lower_ in (
                "a", "an", "the") and sent.start and m.start - sent.start <= 5:
            # "... had detained Daniyar Mukanov. A pre-trial investigation is under way."
            target = next((f for f in reversed(self._mentions_in(self._sent(doc, sent.start - 1)))
                           if f.kind in etype.target and f.kind != "topic"), None)
        # ("an investigation that X opened" names what it is into elsewhere; "a former SEC
        # commissioner" appointed to a company's board is no public appointment)
        posts = etype.id != "appointment"
        if etype.require_target and target is None and not unnamed \
                and not m.trigger.subject_inside \
                and not any(_counted_people(doc, i) for i in {m.start + 1, m.end}) \
                and not (m.end < sent.end and doc[m.end].lower_ in ("all", "every")) \
                and not _unnamed_party(doc, sent, m.start, m.start + 1, passive, posts) \
                and not (passive and etype.id in ("investigation", "prosecution", "sentence",
                                                  "expulsion")
                         and doc[sent.start].lower_ in PEOPLE_WORDS
                         and not (doc[m.end - 1].lower_ == "charged" and (
                             m.end + 1 >= sent.end or doc[m.end].lower_ != "with"
                             or doc[m.end + 1].lower_.endswith("ing")))
                         and not ATTRIBUTION & {t.lower_ for t in doc[sent.start:m.start]}) \
                and not (doc[m.end - 1].lower_ in ("of", "against", "into")
                         and "part" not in {t.lower_ for t in doc[max(0, m.start - 6):m.start]}
                         and _unnamed_party(doc, sent, m.start, m.end, False, posts)) \
                and not (doc[m.end - 1].lower_ == "into" and m.end < sent.end
                         and doc[m.end].lower_ in ("suspected", "alleged", "possible")) \
                and not (m.end + 1 < sent.end and doc[m.end].lower_ == "under"
                         and doc[m.end + 1].lower_ in ("article", "articles", "section", "part")) \
                and [t.lower_ for t in doc[m.end:m.end + 3]] not in (
                    ["on", "the", "facts"], ["into", "the", "facts"]) \
                and not (m.trigger.subject_is_target and m.end - m.start > 3
                         and _unnamed_party(doc, sent, m.end - 2, m.end - 1, True)):
            # (a pattern may hold its subject: "convicted, the suspects face up")
            return None
        if actor is None and etype.require_authority and existing is None and not passive \
                and not self.authority & {t.lower_ for t in self._clause(doc, sent, m)} \
                and not any(f.kind == "agency" and m.end <= f.start and f.end + 1 < sent.end
                            and doc[f.end].lower_ in ATTRIBUTION for f in mentions):
            # ("FIRs have been registered against 200 people, the Punjab Police said": the
            # body that says so)
            return None  # "investors sued the exchange": nobody with authority acts
        self._last = (sent.start, actor)
        modality = self._modality(doc, sent, m, etype)
        if modality == "denied" and any(t.lower_ == "yet" and doc[t.i + 1].lower_ == "to"
                                        for t in doc[max(sent.start, m.start - 4):m.start]):
            return None  # "Saudi Arabia has yet to set out a framework": nothing done, or denied
        if modality in ("planned", "hypothetical") and self._bill_would(doc, sent, m):
            if etype.id != "ban":
                # "The bill would require issuers to": the bill, reported already (what it
                # would ban is labelled a ban it would make)
                return None
            modality = "hypothetical"  # "It would also bar issuers from paying interest"
        if modality == "hypothetical" and self._caller_is_no_authority(doc, sent, m, mentions):
            return None  # "Environmental groups called on New York to ban": no authority asks
        if [t.lower_ for t in doc[max(sent.start, m.start - 2):m.start]] in (
                ["rather", "than"], ["instead", "of"]):
            return None  # "the need to regulate the activity rather than prohibit it"
        if etype.id == "approval" and m.start and (doc[m.start - 1].lower_ == "unless" or (
                doc[m.start - 1].lower_ in ("if", "once") and m.end < len(doc)
                and doc[m.end].lower_ == "by"
                and LEGISLATURES & {t.lower_ for t in doc[m.end + 1:m.end + 4]})):
            # "The change, if approved by the Riksdag, would take effect": a step; "Unless
            # approved by the FSRA, ... cannot": a standing rule
            return None
        if etype.id == "appointment" and "not to be" in doc[max(0, m.end - 4):m.end].text.lower():
            return None  # "a former site manager, who asked not to be named"
        if etype.id in ("penalty", "sentence") and [
                t.lower_ for t in doc[m.end:m.end + 3]] == ["of", "up", "to"] and any(
                t.lower_ in MAXIMUM_CUES for t in doc[max(sent.start, m.start - 6):m.start]):
            return None  # "faced fines of up to RM1 million": the most the law allows
        if modality in ("planned", "hypothetical") and etype.id != "warning" and any(
                t.lower_ in ("anyone", "anybody", "whoever")
                for t in doc[max(sent.start, m.start - 12):m.start]):
            # "anyone who uses power to mine will be investigated", "warned that anyone stealing
            # electricity would face heavy fines": the warning
            return None
        if modality == "planned" and etype.id != "warning" and any(
                t.lower_ == "face" for t in doc[max(sent.start, m.start - 5):m.start]) and any(
                t == "warning" and sent.start <= s_ < m.start
                and not any(u.lower_ in ATTRIBUTION and doc[u.i - 1].lower_ == "and"
                            for u in doc[s_:m.start])
                for s_, _, t in self._spans):
            return None  # "warned that households running rigs would face fines": the warning
        under = _under_measure(doc, sent)  # "will be prohibited ... under a resolution published"
        future = not etype.future_is_inherent and not under and not m.trigger.subject_inside \
            and self._cue(self._clause(doc, sent, m), self.rules.modality_cues.get("planned", []))
        when, deadline = self._date(doc, sent, m, published,
                                    "planned" if future or m.trigger.modality == "planned" else
                                    "happened" if modality == m.trigger.modality else modality)
        if modality == "happened" and deadline and not etype.future_is_inherent \
                and not _ordered(doc, m.start) and not under and m.trigger.modality is None:
            modality = "planned"  # "rules take effect on June 1", written in May
        is_news = not recalled and not self._background(doc, sent, m, when, published)
        if existing is not None:
            # "the government's mask ban", "all the charges against him": one that exists,
            # recalled, dated only by a year in its own name ("the 2021 mining ban")
            modality, is_news, when = "happened", False, existing or None
        if when is None and is_news and published is not None:
            # news without a date of its own is dated by its announcement, so timelines
            # and since:/until: place it; a plan or a denial is news the day it is said
            when = (published.isoformat(), "day")
        return {
            "type": etype.id, "rule_id": m.trigger.id,
            "evidence": " ".join(sent.text.split()), "start": sent.start_char,
            "end": sent.end_char, "date": when[0] if when else None,
            "date_precision": when[1] if when else None,
            "jurisdiction": self._jurisdiction(actor, in_sent, doc_country),
            "modality": modality, "is_news": is_news,
            "confidence": self._confidence(etype, m.trigger, actor, target),
            "roles": self._role_list(actor, target, in_sent),
        }

    def _pronoun_actor(self, doc: Doc, sent: Span, m: Match,
                       mentions: list[Found]) -> Found | None:
        """"He warned consumers to deal only with licensed firms", "..., he warned": the
        official named last before, when "he" or "she" opens the clause of the trigger or
        stands right before it; "It warned", "We will crack down": the body named last."""
        subject = [t for t in doc[sent.start:m.start] if t.is_alpha]
        if m.trigger.event in SPEECH_ACTS and subject and subject[0].lower_ in ("it", "we") \
                and len(subject) <= 3:
            return self._body_pronoun(doc, sent, m, mentions, subject[0].lower_)
        officials = [f for f in mentions if f.kind == "person" and f.end <= sent.start
                     and f.title and not private_title(f)]
        # "..., the minister warned": the official named before with that title
        post = [t.lower_ for t in doc[m.start - 3:m.start]] if m.start >= 3 else []
        if post[1:2] == ["the"] or post[:1] == ["the"] and post[1] in ("vice", "deputy"):
            # (not "Former Prime Minister X ... the minister warned", nor a shadow minister;
            # "the vice minister warned" is the vice minister)
            words = set(post[post.index("the") + 1:])
            if post[2] in TITLE_BACKREF:
                return next((f for f in reversed(officials)
                             if words <= set(f.title.lower().split())
                             and not (FORMER | {"shadow"}) & set(f.title.lower().split())), None)
        after = m.start > 0 and doc[m.start - 1].lower_ in ("he", "she")  # "..., he warned"
        if not after and (not subject or subject[0].lower_ not in ("he", "she")
                          or len(subject) > 4):
            return None
        return officials[-1] if officials else None

    def _body_pronoun(self, doc: Doc, sent: Span, m: Match, mentions: list[Found],
                      pronoun: str) -> Found | None:
        """"The regulator did not name the firms. It warned residents that ...": the body
        named last, when no firm or person was named after it and the previous sentence is
        not a firm's ("Kraken said it would appeal. It warned"), and no one else is said to
        speak ('"We warned our clients," said a strategist'). Only for what a body says: its
        warnings and vows ("It is seeking penalties" may be no event at all)."""
        if any(t.lower_ in ATTRIBUTION and doc[t.i - 1].lower_ not in ("it", "we")
               for t in sent):
            # ('"We are ready to move," said Executive Board member X': the official)
            return next((f for f in mentions if f.kind == "person" and f.title
                         and not private_title(f) and sent.start <= f.start < sent.end
                         and f.start > m.start), None)
        named = [f for f in mentions if f.kind in ("agency", "organization", "person")
                 and f.end <= sent.start]
        if named and pronoun == "we" and named[-1].kind == "person" \
                and named[-1].title and not private_title(named[-1]):
            return named[-1]  # "X, executive director at the FCA, said: '... We are warning"
        if not named or named[-1].kind != "agency" or not sent.start:
            return None
        # "It" needs the previous sentence to be the body's: it opens with the body, or
        # with "The regulator", "It" (a quoted "We" is whoever the text quotes)
        previous = self._sent(doc, sent.start - 1)
        # (past a leading time phrase: "Last week the SFC named ...", "After a review, the
        # FCA issued ...")
        start = previous.start
        while start < previous.end - 1 and doc[start].ent_type_ in ("DATE", "TIME"):
            start += 1
        comma = next((t.i for t in doc[start:min(start + 8, previous.end)] if t.text == ","),
                     None)
        starts = {start} | ({comma + 1} if comma is not None else set())
        opener = [t.lower_ for t in doc[start:start + 2]]
        if pronoun == "it" and not (
                any(s_ <= named[-1].start < s_ + 3 for s_ in starts)
                or opener[0] == "it" or opener[0] == "the" and opener[1:] and (
                    opener[1] in self.authority or opener[1] in self.institutions)):
            return None
        return named[-1]

    def _owns_subject(self, doc: Doc, actor: Found, m: Match) -> bool:
        """The actor only owns the subject ("the SEC's proposal poses"), which is no post of
        its own ("the SEC's chair", "the bank's spokesman", "the commission's notice")."""
        if actor.end + 1 >= m.start or m.start - actor.end > 6 \
                or doc[actor.end].text not in ("'s", "’s") \
                or any(t.is_punct for t in doc[actor.end + 1:m.start]):
            return False
        return not {t.lower_ for t in doc[actor.end + 1:m.start] if t.is_alpha} & self._own_voice

    @staticmethod
    def _main_agency(mentions: list[Found]) -> Found | None:
        """The body a document names most (the first named on a tie): who a passive
        sentence's measure comes from when it names nobody ("providers will be barred")."""
        agencies = [f for f in mentions if f.kind == "agency"]
        if not agencies:
            return None
        counts = Counter(f.id for f in agencies)
        best = max(counts.values())
        return next(f for f in agencies if counts[f.id] == best)

    def _sent(self, doc: Doc, i: int) -> Span:
        start = self._sent_of[i]
        return self._sents[start]

    @staticmethod
    def _continues(doc: Doc, sent: Span, mentions: list[Found]) -> bool:
        """Whether a sentence may inherit the previous one's actor: it opens with a pronoun,
        an article or a name, not with a noun of its own ("Mining companies warned ...")."""
        first = doc[sent.start]
        return first.lower_ in CARRY_OPENERS or any(f.start == sent.start for f in mentions)

    @staticmethod
    def _passive(doc: Doc, m: Match, grammatical: bool = False) -> bool:
        """Whether the trigger's subject is acted upon: a passive verb, or (unless
        `grammatical`) a trigger whose subject is its target ("agreed to pay")."""
        first = m.start
        be = [t.i for t in doc[m.start:m.end - 1] if t.lower_ in BE]
        if be and m.trigger.subject_is_target:
            first = be[-1]  # it may spell its subject first: "illegal gains have been confiscated"
        while first < m.end - 1 and (doc[first].lower_ in BE or first > m.start
                                     and doc[first].lower_.endswith("ly")):
            first += 1  # a trigger may begin with "was"/"been": "been appointed", "are strictly"
        participle = (doc[first].lower_.endswith(("ed", "en", "wn")) or doc[first].lower_ in (
            "under", "held", "put", "sent", "caught")) and doc[first].lower_ not in ADJECTIVAL
        # "the budget approved by Republicans" (not "raised the rate by a quarter point")
        by_agent = m.end == first + 1 and m.end + 1 < len(doc) and doc[m.end].lower_ == "by" \
            and not doc[m.end + 1].like_num and doc[m.end + 1].lower_ not in ("a", "an")
        be_before = any(t.lower_ in BE for t in doc[max(first - 2, 0):first])
        # "was placed under investigation in 2022 and expelled from the party": the passive's
        # second verb
        # (not "was praised by investor groups and charged two promoters": an object follows)
        shared = first and doc[first - 1].lower_ == "and" and any(
            t.lower_ in BE and doc[t.i + 1].lower_.endswith("ed")
            for t in doc[max(first - 15, 0):first - 2]) and not (
                first + 1 < len(doc) and doc[first + 1].ent_type_ not in ("DATE", "TIME")
                and (doc[first + 1].lower_ in DETERMINERS or doc[first + 1].like_num
                     or doc[first + 1].is_title))
        return participle and (by_agent or be_before or shared) or (
            m.trigger.subject_is_target and not grammatical)

    def _roles(self, doc: Doc, m: Match, etype: EventType, in_sent: list[Found],
               mentions: list[Found]) -> tuple[Found | None, Found | None, bool]:
        """(actor, target, whether a company or its people are the ones acting)."""
        def ok(f: Found, kinds: list[str], acting: bool) -> bool:
            if _law_name(f):
                return False  # "under the Prevention of Money Laundering Act": a law
            if acting and f.kind == "organization" and "agency" in kinds:
                return self._institution(f)  # a court not listed
            if f.kind == "place" and adjectival_place(doc, f):
                return False  # "a New York-based crypto exchange": an adjective
            if f.kind not in kinds:
                return False
            return not (acting and f.kind == "person" and f.id not in officials)

        def private(f: Found) -> bool:
            if _law_name(f):
                return False  # "the Financial Instruments and Exchange Act": a law, no firm
            if f.kind == "organization":
                return not self._institution(f) \
                    and _subject_of(doc, f, m.start) and doc[f.start - 1].text != "("
            return f.kind == "person" and f.id not in officials and (
                bool(f.title) or _subject_of(doc, f, m.start))

        # "Prime Minister Narendra Modi pledged ... Modi did not commit": the official acts
        officials = {f.id for f in mentions if f.kind == "person" and f.title
                     and not private_title(f)}
        passive = self._passive(doc, m)
        in_sent = _titles_to_people(in_sent, mentions)
        asides = _asides(doc, self._sent(doc, m.start).start, m.start)
        # "Andy Beshear — whose father, as governor, ... — promised": the aside does not act
        # ("Chairman X, whom the governor appointed": X is who the relative is about)
        left = [f for f in in_sent if f.end <= m.start
                and not any(a <= f.start < b for a, b in asides)
                and not any(t.lower_ == "whom" for t in doc[f.end:m.start])]
        right = [f for f in in_sent if f.start > m.start]
        blocked = not passive and etype.id in SUBJECT_ACTS and _common_subject(
            doc, m.start, mentions, self.authority)
        if m.trigger.subject_inside:
            # "a law the State Duma passed": the body the pattern names acts (and "the
            # campaign that Binance started" has no one with authority)
            inside = [f for f in in_sent if m.start < f.start and f.end <= m.end]
            actor = next((f for f in inside if ok(f, etype.actor, True)), None)
            return actor, None, actor is None and bool(inside)
        if passive:
            # "The PBOC said on Friday that all transactions must be banned": who says so is
            # not what is banned
            target = next((f for f in reversed(left) if ok(f, etype.target, False)
                           and not _speaker(doc, f, m.start)), None)
            generic = _generic_subject(doc, m.start, mentions, self.authority)
            if target is not None and generic is not None and target.end <= generic:
                target = None  # "Li explained that plague cases need to be investigated"
            by = [f for f in right if doc[f.start - 1].lower_ == "by" and ok(f, etype.actor, True)]
            actor = by[0] if by else None
        else:
            actor = None
            for k, f in enumerate([] if blocked else list(reversed(left))):
                if doc[max(f.start - 1, 0)].lower_ in GIVING:
                    continue  # "decided to give Sun Guoqiang the punishment of expulsion"
                if ok(f, etype.actor, True):
                    actor = _first_of_pair(doc, f, list(reversed(left))[k + 1:], etype, ok)
                    break
                if private(f) and self._sent_of[f.start] == self._sent_of[m.start]:
                    blocked = True  # "SoftBank committed to", "chief executive X pledged"
                    break
            # (and the first object of "gave Ma Lin a serious intra-Party warning")
            objects = [f for f in right if ok(f, etype.target, False)
                       and doc[max(f.start - 1, 0)].lower_ != "by"] or [
                f for f in left if ok(f, etype.target, False)
                and doc[max(f.start - 1, 0)].lower_ in GIVING]
            target = min(objects, key=lambda f: (etype.target.index(f.kind), f.start),
                         default=None)
        if actor is not None and actor.kind == "person" and actor.title_span:
            body = [f for f in mentions if f.kind == "agency"
                    and actor.title_span[0] <= f.start < actor.title_span[1]]
            actor = body[0] if body else actor  # "RBI Governor Das warned": the RBI acts
        if target is None and "person" in etype.target:
            target = self._pronoun_target(doc, self._sent(doc, m.start), mentions, m)
        if target is None and "organization" in etype.target:
            target = self._firm_target(doc, m, mentions)
        if actor is None and not blocked:
            actor = self._attributed_actor(doc, m, etype, in_sent, mentions, target, ok)
        elif actor is not None and actor.kind == "place" and not passive:
            # "Inner Mongolia will close mining projects, the region's development and reform
            # commission said": the body that says so acts for the place
            said = self._attributed_actor(doc, m, etype, in_sent, mentions, target, ok)
            # (a body of that country: not "China will keep up pressure, said X of the IMF")
            actor = said if said is not None and said.end > m.start and (
                said.jurisdiction or "")[:2].upper() == actor.jurisdiction else actor
        return actor, target, blocked

    def _unsaid_passive(self, doc: Doc, sent: Span, m: Match, etype: EventType,
                        in_sent: list[Found], grammatical_passive: bool) -> bool:
        """A passive that names no one acting, taken as the main body's: "providers will be
        barred", "projects ... have been ordered to close", "will be severely dealt with" (not
        when a company speaks or acts: "..., Coinbase said", "ordered to halt by its partner";
        nor a planned crackdown: "will be disconnected" is the warning it gives)."""
        if etype.id == "crackdown" and self._cue(self._clause(doc, sent, m)
                                                 + list(doc[m.start:m.end]),
                                                 self.rules.modality_cues.get("planned", [])):
            return False
        if grammatical_passive:
            return True
        if etype.id == "penalty" and m.trigger.subject_is_target and any(
                t.lower_ in ("order", "orders", "settlement", "settlements")
                for t in doc[sent.start:m.start]):
            return True  # "Under consent orders, Coinhub and GoldState will pay": the order's body
        return etype.id in ("crackdown", "warning", "penalty") and _inner_passive(doc, m) \
            and not any(f.kind == "organization" and not self._institution(f) for f in in_sent) \
            and not FIRM_WORDS & {t.lower_ for t in doc[m.end:sent.end]} \
            and not (m.end < len(doc) and doc[m.end].lower_ == "by")

    def _follows_up(self, doc: Doc, sent: Span, m: Match, mentions: list[Found]) -> bool:
        """A later sentence about the measure an earlier one reported: it opens with "the",
        "it" or "this" and names no body or person of its own before the trigger ("The
        regulation, published in the Official Gazette, takes effect on April 30"; not "The
        FCA said its new rules would come into force")."""
        if (sent.start, m.trigger.event) in self._typed_sents and any(
                t.lower_ == "when" for t in doc[sent.start:m.start]):
            # "starts policing ads on Thursday, when a circular ... comes into force": the
            # clause dates the act reported before it ("passed a law that will take effect
            # on September 1" is two events)
            return True
        if any(t.lower_ in ("that", "which") for t in doc[max(sent.start, m.start - 5):m.start]) \
                and not (doc[m.start].lower_ in ("took", "came", "entered") and any(
                    f.kind == "agency" and sent.start <= f.start and f.end < m.start
                    and doc[f.end].text in ("'s", "’s") for f in mentions)):
            # ("The UAE central bank's payment token rules, which took effect last year": a
            # body's own measure, in force before)
            return True  # "a full regime ... that is due to take effect in 2026": the measure's
        if "due" in (t.lower_ for t in doc[max(sent.start, m.start - 3):m.start]) \
                and (sent.start, m.trigger.event) in self._typed_sents:
            return True  # "published proposed rules, setting out a regime due to take effect"
        if m.start >= 2 and doc[m.start - 2].lower_ == "the" \
                and doc[m.start - 1].lower_ in BILLS | MEASURES | {"rules"} \
                and any(s < sent.start for s, t in self._typed_sents if t == "regulation"):
            return True  # "... once the law takes effect": the law reported before
        if _named_law(doc, sent, m.start) and not any(
                s < sent.start for s, t in self._typed_sents if t == "regulation"):
            return False  # "The Stablecoins Ordinance took effect on Aug. 1": not reported yet
        if doc[sent.start].lower_ == "the" and doc[sent.start + 1].lower_ in BILLS | MEASURES \
                and any(s < sent.start for s, t in self._typed_sents if t == "regulation"):
            return True  # "The rule implements legislation passed by X and takes effect Jan. 1"
        return any(s < sent.start for s in self._event_sents) \
            and doc[sent.start].lower_ in ("the", "it", "this", "these") \
            and not any(f.kind in ("agency", "person", "organization")
                        and sent.start <= f.start < m.start for f in mentions)

    def _next_step(self, doc: Doc, sent: Span, m: Match) -> bool:
        """A bill's next step after the document reported it ("The government intends to
        introduce the bill into Parliament"): one measure gets one label."""
        words = [t.lower_ for t in doc[m.start:m.end]]
        # (a law named with capitals is another: "passed the Law on Digital Technology"; "the
        # Bill" alone is the one reported)
        return any(w in BILLS | {"law"} and k and words[k - 1] in ("the", "this")
                   and not _law_title(doc, m.start + k) for k, w in enumerate(words)) and any(
            s < sent.start for s, t in self._typed_sents if t == "regulation")

    def _banning_law(self, doc: Doc, m: Match) -> bool:
        """The regulation's object is a ban named as a noun, within five words in the same
        clause: "signed into law a two-year moratorium on" (not "a bill that would ban", nor
        "reversed a 2021 directive barring banks": undoing a ban is the regulation)."""
        if doc[m.start].lower_ in self.rules.events["ban"].cancel_before:
            return False
        if doc[m.start].lower_ in ("proposed", "proposes", "propose", "proposing"):
            return False  # "proposed a rule barring banks from": the ban proposed is no ban
        for k in range(m.end, min(m.end + 6, len(doc))):
            if "ban" in self._types_at.get(k, ()):
                # "rules banning the sale of": the rules are the ban
                # "preparing a bill to ban trading": the bill is the ban
                return doc[k].lower_.startswith("moratori") or doc[k - 1].lower_ in (
                    "a", "an", "new", "total", "blanket", "outright", "to") or (
                    k == m.end and doc[k].lower_.endswith("ing"))
            if doc[k].is_punct and doc[k].text not in ("-", "–") \
                    or doc[k].lower_ in OTHER_CLAUSE | {"that"}:
                return False
        return False

    def _undone(self, sent: Span, m: Match) -> bool:
        """A regulation just before the noun acts on what it names ("struck down the ban")."""
        return any("regulation" in self._types_at.get(k, ())
                   for k in range(max(sent.start, m.start - 6), m.start))

    def _part_of_probe(self, doc: Doc, sent: Span, m: Match) -> bool:
        for k in range(m.end, sent.end - 2):
            # "seized devices and cash during the searches" (not "dismantled 25 farms during
            # searches", "during a search operation")
            if doc[k].lower_ == "during" and doc[m.start].lower_.startswith(("seiz", "confisc")) \
                    and any(t.lower_ in SEARCHES and t.i + 1 < len(doc)
                            and doc[t.i + 1].lower_ not in CAMPAIGNS | {"operations"}
                            for t in doc[k + 1:k + 3]):
                return True
            if (doc[k].lower_ == "as" and doc[k + 1].lower_ == "part" or doc[k].lower_ == "in"
                    and doc[k + 1].lower_ in ("a", "an", "the")) and any(
                    "investigation" in self._types_at.get(j, ())
                    for j in range(k + 2, min(k + 8, sent.end))):
                return True
        return False

    def _with_sentence(self, doc: Doc, sent: Span, m: Match) -> bool:
        """A fine after a jail term in the same sentence is part of the court's sentence
        ("was jailed for 11 years and fined 6 million yuan", "sentenced X, former deputy
        director of ..., to 12 years in prison, fined him 500,000 yuan and confiscated";
        "...; the court also fined him"); one by another body ("and the market regulator
        fined"), on a firm ("and fined the exchange") or ordering payment is a penalty."""
        if "pay" in {t.lower_ for t in doc[m.start:m.end]}:
            return False  # ("and ordered to pay compensation": an order of its own)
        verdict = [k for k in range(sent.start, m.start - 1)
                   if "sentence" in self._types_at.get(k, ())]
        if not verdict:
            return False
        # (who fines is said after the last "and", comma or semicolon before it: "and the
        # market regulator fined", not the sentenced official's post before that)
        joiner = max((t.i for t in doc[verdict[-1] + 1:m.start]
                      if t.lower_ in ("and", ",", ";", "while")), default=verdict[-1])
        if any(f.kind in ("agency", "organization") and joiner < f.start < m.start
               for f in self._mentions) or any(
                t.lower_ in self.authority and t.lower_ not in COURT_WORDS
                for t in doc[joiner + 1:m.start]):
            return False
        after = doc[m.end:min(m.end + 3, sent.end)]
        return not any(t.lower_ in FIRM_WORDS | {"unit", "subsidiary"} for t in after) \
            and not any(f.kind == "organization" and m.end <= f.start < m.end + 3
                        for f in self._mentions)

    def _pledged_act(self, doc: Doc, m: Match) -> bool:
        """"vowed to crack down", "pledges to ban", "vowed last month to crack down": another
        type's trigger right after the "to"."""
        if doc[m.end - 1].lower_ == "to":
            k = m.end
        else:
            k = next((i + 1 for i in range(m.end, min(m.end + 5, len(doc)))
                      if doc[i].lower_ == "to" or doc[i].is_punct), None)
            k = k if k is not None and doc[k - 1].lower_ == "to" else None
        while k is not None and k < len(doc) and (doc[k].is_quote or doc[k].lower_.endswith("ly")):
            k += 1  # "vowed to \"resolutely crack down\""
        if k is not None and k < len(doc) and any(
                t not in ("pledge", "approval") for t in self._types_at.get(k, ())):
            return True  # ("vowed to keep up unannounced checks": one trigger)
        if k is None and m.end < len(doc) and doc[m.end].lower_ == "that" and any(
                t not in ("pledge", "approval") for j in range(m.end + 1, min(m.end + 9, len(doc)))
                for t in self._types_at.get(j, ())):
            return True  # "has vowed that the raids will continue"
        if k is not None and k + 1 < len(doc) and doc[k].lower_ == "continue" \
                and doc[k + 1].lower_ == "to":
            k += 2  # "vowed to continue to go after operators"
        if k is not None and k < len(doc) and doc[k].lower_ in ("keep", "continue", "step"):
            k += 1  # "vowed to keep blocking access"
            while k < len(doc) and doc[k].lower_ in ("up", "its", "their", "the", "a"):
                k += 1  # "vowed to keep up its crackdown", "to step up the fight against"
        return k is not None and any(t not in ("pledge", "approval")
                                     for t in self._types_at.get(k, ()))

    def _caller_is_no_authority(self, doc: Doc, sent: Span, m: Match,
                                mentions: list[Found]) -> bool:
        """The verb of a call before the trigger has a common noun or a company as subject;
        or what the text reports is unverified."""
        for t in self._clause(doc, sent, m, WINDOW * 2):
            if t.lower_ in UNVERIFIED:
                return True
            if t.lower_ in CALLS and (_common_subject(doc, t.i, mentions, self.authority) or any(
                    f.kind == "organization" and not self._institution(f) and f.end <= t.i
                    and _subject_of(doc, f, t.i) for f in mentions)):
                return True
            if t.lower_ in CALLS and t.i + 3 < len(doc) and doc[t.i + 1].lower_ == "from":
                k = t.i + 2 + (doc[t.i + 2].lower_ == "the")
                if not any(f.start == k and f.kind in ("agency", "place") for f in mentions) \
                        and not self.authority & {u.lower_ for u in doc[k:k + 3]}:
                    return True  # "despite calls from environmental groups to shut down farms"
        return False

    @staticmethod
    def _firm_target(doc: Doc, m: Match, mentions: list[Found]) -> Found | None:
        """"reviewing whether the firm had breached ...", "charged the company with": the
        company named before."""
        after = doc[m.start + 1:min(m.end + 4, len(doc))]
        if not any(t.lower_ in FIRM_WORDS and doc[t.i - 1].lower_ == "the"
                   and doc[t.i + 1].text not in ("'s", "’s") for t in after):
            return None
        named = [f for f in mentions if f.end <= m.start and (
            f.kind == "organization" or f.kind == "person" and not f.title)]
        return named[-1] if named else None

    def _private_who(self, doc: Doc, i: int) -> bool:
        """"the promoters of HashGrow Global, who promised monthly returns": a relative
        clause on a company, or on a person with no public post."""
        if i < 3 or doc[i - 1].lower_ != "who":
            return False
        end = i - 2 if doc[i - 2].text == "," else i - 1
        f = next((f for f in self._mentions if f.end == end), None)
        if f is None:
            return _plain_noun(doc[end - 1], self.authority)
        return f.kind == "organization" and not self._institution(f) \
            or f.kind == "person" and (not f.title or private_title(f))

    def _institution(self, f: Found) -> bool:
        return bool(self.institutions & set(f.name.lower().split()))

    def _said_next(self, doc: Doc, sent: Span, etype: EventType,
                   target: Found | None) -> Found | None:
        """"X has been placed under investigation. Liu Qiang, 54, is suspected of ..., the
        Inner Mongolia Commission for Discipline Inspection said.": with no actor and no
        attribution of its own, the body the next sentence is attributed to."""
        following = self._sents.get(sent.end)
        if following is None or ATTRIBUTION & {t.lower_ for t in sent}:
            return None
        for f in self._mentions_in(following):
            if f.kind not in etype.actor or f.kind == "person" or (
                    f.kind == "organization" and not self._institution(f)):
                continue
            if target is not None and f.id == target.id:
                continue
            after = {t.lower_ for t in doc[f.end:min(f.end + 3, following.end)]}
            before = [t.lower_ for t in doc[max(f.start - 3, following.start):f.start]
                      if t.lower_ != "the"]
            # "Separately, the NDRC said ...": an opening adverb's comma starts new news
            if after & ATTRIBUTION and _word_before(doc, f.start) == "," \
                    and f.start - following.start > 3 or before[-2:] == ["according", "to"]:
                return f
        return None

    def _mentions_in(self, span: Span) -> list[Found]:
        return [f for f in self._mentions if span.start <= f.start < span.end]

    def _private_post(self, doc: Doc, sent: Span, m: Match, mentions: list[Found]) -> bool:
        """The post after "named"/"appointed" is a company's: a company named in it (its name
        has a company word, or it owns the post: "chairman of Disney's ... division"), or a
        company title word ("chief executive"), and no agency or place."""
        window = doc[m.end:min(m.end + 20, sent.end)]
        # "appointed economist Carolina Ruiz, a veteran of ..., as the new head of": the post;
        # not when a post came first ("named Zhang Wei head of ..., as Ant Group faces")
        at = next((t.i for t in window if t.lower_ == "as"), None)
        heads = self.rules.titles.heads - self.rules.titles.private  # ("economist X as")
        start = at + 1 if at is not None and not any(
            t.lower_ in heads for t in doc[m.end:at]) else m.end
        post = []
        for t in doc[start:min(start + 12, sent.end)]:
            if t.text in (",", ";", ":", ".") or t.lower_ in ("after", "since", "on", "in",
                                                                   "last", "this", "when"):
                break
            post.append(t)
        if not post:
            return False
        inside = [f for f in mentions if post[0].i <= f.start <= post[-1].i]
        if any(f.kind in ("agency", "place") or f.kind == "organization"
               and self._institution(f) for f in inside):
            return False
        words = {t.lower_ for t in post}
        companies = self.rules.authority.companies
        # (a company title word is a company's post unless a body in the sentence appoints:
        # "the SFC announced ... has appointed Ms X as Executive Director")
        return any(f.kind == "organization" and (
            companies & set(f.name.lower().replace(".", "").split())
            or f.end < len(doc) and doc[f.end].text in ("'s", "’s")) for f in inside) \
            or bool(words & self.rules.titles.private) and not self._body_appoints(sent, m)

    def _body_appoints(self, sent: Span, m: Match) -> bool:
        """The last body or organisation named before the trigger is an agency or a post ("the
        SFC announced that the Financial Secretary has appointed"; not "Binance appointed")."""
        heads = self.rules.titles.heads
        before = [f for f in self._mentions_in(sent) if f.end <= m.start
                  and f.kind in ("agency", "organization")
                  and not (f.kind == "organization" and f.end < len(sent.doc)
                           and sent.doc[f.end].lower_ in heads)]  # ("the Financial Secretary")
        return bool(before) and (before[-1].kind == "agency" or any(
            w in heads for w in before[-1].name.lower().split()))

    def _existing(self, doc: Doc, sent: Span, m: Match) -> dates.Resolved | None | bool:
        """A noun trigger naming one that exists: None if it is not one; else the year in its
        name ("the 2021 mining ban") or False (no date of its own)."""
        first = doc[m.start]
        if first.lower_.endswith(("ed", "ing")) or first.lower_.endswith("s") and (
                m.end - m.start == 1 and m.end < len(doc) and not _noun_follows(doc[m.end])):
            return None  # "the government bans crypto": a verb with its object
        brought_by = self.rules.nouns.brought_by
        if self._brought_after(doc, sent, m):
            return None  # "China's ban on trading, announced on Friday, ..."
        year, i, seen = None, m.start - 1, 0
        while i >= sent.start and seen < 4 and doc[i].lower_ not in DEFINITE | {"a", "an"}:
            t = doc[i]
            if t.lower_ in brought_by:
                return None  # "Thailand's new ban", "the proposed ban"
            if t.lower_ in self.rules.nouns.existing_after:
                return year or False  # "reluctant to enforce bans on burning"
            if t.lower_ in EXISTING:
                return year or False  # "a recent face mask ban"
            if t.like_num and len(t.text) == 4 and t.text.isdigit():
                year = (t.text, "year")
            elif not (t.is_alpha and not t.is_stop and t.lower_ not in MODALS | BE
                      and not t.lower_.endswith("ly")) and t.text not in ("-", "–"):
                return None  # "Inner Mongolia will ban": a verb
            i, seen = i - 1, seen + 1
        if i > sent.start and doc[i].lower_ in ("a", "an") and doc[i - 1].lower_ in (
                "during", "amid"):
            return year or False  # "came to light during a province-wide clean-up"
        if i < sent.start or doc[i].lower_ not in DEFINITE:
            return None
        if doc[i].lower_ in ("'s", "’s"):  # "the government's": skip the owner's name
            i -= 1
            while i > sent.start and (doc[i].is_title or doc[i].is_alpha and doc[i - 1].lower_
                                      in ("the", "a")) and doc[i - 1].lower_ not in ("'s", "’s"):
                i -= 1
        bringers = {t.lower_ for t in doc[max(sent.start, i - 3):i + 1]}
        if bringers & brought_by:
            return None  # "imposed the ban", "announced China's ban"
        return year or False

    def _brought_after(self, doc: Doc, sent: Span, m: Match) -> bool:
        """"the ban, announced on Friday", "the ban it imposed", "the ban imposed last week"."""
        for t in doc[m.end:min(m.end + 8, sent.end)]:
            if t.text in (";", ".", ":"):
                return False
            if t.lower_ in self.rules.nouns.brought_by and (
                    t.i == m.end or doc[t.i - 1].lower_ in (",", "it", "which", "that", "they",
                                                            "was", "were", "is", "are")):
                return True
        return False

    @staticmethod
    def _attributed_actor(doc: Doc, m: Match, etype: EventType, in_sent: list[Found],
                          mentions: list[Found], target: Found | None, ok) -> Found | None:
        """No actor in subject position: the body the sentence is attributed to ("..., the
        CCDI said", "according to the CCDI"), one named after "by", else (passive) one named
        before the trigger; never a body inside a person's title or the one someone is
        expelled "from"."""
        in_titles = {i for f in mentions if f.title_span for i in range(*f.title_span)}
        cands = [f for f in in_sent if ok(f, etype.actor, True) and f.kind != "person"
                 and f.start not in in_titles and (target is None or f.id != target.id)
                 and not (_word_before(doc, f.start) == "from" and f.start - m.end <= 3)]
        for p in in_sent:  # "..., SEC Chair Gary Gensler said", "said X, deputy director of
            # the commission": the body
            if p.kind != "person" or not p.title_span:
                continue
            said_after = ATTRIBUTION & {t.lower_ for t in doc[p.end:min(p.end + 3, len(doc))]}
            said_before = p.start > m.end and doc[p.start - 1].lower_ in ATTRIBUTION \
                and not FORMER & {t.lower_ for t in doc[p.title_span[0]:p.title_span[1]]}
            if said_after or said_before:
                body = [f for f in mentions if f.kind == "agency"
                        and p.title_span[0] <= f.start < p.title_span[1]]
                if body and (target is None or body[0].id != target.id):
                    if said_before:
                        return body[0]
                    cands.insert(0, body[0])
        for f in cands:
            follows = {t.lower_ for t in doc[f.end:min(f.end + 4, len(doc))]}
            before = [t.lower_ for t in doc[max(f.start - 3, 0):f.start] if t.lower_ != "the"]
            # ("agreed to pay $4 billion to resolve the Justice Department's investigation")
            if follows & ATTRIBUTION or before[-1:] == ["by"] or before == ["according", "to"] \
                    or before[-1:] in (["resolve"], ["settle"]) and f.kind == "agency":
                return f
        left = [f for f in cands if f.end <= m.start]
        passive = target is not None and target.end <= m.start
        return left[-1] if left and passive else None

    @staticmethod
    def _pronoun_target(doc: Doc, sent: Span, mentions: list[Found], m: Match) -> Found | None:
        """"He was sentenced ...": the last person named before this sentence; "X, founder of
        Y, faces ... charges against him": the sentence's subject, else the last person named
        before."""
        # ("removed him from his post": the pattern may hold the pronoun)
        if any(t.lower_ in ("him", "her") for t in doc[m.start + 1:min(m.end + 1, len(doc))]):
            earlier = [f for f in mentions if f.kind == "person" and f.end <= m.start]
            subject = [f for f in earlier if f.start == sent.start]
            earlier = subject or earlier
        elif who := next((t.i for t in doc[max(sent.start + 1, m.start - 3):m.start]
                          if t.lower_ == "who" and doc[t.i - 1].text == ","), None):
            # "Bai Zhonghai, a former deputy head of the bureau, who was jailed": the person
            # the relative clause is about (the last named before it)
            earlier = [f for f in mentions if f.kind == "person" and sent.start <= f.start
                       and f.end <= who]
        elif doc[clause := next((t.i + 1 for t in reversed(doc[sent.start:m.start])
                                 if t.text == ";"), sent.start)].lower_ in PRONOUNS:
            # (or a clause after a semicolon: "Han ... allowed a mining enterprise to continue
            # operating; he was given a serious warning and removed from his post")
            earlier = [f for f in mentions if f.kind == "person" and f.end <= clause]
        elif whom := next((t.i for t in doc[max(sent.start + 1, m.start - 6):m.start]
                           if t.lower_ == "whom"), None):
            # "Daniel Whitaker, whom the governor appointed": the one the relative is about
            end = whom - 1 if doc[whom - 1].text == "," else whom
            earlier = [f for f in mentions if f.kind == "person" and f.end == end]
        else:
            return None
        return earlier[-1] if earlier else None

    def _cue(self, tokens: list, cues: list[list[str]]) -> bool:
        words = [t.lower_ for t in tokens]
        for cue in cues:
            if "**" in cue:
                if _gapped_cue(words, cue):
                    return True
                continue
            n = len(cue)
            for i in range(len(words) - n + 1):
                # a capitalised one-word cue mid-sentence is a name ("May"), not a cue, nor
                # is one inside a compound ("a high-pressure posture")
                if words[i:i + n] == cue and (n > 1 or (
                        not tokens[i].is_title or _starts_clause(tokens[i]))
                        and not (i and words[i - 1] == "-")):
                    return True
        return False

    def _clause(self, doc: Doc, sent: Span, m: Match, window: int = WINDOW) -> list:
        # "will close all mining projects by the end of April and stop approving new ones":
        # a verb after "and" shares the clause's cues however far back they are
        stops: tuple[str, ...] = (",", ";", ":")
        j = m.start - 1
        while j > sent.start and doc[j].lower_.endswith("ly") and doc[j].is_lower:
            j -= 1  # "..., and resolutely crack down on"
        if m.start and doc[j].lower_ in ("and", "or", ","):
            if m.trigger.modality is not None or _past_verb_of_its_own(doc, sent, j, m.start):
                return []  # "... reviewing whether X and urged investors to": its own verb
            if doc[m.start - 1].text == "," and doc[m.start].lower_.endswith("ing") \
                    and m.trigger.event == "warning":
                return []  # "called on countries to act, warning that": a warning of its own
            window = WINDOW * 3  # "asks the court to order the return of gains, impose ..."
            # (a list of verbs: "will establish a mechanism, strengthen monitoring, and crack
            # down on")
            stops = (";", ":") if doc[j].lower_ in ("and", "or") and doc[j - 1].text == "," \
                else stops
        if (doc[m.start].lower_ == "to" or _infinitive(doc, m.start)) and any(
                t.lower_ == "with" for t in doc[max(sent.start, m.start - WINDOW * 3):m.start]):
            # "will work with the central bank and the Ministry of Public Security to keep up
            # pressure": the purpose shares the modality of its verb however long the partners
            window = max(window, WINDOW * 3)
        tokens = []
        for t in reversed(doc[max(sent.start, m.start - window):m.start]):
            if t.text in stops and tokens:
                break
            tokens.append(t)
        # ("The SEC, which has long claimed that ..., sued": the relative clause is no cue)
        relative = [(a, b) for a, b in _asides(doc, sent.start, m.start)
                    if doc[a].text == "," and doc[a + 1].lower_ in OTHER_CLAUSE]
        return [t for t in reversed(tokens) if not any(a <= t.i < b for a, b in relative)]

    def _modality(self, doc: Doc, sent: Span, m: Match, etype: EventType) -> str:
        # a trigger that spells its own negation ("would not allow", "will not build") is not
        # denied by it
        # ("check whether state firms were hosting": what is checked, no condition)
        # ("jailed the founder of a purported fund for 12 years": the object is unverified,
        # not the act)
        own = [t for t in doc[m.start:m.end]
               if not (m.trigger.negated and t.lower_ in NEGATIONS) and t.lower_ != "whether"
               and not (t.i > m.start and t.lower_ in UNVERIFIED)]
        if m.trigger.modality is not None:
            own = []  # "proposed by", "urged investors to": the trigger says what it is
        clause = ([] if m.trigger.subject_inside else self._clause(doc, sent, m)) + own
        if etype.id == "warning" and [t.lower_ for t in doc[max(sent.start, m.start - 3):m.start]] \
                == ["would", "like", "to"]:
            return "happened"  # "The SEC would like to advise investors": advice given
        # "The Committee will maintain the target range": keeping things as they are is
        # decided now, so "will" does not make it a plan
        status_quo = doc[m.start].lower_ in STATUS_QUO and etype.id in ("regulation", "pledge")
        denied = self._cue(self._negating(clause, m), self.rules.modality_cues.get("denied", []))
        if m.start and doc[m.start - 1].text == "," and doc[m.start].lower_ in (
                "reversing", "rescinding", "overturning"):
            return "happened"  # "said banks may offer custody without its approval, reversing"
        if not denied and any(t.lower_ in ("pushed", "pushing", "push", "lobbied", "lobbying")
                              and doc[t.i + 1].lower_ == "for"
                              and not any(u.lower_ == "and" for u in doc[t.i:m.start])
                              for t in doc[max(sent.start, m.start - 5):m.start]):
            return "hypothetical"  # "which for years pushed for an outright ban": a call
        if etype.id == "regulation" and doc[m.start].lower_ in PREPARING and m.start \
                and doc[m.start - 1].lower_ in FINITE_BE \
                and not self._cue(clause, self.rules.modality_cues.get("hypothetical", [])):
            # "the government was finalising a discussion paper": in the works (not "it was
            # lifting its ban", "is tightening the licence regime": done as they speak)
            return "planned"
        # ("If someone tells you to deposit cash, it is a scam," X warned: the quote's "if")
        quoted = sent.start and doc[sent.start - 1].is_quote and any(
            t.is_quote for t in doc[sent.start + 1:m.start])
        # ('If investors receive such calls, "it is a scam", the police warned': what is said)
        said = etype.id == "warning" and any(t.text == "," for t in doc[sent.start:m.start]) \
            and not any(t.text == "," for t in doc[m.end:sent.end])
        if doc[sent.start].lower_ in ("if", "unless") and not quoted and not said and not denied:
            return "hypothetical"  # "If the FATF pressed the issue, the government would ..."
        for modality in MODALITY_ORDER:
            if modality == "planned" and (etype.future_is_inherent or status_quo):
                continue
            tokens = clause
            if modality == "denied":
                tokens = self._negating(clause, m)
            if self._cue(tokens, self.rules.modality_cues.get(modality, [])):
                if modality == "planned" and any(
                        t.lower_ in ("if", "unless")
                        and not IF_WHETHER & {u.lower_ for u in doc[t.i - 3:t.i]}
                        and (t.i < m.end + 6 or not any(
                            u.text in (",", ";") for u in doc[m.end:t.i])
                            and any(u.lower_ == "would" for u in tokens))
                        for t in doc[m.end:min(m.end + 12, sent.end)]):
                    # "would consider a ban if the register showed", "would propose a ban in
                    # more regions of southern Siberia if illegal mining continued"
                    return "hypothetical"
                if modality == "planned" and _under_measure(doc, sent):
                    return "happened"  # "will be prohibited ... under a resolution published"
                if modality == "planned" and etype.id == "penalty" and any(
                        t.lower_ in ("settle", "resolve") for t in doc[m.start:sent.end]) and any(
                        t.lower_ == "pay" for t in [*tokens, *doc[m.start:m.end]]):
                    # "will pay $8.5 million to settle", "will pay a $16 million penalty ... to
                    # resolve findings": agreed
                    return "happened"
                if modality == "planned" and etype.id == "regulation" and not self._cue(
                        [t for t in tokens if t.lower_ not in PROPOSING],
                        self.rules.modality_cues.get("planned", [])):
                    return "happened"  # "published proposed rules": a proposal made
                return modality
        if not etype.future_is_inherent and _infinitive(doc, m.start):
            if etype.id == "regulation" and PROPOSALS & {
                    t.lower_ for t in doc[max(sent.start, m.start - 6):m.start]}:
                return "happened"  # "published proposals last month to lift its ban"
            if m.start >= 3 and doc[m.start - 2].lower_ in STEPS and any(
                    t.lower_ in MADE | {"took", "taken", "unveiled", "introduced"}
                    for t in doc[max(sent.start, m.start - 7):m.start - 2]):
                return "happened"  # "announced eight measures to crack down on": made
            if any(t.lower_ in JOINT_WORK and doc[t.i - 1].lower_ not in MODALS | {"to"}
                   for t in doc[max(sent.start, m.start - 14):m.start]):
                # "has worked with the police to shut down 127 websites", "Capitol Police, who
                # worked with the FBI to investigate" (not "will work with")
                return "happened"
            return "planned"  # "urged Ukraine to investigate", "wants to ban"
        return m.trigger.modality or "happened"

    def _shortly_after_old(self, doc: Doc, sent: Span, m: Match,
                           published: date | None) -> bool:
        """"ordered mining projects to shut down in June 2021, shortly after the committee
        called for a crackdown": what came just before an old act is history too (not
        "halted withdrawals on Monday, shortly after the SEC sued it")."""
        k = next((t.i for t in doc[max(sent.start, m.start - 16):m.start] if t.lower_ == "after"
                  and doc[t.i - 1].lower_ in SOON_AFTER), None)
        if k is None or published is None or any(t.text == "," for t in doc[k:m.start]):
            return False  # (the trigger must lie in the "after" clause itself)
        old = published - timedelta(days=self.rules.background_days)
        return any(when and dates.to_date(when) < old
                   for when in (dates.resolve(e.text, published, False) for e in sent.ents
                                if e.label_ == "DATE" and e.end < k))

    def _bill_would(self, doc: Doc, sent: Span, m: Match) -> bool:
        """"The bill, approved 68-30, would require", "It would also bar", "passed a bill that
        would ban": what a bill would do once law (the labelling policy: hypothetical)."""
        # ("The bill also allows the state utility to seize": what it would let others do)
        if not any(t.lower_ in ("would", "allows", "empowers", "authorises", "authorizes")
                   for t in doc[sent.start:m.end]):
            return False
        if any(t.lower_ in ("that", "which") and doc[t.i + 1].lower_ == "would"
               and doc[t.i - 1].lower_ in BILLS | MEASURES for t in doc[sent.start + 1:m.start]) \
                and any(t.lower_ in PASSING | INTRODUCED for t in doc[sent.start:m.start]):
            # "approved in a first reading a bill that would make illegal mining", "introduced
            # legislation ... that would impose an excise tax" (most labellers: hypothetical)
            return True
        if any(t.lower_ in ("that", "which") and doc[t.i + 1].lower_ == "would"
               and doc[t.i - 2].lower_ == "draft" for t in doc[sent.start + 2:m.start]):
            return True  # "published a draft plan that would close all mining projects"
        if any(t.lower_ == "consideration" and doc[t.i - 1].lower_ == "under"
               for t in doc[sent.start:m.start]) and any(
                t.lower_ in BILLS | {"act"} for t in doc[sent.start:m.start]):
            return True  # "the ... Act, under consideration by the US Senate, would impose"
        if ATTRIBUTION & {t.lower_ for t in doc[sent.start:m.start]}:
            return False  # "The measure comes a day after X said the government would ban"
        if not any(t.lower_ in BILLS | {"law"} for t in doc[:sent.start]) and not any(
                s < sent.start for s, t in self._typed_sents if t == "regulation"):
            return False  # (the bill is reported in this very sentence)
        head = [t.lower_ for t in doc[sent.start:min(sent.start + 4, sent.end)]]
        if head[0] in ("the", "this", "that") and (BILLS | {"law"}) & set(head[1:]):
            return True
        if head[0] != "it" or not sent.start:
            return False
        previous = self._sents[self._sent_of[sent.start - 1]]
        return any(t.lower_ in BILLS for t in previous)

    def _negating(self, clause: list, m: Match) -> list:
        """The clause without bare negations that do not deny the event: one far back ("did
        not realize Mr. Trump saw the request to investigate"), one before a hypothetical cue
        ("never urged Ukraine to investigate", "did not say whether it would ban": the urging
        is denied, the investigation stays hypothetical) or one after it ("urged the
        government not to ban", "if the SEC does not approve")."""
        hypothetical = self.rules.modality_cues.get("hypothetical", [])
        return [t for k, t in enumerate(clause) if t.lower_ not in NEGATIONS or (
            m.start - t.i <= NEGATION_REACH and not self._cue(clause[k + 1:], hypothetical)
            and not self._cue(clause[:k], hypothetical)
            # "rigs that did not exist was sentenced": the negation is another verb's
            and not any(u.lower_ in FINITE_BE for u in clause[k + 2:])
            # "will not hesitate to go after": a resolve
            and not any(u.lower_.startswith("hesitat") for u in clause[k + 1:k + 2]))]

    def _date(self, doc: Doc, sent: Span, m: Match, published: date | None,
              modality: str) -> tuple[dates.Resolved | None, bool]:
        """(the event's date, whether it lies after publication). A date after "by"/"until"
        is a deadline, not when the event happened; an event not (yet) done has no past
        date (that date belongs to something else in the sentence)."""
        future = modality == "planned"
        spans = [e for e in sent.ents if e.label_ == "DATE"] or _year_spans(sent)
        spans.sort(key=lambda e: abs(e.start - m.start))
        for span in spans:
            if span.start > 0 and doc[span.start - 1].lower_ in DEADLINE \
                    or doc[span.start].lower_ in DEADLINE or any(
                        t.lower_ == "between" for t in doc[max(sent.start, span.start - 4):
                                                           span.start]):
                continue  # "between November 2020 and August 2022": when the breach went on
            if span.start and doc[span.start - 1].lower_ in ("to", "till") and any(
                    t.lower_ in ADJOURNED for t in doc[max(sent.start, span.start - 6):span.start]):
                continue  # "adjourned the matter to June 24": the next hearing
            if _other_clause(doc, m.end, span.start) or _about_object(doc, m, span.start):
                continue  # "lifted a ban ..., reversing a February 2021 directive"
            if span.start and doc[span.start - 1].lower_ in ("over", "during", "in", "for") \
                    and span.text.lower().startswith(("the past", "the last", "past")) \
                    and span.text.lower().split()[-1] in ("month", "week", "weeks", "days"):
                # "seized 2,400 devices over the past month": until now ("over the past year"
                # reaches back)
                continue
            if _year_of_a_thing(doc, m, span):
                continue  # "amending the country's landmark 2021 law": the law's year
            if m.trigger.event == "regulation" and any(
                    t.lower_ in ("imposed", "introduced") for t in doc[m.start + 1:span.start]
                    if not (t.i < m.end and doc[t.i - 1].lower_ in RELATIVE_SUBJECTS)):
                # (not "a requirement it imposed in 2022", the imposing the trigger reports)
                continue  # "lifting a four-month suspension imposed in May": the suspension's
            if span.end <= m.start and doc[sent.start].lower_ == "to" and any(
                    t.text == "," for t in doc[span.end:m.start]) and any(
                    t.lower_ in MADE for t in doc[sent.start:span.start]):
                # "To implement the Notice ... issued by the NDRC in September, the Anhui
                # commission has issued a notice": the opening phrase's date
                continue
            if span.end <= m.start and span.start > sent.start + 2 \
                    and doc[m.start].lower_.endswith("ed") and any(
                        t.text == "," and doc[t.i + 1].lower_ == "and"
                        for t in doc[span.end:m.start]):
                # "expected to issue licences early next year, and cautioned the public": the
                # date is the first verb's ("In 2021, X ordered ..., and power was cut off" is
                # the whole sentence's)
                continue
            if _reduced_relative(doc, sent, m, span):
                continue  # "fined it for lapses linked to the case uncovered in 2023"
            if m.trigger.event == "warning" and any(
                    t.lower_ == "that" for t in doc[m.end:span.start]):
                continue  # "reminded firms that the transitional period ends in July"
            if doc[span.start - 1].lower_ != "since" and any(
                    t.lower_ == "since" for t in doc[m.end:span.start]):
                continue  # "arrested 2,300 since a campaign began in April": when it began
            if span.end < len(doc) and doc[span.end].lower_ in BASELINES:
                continue  # "cut emissions to 62% below 2005 levels"
            k = span.start - (2 if span.start > 1 and doc[span.start - 1].text == "," else 1)
            if k >= 0 and doc[k].text in LAW_NAMES:
                continue  # "the Electricity Supply Act 1990": a name
            if any(t.lower_ in ("effect", "force", "effective") for t in doc[m.end:span.start]):
                continue  # "banned ..., under a decree that takes effect on January 1"
            # ("In November the heads of both agencies called for a ban": the call's date)
            if _reported_on(doc, span.start) or modality != "happened" \
                    and span.start <= sent.start + 1 < m.start \
                    and doc[span.start - 1].lower_ != "since":
                # "said on Tuesday it will launch": the date of the announcement, in the past;
                # a plan is news the day it is announced
                when = dates.resolve(span.text, published, future=False)
                if when:
                    return when, False
                continue
            when = dates.resolve(span.text, published, future)
            if span.text.lower() == "that year":
                # "ran on coal power until 2021. Authorities shut down dozens that year"
                when = next(((t.text, "year") for t in reversed(doc[max(0, span.start - 80):
                                                                     span.start])
                             if t.is_digit and len(t) == 4 and t.text[:2] in ("19", "20")), None)
            if when and published and doc[span.start - 1].lower_ == "since" \
                    and int(when[0][:4]) == published.year:
                continue  # "seized 38,000 devices since March": going on until now
            if when:
                later = published is not None and dates.to_date(when) > published
                if modality != "happened" and published is not None and not later:
                    continue
                return when, later
        return None, False

    def _background(self, doc: Doc, sent: Span, m: Match, when: dates.Resolved | None,
                    published: date | None) -> bool:
        published = published or self._reference
        old = published - timedelta(days=self.rules.background_days) if published else None
        results = _results_reported(doc, sent, m, when, published)
        if when and old and dates.to_date(when) < old and not (
                when[1] == "year" and int(when[0]) == published.year) and not results:
            return True
        if when and published and when[1] == "month" and when[0] < published.isoformat()[:7] \
                and not results:
            return True  # "In April", "late last month": news is dated to the day
        after = []
        for t in doc[m.end:sent.end]:
            if t.text in (",", ";", ":") or m.end - m.start > 1 and _relative_that(doc, t):
                break  # (what a relative clause after a verb trigger says is its object's)
            after.append(t)
        decade = any(t.text[:-1].isdigit() and len(t.text) == 5 and t.text.endswith("s")
                     for t in sent)  # "in the 2000s"
        # "a day after Justice Minister Park Sang-ki said his ministry was preparing a bill
        # to ban": the whole clause before the trigger
        words = self._clause(doc, sent, m, WINDOW * 2)
        if not words:
            # "four months after the bank lifted its directive ... and issued guidelines": a
            # verb of its own after "and" is still inside the "after"
            k = m.start - 1
            while k > sent.start and doc[k].text not in (",", ";", ":"):
                k -= 1
            words = list(doc[k:m.start]) if any(
                t.lower_ == "after" for t in doc[k:m.start]) else []
        clause = [t for t in words if not (
            t.i + 1 < len(doc) and (t.lower_ == "first" and not doc[t.i + 1].lower_.endswith(
                ("ed", "en")) or t.lower_ == "once" and doc[t.i + 1].lower_ == "again"
                or t.lower_ == "since" and _this_year(doc[t.i + 1:t.i + 6])))]
        # ("first proposed in 2019" is history; "in the first five months", "the first state
        # to", "for the first time", "once again", "since the start of the year" are not)
        # ("Banks remain prohibited from holding crypto": the standing ban, recalled)
        remains = m.start > sent.start and doc[m.start - 1].lower_ in ("remain", "remains")
        # "The FBI investigated the case." closing a release: the inquiry before the news
        closing = doc[m.start].lower_ == "investigated" and [
            t.lower_ for t in doc[m.end:m.end + 3]] == ["the", "case", "."]
        return decade or remains or closing or self._shortly_after_old(doc, sent, m, published) \
            or _relative_clause(doc, sent, m) \
            or self._cue(clause, self.rules.background_cues) or _since_long_ago(after, published) \
            or self._cue(_main_words(after)[:CUE_AFTER], self.rules.background_after)

    @staticmethod
    def _jurisdiction(actor: Found | None, in_sent: list[Found], doc_country: str | None):
        if actor and actor.jurisdiction:
            return actor.jurisdiction
        place = next((f for f in in_sent if f.kind == "place"), None)
        return place.jurisdiction if place else doc_country

    @staticmethod
    def _confidence(etype: EventType, trigger: Trigger, actor, target) -> float:
        score = trigger.confidence or etype.confidence
        if actor is None:
            score -= 0.15
        if target is None:
            score -= 0.1
        return round(max(0.05, min(1.0, score)), 2)

    @staticmethod
    def _role_list(actor: Found | None, target: Found | None, in_sent: list[Found]) -> list:
        roles: list[list] = []
        if actor:
            roles.append([actor.id, "actor"])
        if target and (not actor or target.id != actor.id):
            roles.append([target.id, "target"])
        for f in in_sent:
            role = "official" if f.kind == "person" and f.title and not private_title(f) else (
                "place" if f.kind == "place" else None)
            if role and [f.id, role] not in roles and f is not actor and f is not target:
                roles.append([f.id, role])
        return roles


def _gapped_cue(words: list[str], cue: list[str]) -> bool:
    """A cue with "**" (one to six words) matched in order: "get ** to" in "get Ukraine to",
    not in "get to"."""
    def at(i: int, k: int) -> bool:
        if k == len(cue):
            return True
        if cue[k] == "**":
            return any(at(j, k + 1) for j in range(i + 1, min(i + 7, len(words) + 1)))
        return i < len(words) and words[i] == cue[k] and at(i + 1, k + 1)
    return any(at(i, 0) for i in range(len(words)))


def _starts_clause(token) -> bool:
    """Sentence-initial, or right after an opening quote or bracket: '"If the U.S. ...'."""
    if token.is_sent_start:
        return True
    prev = token.doc[token.i - 1] if token.i else None
    return prev is not None and (prev.is_quote or prev.is_left_punct or prev.is_sent_start
                                 and prev.is_punct)


def _subject_of(doc: Doc, f: Found, trigger: int) -> bool:
    """Whether the name is the subject of the trigger: only auxiliaries and adverbs, or an
    apposition between commas or dashes, lie between ("SoftBank, its largest investor,
    committed", "Andy Beshear — whose father ... — promised")."""
    between = [t for t in doc[f.end:trigger]]
    for marks in ({","}, DASHES):
        if between and between[0].text in marks:
            close = next((k for k in range(1, len(between)) if between[k].text in marks), None)
            between = between[close + 1:] if close is not None else between
    if len(between) >= 2 and between[-1].lower_ == "to" and between[-2].is_alpha \
            and between[-2].is_lower:
        between = between[:-2]  # "Tom Hale pledged to cut": the one who pledged cuts
    return all(t.lower_ in SUBJECT_GAP or t.ent_type_ in ("DATE", "TIME") for t in between)


def _common_subject(doc: Doc, i: int, mentions: list[Found], authority: frozenset[str]) -> bool:
    """The word before the trigger (past auxiliaries) is a common noun that names no
    authority: "the expert warned", "mining companies warned", "investors sued"."""
    j = i - 1
    while j >= 0 and (doc[j].lower_ in SUBJECT_GAP or doc[j].ent_type_ in ("DATE", "TIME")
                      or doc[j].lower_.endswith("ly") and doc[j].is_lower):  # "increasingly"
        j -= 1
    j = _before_apposition(doc, j)  # "the group, operating under the name X, promised"
    progressive = doc[i].lower_.endswith("ing") and i and doc[i - 1].lower_ in BE
    if j < 0 or not doc[i].lower_.endswith(("ed", "s")) and not progressive \
            and doc[i].lower_ not in ("betting", "shut") and not (
            doc[j].lower_ in ("it", "they") and j > 0):
        return False  # a verb's subject ("the expert warned"), not "a statement warning"
    if doc[j].lower_ == "who" and j > 0:
        j -= 1  # "victims who are suing his estate": the victims sue
    if doc[j].lower_ in ("it", "they") and j > 0 and doc[j - 1].lower_ in ATTRIBUTION:
        # "The company also said it would ban": whoever said it
        k = j - 2
        while k >= 0 and doc[k].lower_ in SUBJECT_GAP:
            k -= 1
        return k >= 0 and _plain_noun(doc[k], authority) and (
            k > 0 and doc[k - 1].lower_ in ("the", "a", "an", "this", "that")) \
            and not any(f.start <= k < f.end for f in mentions)
    word, det = doc[j], doc[j - 1].lower_ if j else ""
    if word.lower_.endswith("ive") or word.lower_ in ("civil", "criminal", "monetary"):
        return False  # "informs that administrative fines have been imposed": a noun's adjective
    if word.lower_ in BODIES and sum(f.kind == "agency" and f.end <= j for f in mentions) >= 2:
        return False  # "The PBOC and the banking regulator met ... The two bodies warned"
    if word.lower_ in LOBBIES:
        k = j - 1
        while k > j - 4 and k > 0 and doc[k].is_lower and doc[k].is_alpha \
                and doc[k].lower_ not in DETERMINERS:
            k -= 1  # "Kazakhstan's mining industry association called on": its determiner
        det = "the" if doc[k].text in ("'s", "’s") else doc[k].lower_
    plural = word.lower_.endswith("s") and not word.lower_.endswith("ss")
    return _plain_noun(word, authority) and (plural or det in ("the", "a", "an", "this", "that")) \
        and not any(f.start <= j < f.end for f in mentions)


def _before_apposition(doc: Doc, j: int) -> int:
    """From a comma closing an apposition ("X, a businessman running for governor, promised"),
    the word before the comma that opens it; else j."""
    if j < 1 or doc[j].text != ",":
        return j
    k = j - 1
    while k > 0 and doc[k].text not in (",", ";") and not doc[k].is_sent_start:
        k -= 1
    opens = doc[k + 1].lower_ in APPOSITION_OPENERS or doc[k + 1].lower_.endswith("ing")
    return k - 1 if doc[k].text == "," and j - k > 2 and opens else j


def _generic_subject(doc: Doc, i: int, mentions: list[Found],
                     authority: frozenset[str]) -> int | None:
    """The common noun subject of a modal passive ("plague cases need to be carefully
    investigated", "such cases must be investigated"), or None."""
    j, chain = i - 1, set()
    while j >= 0 and (doc[j].lower_ in GENERIC_CHAIN or doc[j].lower_.endswith("ly")
                      and doc[j].is_alpha):
        chain.add(doc[j].lower_)
        j -= 1
    if j < 0 or "be" not in chain or not chain & (MODALS | {"need", "needs", "must", "ought"}):
        return None
    word = doc[j]
    if any(f.start <= j < f.end for f in mentions) or not _plain_noun(word, authority):
        return None
    return j


def _noun_follows(token) -> bool:
    """What may follow a noun, not a verb's object: "the bans on", "the bans were"."""
    return token.is_punct or token.lower_ in BE | MODALS | NOUN_NEXT


def _relative_clause(doc: Doc, sent: Span, m: Match) -> bool:
    """"Asiama, who was appointed by President Mahama earlier this year, told reporters",
    "Norway, which has pledged to cut emissions": what a relative clause says of someone is
    history (with "which", only in the perfect)."""
    first = m.start
    while first < m.end - 1 and doc[first].lower_ in BE:
        first += 1  # the trigger may begin with "was": "was appointed"
    k = first - 1
    while k > sent.start and doc[k].lower_ in BE | {"has", "had", "have"}:
        k -= 1
    if k == first - 1:
        return False
    perfect = bool({t.lower_ for t in doc[k + 1:first]} & {"has", "have", "had"})
    return doc[k].lower_ in ("who", "whom") or doc[k].lower_ == "which" and perfect


def _past_verb_of_its_own(doc: Doc, sent: Span, j: int, i: int) -> bool:
    """A past verb after "and" (at j): "said it would step up its crackdown and warned that"
    does not share "would"; "will be expelled and prosecuted" and "should have investigated ...
    and warned" share their "be" and "have"; after ", and" nothing is shared."""
    if doc[j].lower_ != "and" or not doc[i].lower_.endswith("ed"):
        return False
    # ("may be held criminally liable and penalized": "be" is shared)
    return doc[j - 1].text == "," or not any(
        t.lower_ in ("be", "been", "have", "has", "had")
        and _participle(doc[t.i + 1 + doc[t.i + 1].lower_.endswith("ly")])
        for t in doc[max(sent.start, j - 12):j])


def _this_year(words: Span) -> bool:
    """"the start of the year", "this year", "early October" (no year given): a time this
    year."""
    text = [t.lower_ for t in words]
    if text[:1] in (["early"], ["late"], ["mid"]):
        text = text[1:]
    if text and text[0] in dates.MONTHS and not any(
            t.like_num and len(t.text) == 4 for t in words):
        return True
    return " ".join(text).startswith((
        "the start of the year", "the beginning of the year", "this year",
        "the start of this year", "the beginning of this year"))


def _since_long_ago(after: list, published: date | None) -> bool:
    """"has banned trading since 2017", "since last year": what has held since a time before
    this year is history; "arrested 2,300 suspects since a campaign began in April" is news."""
    words = [t.lower_ for t in after]
    if "since" not in words:
        return False
    rest = after[words.index("since") + 1:]
    years = [int(t.text) for t in rest if t.text.isdigit() and len(t.text) == 4]
    text = " ".join(words[words.index("since") + 1:])
    return any(published is None or y < published.year for y in years) or any(
        w in text for w in ("last year", "years ago", "the 19", "the 20"))


def _asides(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Spans between a pair of dashes or brackets before `end` in the sentence, and the
    apposition between commas right before it ("Martin Ezcurra, a businessman running for
    governor of Argentina's Mendoza province, promised")."""
    out, opened = [], None
    j = end - 1
    while j > start and doc[j].lower_ in SUBJECT_GAP:
        j -= 1
    opening = _before_apposition(doc, j) + 1 if j > start else j
    # "..., Boris Johnson said, setting the target into law": a participle after the comma
    # continues the clause; an apposition opens with an article or a participle of its own
    if opening != j and opening > start and not doc[end].lower_.endswith("ing") \
            and (doc[opening + 1].lower_ in APPOSITION_OPENERS
                 or doc[opening + 1].lower_.endswith("ing")):
        out.append((opening, j + 1))
    if doc[start].lower_ in ("working", "together", "along", "jointly", "cooperating", "in") \
            and any(t.lower_ == "with" for t in doc[start + 1:start + 4]):
        # "Working together with the county police and the power company, the bureau has"
        close = next((u.i for u in doc[start + 2:end] if u.text == ","), None)
        if close is not None:
            out.append((start, close + 1))
    for t in doc[start:end - 2]:
        # "X, together with the municipal police and the power company, carried out"
        if t.text == "," and doc[t.i + 1].lower_ in ("together", "along") \
                and doc[t.i + 2].lower_ == "with":
            close = next((u.i for u in doc[t.i + 3:end] if u.text == ","), None)
            if close is not None:
                out.append((t.i, close + 1))
    for t in doc[start:end]:
        if opened is None and (t.text in DASHES or t.text == "("):
            opened = t.i
        elif opened is not None and (t.text in DASHES and doc[opened].text in DASHES
                                     or t.text == ")" and doc[opened].text == "("):
            out.append((opened, t.i + 1))
            opened = None
    return out


def _body_speaks(word, body_words: frozenset[str]) -> bool:
    """A spokesperson speaks for a body after "the", "a", the body's own word or its
    abbreviation: "The spokesperson", "a ministry spokesman", "A CSRC spokesperson" (not "A
    Binance spokesman", "the exchange's spokesperson")."""
    prev = word.doc[word.i - 1] if word.i else word
    return prev.lower_ in {"the", "a"} | body_words or prev.is_upper and len(prev) > 1


def _plain_noun(word, authority: frozenset[str]) -> bool:
    # (a plural noun opening the sentence is capitalised: "Traders priced in")
    lower = word.is_lower or word.is_sent_start and word.is_title and not word.ent_type_ \
        and word.lower_.endswith("s")
    if word.lower_ in SPOKESPEOPLE:
        return not _body_speaks(word, authority)
    if word.lower_ in ("bodies", "departments", "organs"):
        # "nine other government bodies declared", "ten other departments launched",
        # "discipline inspection and supervision organs will keep investigating" (not "Both
        # bodies warned": industry groups)
        return not word.i or word.doc[word.i - 1].lower_ not in OFFICIAL_BODIES
    return word.is_alpha and lower and not word.is_stop and len(word) > 2 \
        and word.lower_ not in authority and not word.lower_.endswith(("ly", "ing")) \
        and word.lower_ not in ADJECTIVE_SLOT


def _object_words(tokens: Span) -> list:
    """The words of the object noun phrase: up to a verb, a relative word or "to" ("approved
    a separate electricity tariff", not "allowed exchanges to quote prices")."""
    return list(takewhile(lambda t: not t.lower_.endswith("ing") and t.lower_ not in (
        "to", "whose", "that", "which", "who", "for", "at", ","), tokens))


def _as_after_apposition(doc: Doc, sent: Span, m: Match) -> bool:
    """"dismissed X, the SEC chairman, as out of touch": a judgement, not a dismissal."""
    if doc[m.end - 1].lower_ == "as":
        return False
    for j in range(m.end, min(m.end + 10, sent.end - 1)):
        if doc[j].text == ",":
            return doc[j + 1].lower_ == "as"
    return False


def _reduced_relative(doc: Doc, sent: Span, m: Match, span: Span) -> bool:
    """A date a participle after a noun holds, later in the sentence: "fined it for lapses
    linked to the case uncovered in 2023" (not "passed shortly after power cuts started in May
    2021", "since", "a decision announced on Monday")."""
    noun, participle = doc[span.start - 3], doc[span.start - 2]
    return span.start - 3 > m.end + 1 and doc[span.start - 1].lower_ in ("in", "on") \
        and participle.lower_.endswith("ed") and noun.is_alpha and noun.is_lower \
        and not noun.lower_.endswith("ly") \
        and not _shortly_after(doc[max(sent.start, span.start - 7):span.start - 2]) \
        and noun.lower_ not in BE | NOT_A_NOUN | PRONOUNS | LAW_WORDS | MEASURES | ACT_NOUNS \
        | {"it", "they", "we", "have", "has", "had", "first", "then"}


def _shortly_after(tokens: Span) -> bool:
    """"shortly after power cuts started in May 2021": the act came then too."""
    return any(t.lower_ == "after" and t.i and t.doc[t.i - 1].lower_ in SOON_AFTER
               | {"immediately", "days", "weeks", "months"}
               or t.lower_ == "since" for t in tokens)


def _adjectival(doc: Doc, i: int, sent_start: int, authority: frozenset[str]) -> bool:
    """A participle used as an adjective: "detained migrants", "banned substances"."""
    word = doc[i].lower_
    if not word.endswith("ed") or i + 1 >= len(doc):
        return False
    after = doc[i + 1]
    if not after.is_alpha or not after.is_lower or after.lower_ in NOT_A_NOUN \
            or after.lower_ in BE or after.ent_type_ in ("DATE", "TIME"):
        return False
    if i == sent_start:
        return True
    before = doc[i - 1]
    if before.ent_type_ in ("DATE", "TIME") or before.lower_ in ("today", "yesterday", "now"):
        return False  # "The FCA has today warned consumers"
    if before.lower_ == "general" and i >= 2 and doc[i - 2].lower_ in authority:
        return False  # "Iowa's attorney general sued two operators"
    # "to not vaccinate detained migrants": a verb or a non-authority noun before it
    if before.text.replace(",", "").isdigit() and len(before) != 4:
        return True  # "about 50 authorised farms" (not "in 2021 banned")
    return before.lower_ in ADJECTIVE_SLOT or _plain_noun(before, authority) or (
        before.lower_.endswith("ing") and before.is_lower and before.lower_ not in BE
        and len(before) > 4)  # (not "Beijing banned")


def _proposed(doc: Doc, i: int) -> bool:
    """"proposed banning", "proposes a blanket ban": a ban proposed is a regulation (the
    labelling policy: a proposal is a regulation that happened)."""
    k = i - 1
    # "proposed a temporary nationwide ban": articles and adjectives between
    while k >= 1 and i - k <= 4 and doc[k].is_alpha and doc[k].is_lower \
            and doc[k].lower_ not in MODALS | {"to", "that", "which", "on", "of", "and"} \
            and not doc[k].lower_.startswith("propos"):
        k -= 1
    if k >= 1 and doc[k].lower_ == "to" and k == i - 1:
        k -= 1  # "also proposes to prohibit such issuers from lending"
    # "Hong Kong's proposed ban": an adjective, the ban itself planned
    return k >= 1 and doc[k].lower_ in ("proposed", "proposes", "propose", "proposing") \
        and doc[k - 1].lower_ not in ADJECTIVE_SLOT


def _counted_people(doc: Doc, i: int) -> bool:
    """"arrested six (more) people": a group the text counts but does not name."""
    words = doc[i:i + 4]
    number = next((t for t in words if t.like_num), None)
    # ("sued two of the largest operators of cryptocurrency ATMs")
    reach = i + (7 if number is not None and number.i + 1 < len(doc)
                 and doc[number.i + 1].lower_ == "of" else 4)
    return number is not None and any(t.lower_ in PEOPLE_WORDS for t in doc[number.i:reach])


def _talk_of(doc: Doc, m: Match) -> bool:
    """"saying a ban would only push the market underground", "a ban is not on the table":
    a measure talked about, not one taken."""
    if m.end >= len(doc) or doc[m.start - 1].lower_ not in ("a", "the", "such", "any"):
        return False
    after = doc[m.end].lower_
    return after in MODALS or doc[m.start - 1].lower_ != "the" and after in ("is", "was",
                                                                           "remains")


def _law_title(doc: Doc, i: int) -> bool:
    """"the Law on Digital Technology Industry": a law named in capitals, not "the Bill"."""
    nxt = doc[i + 1:i + 3]
    return doc[i].is_title and len(nxt) == 2 and (
        nxt[0].is_title or nxt[0].lower_ in ("on", "of") and nxt[1].is_title)


def _law_name(f: Found) -> bool:
    return f.kind == "organization" and f.name.split()[-1].lower() in LAW_WORDS


def _authority_subject(clause: list, institutions: frozenset[str],
                       named: set[str] = frozenset()) -> str | None:
    """The authority named by a common noun in the subject that opens the clause before the
    trigger, or right before it: "Police in Dagestan have dismantled", "The European Union's
    three financial watchdogs on Thursday warned" (not "a period in which the regulator")."""
    def heads(k: int, t) -> bool:
        # nothing before it but its own words or who reports it ("The EU's three financial
        # watchdogs", "X said inspectors had raided"; not "Industry groups lobbying
        # regulators", "Lawyers for the prosecutors", "Former regulators"), and no one said to
        # act between it and the trigger ("Police said two banks had warned")
        # (lawmakers act only as the opening subject, not "lobbied lawmakers to")
        if t.lower_ in SPOKESPEOPLE and not _body_speaks(t, institutions):
            return False
        if t.lower_ in LAWMAKERS and (k >= len(opening) or any(
                u.is_lower and u.lower_.endswith("ed") or u.lower_ in ATTRIBUTION
                for u in clause[:k])):
            return False
        # "The bureau hereby reminds", "the county energy bureau has inspected": a body the
        # text names by its kind (not "the company's compliance department", "the tenants'
        # committee"; a word firms and clubs share must name a body the text names in full: not
        # "the family office")
        # ("The Futian District People's Procuratorate said it would": a name the model
        # missed, by the kind its last word gives)
        named_body = t.is_title and k > 1 and all(
            u.is_title or u.text in ("'s", "’s") for u in opening[1:k]) \
            and k + 1 < len(clause) and clause[k + 1].lower_ in ATTRIBUTION
        body = (t.is_lower or named_body) and t.lower_ in institutions and k < len(opening) \
            and (t.lower_ not in SHARED_BODY_WORDS or t.lower_ in named) \
            and opening[0].lower_ == "the" and not any(
                u.text in ("'s", "’s", "'", "’") and u.nbor(-1).lower_ != "people"
                for u in opening[:k])  # (not "the company's", but "the People's Procuratorate")
        return (t.lower_ in AUTHORITY_NOUNS or body) and not any(
            u.lower_ in NOT_A_NOUN - DETERMINERS | FORMER and not _joins_levels(u)
            or u.is_lower and u.lower_.endswith("ing") for u in clause[:k + 1][-4:-1]) \
            and not any(u.lower_ in ATTRIBUTION and not _says_it_will(u)
                        for u in clause[k + 1:])  # ("The commission said it would maintain")
    opening = []
    for t in clause[:8]:
        if t.lower_ in OTHER_CLAUSE | {"that"}:
            break
        opening.append(t)
    last = max(0, len(clause) - 2)
    cands = list(enumerate(opening)) + list(enumerate(clause[last:], last))
    return next((t.lower_ for k, t in cands if heads(k, t)), None)


def _joins_levels(u) -> bool:
    """"State and provincial securities regulators": "and" joins two levels of government."""
    return u.lower_ in ("and", "or") and 0 < u.i < len(u.doc) - 1 \
        and u.nbor(-1).lower_ in LEVELS and u.nbor(1).lower_ in LEVELS


def _says_it_will(u) -> bool:
    """"said it would maintain", "said they had seized": the body that speaks is the subject
    of what follows (not "said they had been warned by", "said it was the company that")."""
    doc = u.doc
    if u.i + 1 >= len(doc) or doc[u.i + 1].lower_ not in ("it", "they"):
        return False
    k = u.i + 2
    while k < len(doc) and doc[k].lower_ in MODALS | {"had", "has", "have", "was", "is", "were",
                                                       "are", "also", "to", "not"}:
        k += 1
    return k < len(doc) and doc[k].lower_ not in ("been", "the", "a", "an") \
        and not (doc[k].lower_.endswith("ed") and doc[k - 1].lower_ in BE)  # "it was fined"


def _document_says(doc: Doc, sent: Span, m: Match) -> bool:
    """"Localities that fail ... will be held accountable, the notice warned"."""
    return any(t.lower_ in VEHICLES | {"statement"} and doc[t.i - 1].lower_ == "the"
               and t.i + 1 < sent.end and doc[t.i + 1].lower_ in ATTRIBUTION | {"warned", "warns"}
               for t in doc[m.end:sent.end])


def _bodies_subject(doc: Doc, sent: Span) -> bool:
    """The sentence opens with bodies named before, by a common noun: "The three departments",
    "Both regulators"."""
    words = [t.lower_ for t in doc[sent.start:min(sent.start + 4, sent.end)]]
    return len(words) > 1 and words[0] in ("the", "these", "both", "all") and any(
        w in BODIES and k + 1 < len(words) and words[k + 1] != "of"
        for k, w in enumerate(words[1:], 1))


def _named_law(doc: Doc, sent: Span, i: int) -> bool:
    """The word before the trigger is a capitalised name, not a pronoun opening the sentence."""
    j = i - 1
    while j > sent.start and doc[j].lower_ in ("fully", "formally", "officially"):
        j -= 1
    return j >= sent.start and doc[j].is_alpha and not doc[j].is_lower \
        and not (j == sent.start and doc[j].lower_ in NOT_A_NOUN | {"it", "they"})


def _unnamed_party(doc: Doc, sent: Span, start: int, end: int, passive: bool,
                   posts: bool = True) -> bool:
    """"A Russian national ... has been charged", "jailed a man for five years", "sued a mining
    company": a person or firm the text describes but does not name, as the passive subject or
    the object."""
    if passive and _counted_subject(doc, sent, start):
        return True  # "Of those, six were expelled from the Party"
    if passive:
        # after a dateline or an opening clause ("MIRI: A 34-year-old man was jailed", "If
        # convicted, the suspects face up to seven years")
        first = next((t.i + 1 for t in doc[sent.start:min(start, sent.start + 4)]
                      if t.text == ":" or t.text in DASHES), sent.start)
        if doc[sent.start].lower_ in ("if", "once", "when", "after", "upon"):
            first = next((t.i + 1 for t in doc[sent.start:start] if t.text == ","), first)
        words = [t for t in doc[first:min(start, first + 8)] if t.is_alpha]
    else:
        words = list(doc[end:min(end + 8, sent.end)])  # "a former county energy official"
    if not passive and words and words[0].lower_ in PEOPLE_WORDS:
        return True  # a class of them: "inspections of exchanges", "arrested miners"
    if not words or words[0].lower_ not in DETERMINERS:
        return False
    if not passive and words[0].lower_ == "the" and len(words) > 1 \
            and (words[1].lower_ in NUMBER_WORDS or words[1].is_digit and len(words[1]) < 4):
        return True  # "Prosecutors in Pudong charged the five last August"
    for t in words[1:]:
        if t.lower_ in PARTY_NOUNS or posts and t.lower_ in POSTS:
            return True
        if t.text == "-":
            continue  # "sentenced a 31-year-old man"
        if not (t.is_alpha or t.like_num) or t.lower_ in NOT_A_NOUN - DETERMINERS:
            return False
    return False


def _counted_subject(doc: Doc, sent: Span, i: int) -> bool:
    """A number as the passive subject: "six were expelled", "Eleven of them were expelled",
    "three people were arrested"."""
    j = i - 1
    while j > sent.start and (doc[j].lower_ in BE | {"have", "has", "had", "also"}
                              or doc[j].lower_.endswith("ly") and doc[j].is_lower):
        j -= 1
    if j == i - 1:
        return False
    if doc[j].text == ",":
        # "Eleven people, including three foreigners, were detained"
        j = next((k - 1 for k in range(j - 1, max(sent.start, j - 8), -1)
                  if doc[k].text == ","), j)
    if j >= sent.start + 2 and doc[j].lower_ in ("them", "those") and doc[j - 1].lower_ == "of":
        j -= 2
    elif j > sent.start and doc[j].lower_ in PARTY_NOUNS:
        j -= 1
    # "Four suspected cases of electricity theft have been placed on file"
    k = next((k for k in range(j, max(sent.start, j - 6), -1)
              if doc[k].lower_ in ("cases", "case")), None)
    if k is not None and any(t.like_num for t in doc[max(sent.start, k - 2):k]):
        return True
    return doc[j].like_num


def _infinitive(doc: Doc, i: int) -> bool:
    """The trigger is a bare verb after "to" that is not "decided to"-like."""
    if i < 1 or doc[i - 1].lower_ != "to" or doc[i].lower_.endswith(("ed", "ing")):
        return False
    # "ordered 26 mining farms to shut down", "ordered power suppliers in Ya'an, Ganzi and Aba
    # to stop" (a list's commas are no clause's end)
    # ("decided to expel X from the Party and dismiss him from public office, and to transfer
    # his case": a coordinated infinitive shares the decision however far back it is)
    shared = i >= 2 and doc[i - 2].lower_ == "and"
    for t in reversed(doc[max(0, i - (30 if shared else 12)):i - 1]):
        if t.lower_ in DONE_TO and (i - t.i <= 12 or t.lower_ == "decided"):
            return False
        if t.is_punct and t.text not in ("-", ",") and not (shared and t.text == ";"):
            break  # "voted 60-38 to overturn"
    return True


def _titles_to_people(in_sent: list[Found], mentions: list[Found]) -> list[Found]:
    """A body named inside a person's title ("Tang Yong, former Party secretary of Huainan")
    stands for that person when roles are assigned; the person stands where the title is."""
    out, seen = [], set()
    for f in in_sent:
        owner = next((p for p in mentions if p.title_span and p is not f
                      and p.title_span[0] <= f.start < p.title_span[1]), None)
        if owner is None:
            out.append(f)
        elif id(owner) not in seen:
            seen.add(id(owner))
            out.append(Found(f.start, f.end, owner.kind, owner.id, owner.name, owner.rule_id,
                             owner.jurisdiction, owner.title, owner.title_rule, owner.title_span))
    return out


def _word_before(doc: Doc, i: int) -> str:
    """The word before token i, skipping an article."""
    i -= 1
    while i >= 0 and doc[i].lower_ in ("the", "a", "an"):
        i -= 1
    return doc[i].lower_ if i >= 0 else ""


def _year_spans(sent: Span) -> list[Span]:
    """Years the model did not mark (or it did not run): "in 2017"."""
    out = []
    for t in sent:
        if t.like_num and len(t.text) == 4 and t.text.isdigit() and 1900 < int(t.text) < 2100:
            out.append(sent.doc[t.i:t.i + 1])
    return out


def _speaker(doc: Doc, f: Found, trigger: int) -> bool:
    """The name is the subject of an attribution verb before the trigger ("X said ...")."""
    return any(t.lower_ in ATTRIBUTION for t in doc[f.end:min(f.end + 3, trigger)])


def _reported_on(doc: Doc, start: int) -> bool:
    """Whether the date at `start` follows an attribution verb: "said on Tuesday", "told
    reporters last month"."""
    i = start - 1
    if i >= 0 and doc[i].lower_ in ("on", "in"):
        i -= 1  # "said on Tuesday", "vowed in 2021"
    if i >= 0 and (doc[i].lower_ in ATTRIBUTION or doc[i].lower_ in VOWS):
        return True
    j = i
    while j >= max(0, i - 2) and doc[j].is_alpha and doc[j].lower_ != "told":
        j -= 1
    return j >= 0 and j < i and doc[j].lower_ == "told"


def _ordered(doc: Doc, i: int) -> bool:
    """"have been told to stop supplying electricity ... by Sunday": the order is given now;
    its deadline does not make it a plan."""
    return i > 0 and doc[i - 1].lower_ == "to" \
        and any(t.lower_ in ORDERS for t in doc[max(0, i - 5):i - 1])


def _other_clause(doc: Doc, end: int, start: int) -> bool:
    """A comma between the trigger and a later date opens a clause about something else
    (", reversing a February 2021 directive", ", which ...")."""
    if start <= end:
        return False
    if any(t.lower_ in OTHER_CLAUSE for t in doc[end:start]):
        return True  # "seized machines in a town where residents have refused ... since 1999"
    commas = [t.i for t in doc[end:start] if t.text in (",", ";")]
    if not commas or commas[-1] + 1 >= len(doc):
        return False
    opener = doc[commas[-1] + 1]
    if commas == [end] and opener.lower_ in ("imposed", "introduced", "issued", "adopted",
                                             "enacted", "announced"):
        return False  # "The ban, imposed in May to ease summer blackouts": the ban's own date
    # ", reversing a February 2021 directive", "the Law, issued in 2020, prohibits"
    # (", a crypto lender that froze withdrawals in 2022", ", a deputy governor since 2018":
    # an apposition's own; not ", a decision announced on Monday", which names the act)
    apposition = opener.lower_ in ("a", "an") and opener.i + 1 < len(doc) \
        and doc[opener.i + 1].lower_ not in ACT_NOUNS
    return opener.lower_ in OTHER_CLAUSE or apposition or (opener.lower_.endswith(("ing", "ed"))
                                             and opener.is_alpha and opener.is_lower)


def _results_reported(doc: Doc, sent: Span, m: Match, when: dates.Resolved | None,
                      published: date | None) -> bool:
    """"Police cracked 1,346 underground banking cases last year, the ministry said on
    Wednesday" opening a text in the spring, "arrested 128 people during August" opening one
    in September: a year's or a month's counted results, reported now, are news."""
    if not (when and published and sent.start == 0):
        return False
    last_month = (published.replace(day=1) - timedelta(days=1)).isoformat()[:7]
    return (when[1] == "year" and published.month <= 4 and int(when[0]) == published.year - 1
            or when[1] == "month" and when[0][:7] == last_month) \
        and any(_count(t) for t in doc[m.start:min(m.end + 2, sent.end)])


def _provided(doc: Doc, sent: Span, i: int) -> bool:
    """"introduces criminal penalties of", "carries a fine of": the trigger is the object of
    a verb of what a law sets (not "firms that did not provide records were fined")."""
    k = i - 1
    while k > sent.start and i - k <= 3 and doc[k].is_alpha and doc[k].is_lower \
            and doc[k].lower_ not in PROVIDES and not doc[k].is_stop:
        k -= 1  # "criminal", "administrative"
    if doc[k].lower_ in ("a", "an") and k > sent.start:
        k -= 1
    return doc[k].lower_ in PROVIDES


def _count(t) -> bool:
    """A number counting things ("cracked 1,346 cases", "arrested 128 people"), not a year or
    a sum of money ("a $14 million penalty")."""
    doc = t.doc
    return (t.text[:1].isdigit() or t.lower_ in NUMBER_WORDS) \
        and not (len(t.text) == 4 and t.text.isdigit()) \
        and t.lower_ not in AMOUNTS and not (t.i and doc[t.i - 1].is_currency) \
        and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in AMOUNTS)


def _rule_says(doc: Doc, sent: Span, m: Match) -> bool:
    """A sentence opening "Under the (new, revised) rules|measures ...," with a duty or a
    leave before the trigger ("local authorities must not approve"): what the rules provide
    (not "Under the pilot rules, the HKMA granted licences": an act under them)."""
    if not any(t.lower_ in MODALS | NEGATIONS | {"must", "shall"}
               for t in doc[max(sent.start, m.start - 3):m.start]):
        return False
    words = [t.lower_ for t in doc[sent.start:min(sent.start + 5, sent.end)]]
    return words[:1] == ["under"] and bool(set(words[1:]) & (MEASURES | {"rules", "guidelines"})) \
        and "," in [t.text for t in doc[sent.start:min(sent.start + 8, sent.end)]]


def _terms_of(doc: Doc, sent: Span) -> bool:
    """A sentence about what a decision already reported requires: "The order requires",
    "Under the agreement,", "Under the settlement, the firm will"."""
    words = [t.lower_ for t in doc[sent.start:min(sent.start + 4, sent.end)]]
    if words[:1] == ["under"]:
        words = words[1:]
    return len(words) >= 2 and words[0] in ("the", "this", "that") and words[1] in TERMS


def _duty_of_class(doc: Doc, sent: Span, i: int) -> bool:
    """A class of firms as the subject of a duty right before the trigger: "platforms would
    have to publish", "exchanges must adopt"."""
    j, duty = i - 1, False
    while j > sent.start and doc[j].lower_ in DUTY_WORDS:
        duty |= doc[j].lower_ in ("must", "required", "obliged", "have", "need", "needs")
        j -= 1
    return duty and doc[j].lower_ in PEOPLE_WORDS


def _law_in_force(doc: Doc, sent: Span, i: int) -> bool:
    """A participle after a law the text only refers to: "in violation of a state law barring",
    "under a rule requiring" (not "issued a notice barring banks from": the notice is news)."""
    if i < 2 or not doc[i].lower_.endswith("ing") or doc[i - 1].lower_ not in LAW_WORDS | MEASURES:
        return False
    j = i - 2
    while j > sent.start and doc[j].is_alpha and doc[j].is_lower and not doc[j].is_stop:
        j -= 1  # "a state law"
    # (not "published the text of a decree banning", "the first reading of a bill banning")
    return doc[j].lower_ in ("a", "an", "the") and j > sent.start and (
        doc[j - 1].lower_ in ("under", "violating", "breaching", "breaking")
        or doc[j - 1].lower_ in ("of", "with") and j - 1 > sent.start
        and doc[j - 2].is_alpha and doc[j - 2].lower_ not in PUBLISHED)


def _state(doc: Doc, i: int) -> bool:
    """"is authorised", "are not licensed", "is registered or authorised", "no entity has
    been authorised": what something is, not an act."""
    j = i - 1
    if j >= 2 and doc[j].lower_ in ("or", "and") and doc[j - 1].lower_.endswith("ed"):
        j -= 2
    if j >= 0 and doc[j].lower_ in NEGATIONS:
        j -= 1
    if j >= 3 and doc[j].lower_ == "been" and doc[j - 1].lower_ in ("has", "have") \
            and any(t.lower_ == "no" for t in doc[max(0, j - 6):j - 1]):
        return True  # ("No crypto firm has been authorised")
    return j >= 0 and doc[j].lower_ in ("is", "are")


def _condition(doc: Doc, sent: Span, m: Match) -> bool:
    """A participle after a plural common noun, in a clause a modal of duty or leave closes:
    "currencies approved by the CBB may be issued"."""
    before = doc[m.start - 1] if m.start > sent.start else None
    # (not "Three exchanges approved by the FSA on Monday can start trading": an act)
    after = doc[m.end:min(m.end + 8, sent.end)]
    return before is not None and before.is_lower and before.lower_.endswith("s") \
        and doc[m.start].lower_.endswith("ed") \
        and not any(t.like_num for t in doc[max(sent.start, m.start - 3):m.start]) \
        and not any(t.ent_type_ in ("DATE", "TIME") for t in after) \
        and any(t.lower_ in ("may", "must", "shall") for t in after)


PERSON_OBJECTS = {"him", "her", "violator", "defendant", "accused", "offender", "convict"}


# verbs that act on a measure made before ("rescinded a 2023 letter"; not "passed a 2021 law")
CHANGING = ("rescind", "repeal", "withdr", "overturn", "amend", "replac", "revis", "scrap",
            "lift", "revok", "reform", "suspend", "revers")


def _year_of_a_thing(doc: Doc, m: Match, span: Span) -> bool:
    """A bare year before a noun names the thing ("amending the landmark 2021 law", inside the
    trigger or after it), not the act ("oversaw the province's 2021 clean-up": the act's own;
    "in 2021 and", "as early as 2017": a date)."""
    nxt = doc[span.end] if span.end < len(doc) else None
    if span.start >= 2 and doc[span.start - 2].lower_ in ("in", "through", "via") \
            and doc[span.start - 1].lower_ in ("a", "an"):
        return False  # "banned its use as a means of payment in a 2017 directive": when
    return len(span) == 1 and span.text.isdigit() and nxt is not None and span.end != m.start \
        and nxt.is_lower and nxt.is_alpha and not nxt.is_stop \
        and doc[span.start - 1].lower_ not in YEAR_BEFORE \
        and (span.start >= m.end or m.start < span.start and (
            nxt.lower_ in MEASURES | BILLS
            # "rescinded a 2023 supervisory letter": the letter's year (not "committed under its
            # 2019 climate law to": when the pledge was made)
            or m.trigger.event == "regulation" and doc[m.start].lower_.startswith(CHANGING)
            and doc[span.start - 1].lower_ in ("a", "an", "the", "its", "their")))


def _participle(t) -> bool:
    return t.lower_.endswith(("ed", "en", "wn")) or t.lower_ in (
        "dealt", "held", "put", "sent", "caught", "shut", "cut", "set")


def _inner_passive(doc: Doc, m: Match) -> bool:
    """A passive inside a gapped trigger: "projects ... have been ordered to close", "will be
    severely dealt with"; and "farms in Ya'an were shut", a trigger that opens with its plural
    subject and ends with the participle (not "machines were seized" in a theft case)."""
    last = m.end - (1 if not doc[m.start].ent_type_ and doc[m.start].lower_.endswith("s")
                    and doc[m.end - 1].lower_ not in ("seized", "confiscated") else 2)
    return any(doc[k].lower_ in BE and _participle(doc[k + 1 + doc[k + 1].lower_.endswith("ly")])
               for k in range(m.start + 1, last))


def _escaped(doc: Doc, sent: Span, m: Match) -> bool:
    """A campaign named as what someone was shielded from: "shielded farms from a regional
    clean-up campaign" (the labelling policy: a bare noun is no event; "escaped from a
    crackdown that Beijing launched" and "shifted from warnings to a crackdown" still tell of
    one)."""
    i = m.start - 1
    while i > sent.start and doc[i].is_lower and doc[i].is_alpha and doc[i].lower_ not in (
            "from", "to"):
        i -= 1  # "a regional", "the ongoing"
    return i > sent.start and doc[i].lower_ == "from" and m.start - i <= 4 \
        and not doc[m.start].lower_.endswith("ed") and any(
            t.lower_.startswith(("shield", "protect")) for t in doc[max(sent.start, i - 6):i])


def _on_a_person(doc: Doc, m: Match) -> bool:
    """"prohibits the violator from working", "banned him from working in financial
    services": a measure on one person is a penalty, not a general ban."""
    after = [t.lower_ for t in doc[m.end:min(m.end + 2, len(doc))]]
    return bool(after) and (after[0] in PERSON_OBJECTS
                            or after[0] == "the" and after[1:2] and after[1] in PERSON_OBJECTS)


def _relative_of_noun(doc: Doc, i: int, authority: frozenset[str]) -> bool:
    """"a cryptocurrency investment app that promised returns": the trigger opens a relative
    clause on a common noun that names no authority."""
    return i >= 2 and doc[i - 1].lower_ in ("that", "which") \
        and _plain_noun(doc[i - 2], authority)


def _under_measure(doc: Doc, sent: Span) -> bool:
    """"Mining will be prohibited in ten regions from Jan. 1 under a government resolution
    published on Monday", "In a notice posted on its website, the PBOC said ... will be
    strictly prohibited": what a measure already made will do happened (it was made)."""
    words = [t.lower_ for t in sent]
    for i, w in enumerate(words):
        if w != "under" and not (w == "in" and i == 0 and NOTICES & set(words[1:4])):
            continue
        rest = words[i + 1:i + 7]
        noun = next((k for k, x in enumerate(rest) if x in MEASURES), None)
        if noun is not None and noun + 1 < len(rest) and rest[noun + 1] in MADE:
            return True
    return False


def _main_words(tokens: list) -> list:
    """The tokens before a relative clause opens ("over violations that occurred earlier this
    year": those were earlier, not the fine)."""
    out = []
    for t in tokens:
        if t.lower_ in OTHER_CLAUSE | {"that"}:
            break
        out.append(t)
    return out


def _about_object(doc: Doc, m: Match, start: int) -> bool:
    """"lifted a ban that had been in place since 2014": a relative clause after a trigger of
    several words tells of its object, not of the act (after a one-word trigger, "a ban that
    has been in place since 2017", it tells of the event itself)."""
    return m.end - m.start > 1 and any(_relative_that(doc, t) for t in doc[m.end:start])


def _relative_that(doc: Doc, t) -> bool:
    """"that had", "that has": a relative clause opens."""
    return t.lower_ == "that" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in RELATIVE_AUX


def _first_of_pair(doc: Doc, f: Found, earlier: list[Found], etype: EventType, ok) -> Found:
    """"The Financial Services Commission and the Financial Supervisory Service will inspect":
    the first of two bodies joined by "and" leads."""
    if not earlier or f.kind != "agency":
        return f
    g = earlier[0]
    between = [t.lower_ for t in doc[g.end:f.start]]
    return g if g.kind == "agency" and between in (["and"], ["and", "the"]) \
        and ok(g, etype.actor, True) else f
