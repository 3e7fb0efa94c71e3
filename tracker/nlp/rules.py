"""Load, validate and hash the tagging rules in rules/: event types and their triggers,
topics, official titles, the agency registry and the place registry.

A bad rule stops loading with a RuleError naming the file, the line and the fix. Trigger
and topic patterns are compiled here (into spaCy Matcher token patterns) so that a pattern
that cannot compile fails at load time, not in the middle of a retag.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RuleError

# The files the tagger reads; their bytes make up the rules version.
RULE_FILES = ("events.toml", "topics.jsonl", "titles.jsonl", "agencies.jsonl", "places.jsonl",
              "agency_templates.jsonl")
ENTITY_KINDS = ("agency", "place", "person", "organization", "topic")
MODALITIES = ("happened", "planned", "denied", "hypothetical")
TITLE_KINDS = ("head", "modifier", "honorific", "stop", "private", "portfolio")
NEGATION_WORDS = {"not", "n't", "never", "no"}

Pattern = list[dict[str, Any]]
GAP_STOPS = [",", ".", ";", ":", "!", "?", "(", ")", '"', "“", "”"]  # "**" never crosses these


@dataclass
class Trigger:
    id: str
    event: str
    patterns: list[Pattern]
    modality: str | None = None
    confidence: float | None = None
    subject_is_target: bool = False  # "X agreed to pay", "X is under investigation"
    # the words may name a thing rather than an act ("the mask ban", "the charges against
    # him"): after "the" or a possessive it is one that exists already
    noun: bool = False
    # the pattern spells its own negation ("would not allow"): not a denial of itself
    negated: bool = False
    # a step of a measure the document reported already ("The ban will take effect on Jan.
    # 6"): one measure is one event, so no event of its own after an earlier one
    follow_up: bool = False
    # the trigger spells its own subject in a relative clause ("a law the State Duma passed"):
    # the body inside acts, and the cues before the noun are the main clause's
    subject_inside: bool = False


@dataclass
class EventType:
    id: str
    description: str
    actor: list[str]
    target: list[str]
    confidence: float = 0.85
    require_actor: bool = False
    require_target: bool = False
    future_is_inherent: bool = False  # planned cues do not apply ("will cut emissions by")
    # with no actor found, a word naming an authority must be in the clause ("investors sued
    # the exchange" is no prosecution), unless the sentence is passive
    require_authority: bool = False
    # the post someone is named to is a public one, not a company's ("named chief executive
    # of Disney" is no appointment to follow)
    public_post: bool = False
    cancel_before: frozenset[str] = frozenset()
    # phrases after the trigger in its sentence that undo it ("relieved of his post ... in
    # connection with his transfer to another job" is no discipline)
    cancel_after: list[list[str]] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)


@dataclass
class Agency:
    id: str
    name: str
    category: str = ""
    jurisdiction: str | None = None
    abbr: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    template: str | None = None  # the agency_templates.jsonl line it was made from

    @property
    def country(self) -> str | None:
        return self.jurisdiction.split("-")[0].upper() if self.jurisdiction else None


@dataclass
class Place:
    id: str
    name: str
    kind: str = "country"
    country: str = ""
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)


@dataclass
class Topic:
    id: str
    name: str
    patterns: list[Pattern]


@dataclass
class Titles:
    heads: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    stops: frozenset[str] = frozenset()
    private: frozenset[str] = frozenset()  # company roles and candidates: no public office
    # what a post is "of" ("Minister of Energy and Mines", "Director of Enforcement")
    portfolio: frozenset[str] = frozenset()


@dataclass
class Authority:
    """Words that name an authority where no registry entity does (events.toml [authority])."""
    institutions: frozenset[str] = frozenset()  # in an unlisted body's name: "Ordos court"
    words: frozenset[str] = frozenset()  # "police", "prosecutors", "the government"
    companies: frozenset[str] = frozenset()  # in a company's name: "Acme Corp", "X Holdings"


@dataclass
class Nouns:
    """How a noun trigger (noun = true) is read (events.toml [nouns])."""
    # after "the" or a possessive, brought in now after these: "imposed the ban"
    brought_by: frozenset[str] = frozenset()
    # right after these it exists already, even without "the": "enforce bans on burning"
    existing_after: frozenset[str] = frozenset()
    # a trigger's last word is no noun of the kind when the next one follows: "sent to law
    # enforcement" (word -> next words)
    compounds: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class RuleSet:
    dir: Path
    version: str
    events: dict[str, EventType]
    modality_cues: dict[str, list[list[str]]]  # modality -> cue phrases as token lists
    background_cues: list[list[str]]
    background_after: list[list[str]]  # after the trigger, in its clause
    background_days: int
    agencies: dict[str, Agency]
    places: dict[str, Place]
    topics: dict[str, Topic]
    titles: Titles
    authority: Authority = field(default_factory=Authority)
    nouns: Nouns = field(default_factory=Nouns)

    @property
    def triggers(self) -> list[Trigger]:
        return [t for e in self.events.values() for t in e.triggers]


# ---------------------------------------------------------------- pattern syntax

_TOKEN = re.compile(r"^[^\s|?]+(\|[^\s|?]+)*\??$")


def compile_phrase(phrase: str) -> Pattern:
    """'expel|expelled * from the? party' -> spaCy Matcher token pattern on LOWER."""
    pattern: Pattern = []
    for raw in phrase.split():
        if raw == "*":
            pattern.append({"OP": "?"})
            continue
        if raw == "**":
            pattern.append({"ORTH": {"NOT_IN": GAP_STOPS}, "OP": "{0,6}"})
            continue
        if not _TOKEN.match(raw):
            raise ValueError(f"bad token {raw!r}")
        optional = raw.endswith("?")
        alts = raw.rstrip("?").lower().split("|")
        spec: dict[str, Any] = {"LOWER": alts[0] if len(alts) == 1 else {"IN": alts}}
        if optional:
            spec["OP"] = "?"
        pattern.append(spec)
    if not any("LOWER" in t and t.get("OP") != "?" for t in pattern):
        raise ValueError("a pattern needs at least one required word")
    return pattern


def _check_compiles(patterns: list[Pattern]) -> None:
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab(), validate=True)
    matcher.add("check", patterns)


def _split_words(phrase: str) -> list[str]:
    # cue phrases are matched token by token; "n't" and "'ll" are tokens of their own
    return phrase.lower().split()


# ---------------------------------------------------------------- file readers

def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return None


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, None, f"cannot read: {exc}",
                        "Check the file exists, is readable and is UTF-8.") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleError(path, number, f"not valid JSON: {exc.msg} (column {exc.colno})",
                            "Each line must be one JSON object, e.g. {\"id\": \"...\"}.") from None
        if not isinstance(row, dict):
            raise RuleError(path, number, "a line must be a JSON object",
                            "Each line must be one JSON object, e.g. {\"id\": \"...\"}.")
        rows.append((number, row))
    return rows


def _require(path: Path, line: int | None, row: dict[str, Any], key: str, kind: type) -> Any:
    value = row.get(key)
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise RuleError(path, line, f"'{key}' is missing or not a {kind.__name__}",
                        f"Add \"{key}\" to this entry.")
    return value


def _str_list(path: Path, line: int | None, row: dict[str, Any], key: str) -> list[str]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(path, line, f"'{key}' must be a list of non-empty strings",
                        f'Write it as "{key}": ["...", "..."] (or drop it).')
    return value


def _unique(path: Path, line: int | None, seen: set[str], ident: str) -> None:
    if ident in seen:
        raise RuleError(path, line, f"duplicate id {ident!r}", "Give every entry its own id.")
    seen.add(ident)


def _compile_all(path: Path, line: int | None, phrases: list[str]) -> list[Pattern]:
    try:
        patterns = [compile_phrase(p) for p in phrases]
        _check_compiles(patterns)
    except ValueError as exc:
        raise RuleError(path, line, f"pattern cannot compile: {exc}",
                        "Write words separated by spaces; 'a|b' for alternatives, 'word?' "
                        "for an optional word, '*' for any one word.") from None
    return patterns


# ---------------------------------------------------------------- events.toml

_EVENT_KEYS = {"id", "description", "actor", "target", "confidence", "require_actor",
               "require_target", "cancel_before", "trigger", "future_is_inherent"}
_TRIGGER_KEYS = {"id", "patterns", "pattern", "modality", "confidence", "event", "subject",
                 "noun", "follow_up"}
_EVENT_KEYS |= {"require_authority", "public_post", "cancel_after"}


def _flag(path: Path, line: int | None, raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise RuleError(path, line, f"'{key}' must be true or false, got {value!r}",
                        f"Write {key} = true (or drop the key).")
    return value


def _spells_negation(patterns: list[Pattern]) -> bool:
    for pattern in patterns:
        for token in pattern:
            lower = token.get("LOWER")
            # (a raw pattern may give {NOT_IN = [...]} or another operator instead of IN)
            words = set(lower.get("IN", ())) if isinstance(lower, dict) else {lower}
            if token.get("OP") != "?" and words & NEGATION_WORDS:
                return True
    return False


def _trigger(path: Path, text: str, raw: dict[str, Any], event: str, seen: set[str]) -> Trigger:
    ident = raw.get("id")
    line = _line_of(text, f'"{ident}"') if isinstance(ident, str) else None
    ident = _require(path, line, raw, "id", str)
    _unique(path, line, seen, ident)
    unknown = set(raw) - _TRIGGER_KEYS
    if unknown:
        raise RuleError(path, line, f"unknown key(s) {sorted(unknown)} in trigger {ident!r}",
                        f"Known keys: {', '.join(sorted(_TRIGGER_KEYS))}.")
    if "pattern" in raw and "patterns" in raw:
        raise RuleError(path, line, f"trigger {ident!r} has both 'pattern' and 'patterns'",
                        "Give one: split the token pattern into a trigger of its own.")
    if "pattern" in raw and isinstance(raw["pattern"], list):
        patterns = [raw["pattern"]]
        try:
            _check_compiles(patterns)
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError subclasses
            raise RuleError(path, line, f"pattern cannot compile: {exc}".splitlines()[0],
                            "See spaCy's Matcher token pattern reference.") from None
    else:
        phrases = raw.get("patterns", [raw["pattern"]] if "pattern" in raw else None)
        if not isinstance(phrases, list) or not phrases or not all(
                isinstance(p, str) for p in phrases):
            raise RuleError(path, line, f"trigger {ident!r} needs 'patterns', a list of strings",
                            'Write patterns = ["word|words phrase", ...].')
        patterns = _compile_all(path, line, phrases)
    modality = raw.get("modality")
    if modality is not None and modality not in MODALITIES:
        raise RuleError(path, line, f"unknown modality {modality!r}",
                        f"Use one of: {', '.join(MODALITIES)}.")
    subject = raw.get("subject", "actor")
    if subject not in ("actor", "target", "inside"):
        raise RuleError(path, line,
                        f"subject must be \"actor\", \"target\" or \"inside\", got {subject!r}",
                        'subject = "target" when the sentence subject is acted upon, "inside" '
                        'when the pattern names who acts ("a law the State Duma passed").')
    return Trigger(ident, event, patterns, modality, _confidence(path, line, raw),
                   subject == "target", _flag(path, line, raw, "noun"), _spells_negation(patterns),
                   _flag(path, line, raw, "follow_up"), subject == "inside")


def _confidence(path: Path, line: int | None, raw: dict[str, Any]) -> float | None:
    value = raw.get("confidence")
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1:
        raise RuleError(path, line, f"confidence must be a number in (0, 1], got {value!r}",
                        "Write e.g. confidence = 0.8.")
    return float(value)


def _event(path: Path, text: str, raw: dict[str, Any], seen: set[str]) -> EventType:
    ident = raw.get("id")
    line = _line_of(text, f'id = "{ident}"') if isinstance(ident, str) else None
    ident = _require(path, line, raw, "id", str)
    unknown = set(raw) - _EVENT_KEYS
    if unknown:
        raise RuleError(path, line, f"unknown key(s) {sorted(unknown)} in event {ident!r}",
                        f"Known keys: {', '.join(sorted(_EVENT_KEYS))}.")
    for key in ("actor", "target"):
        kinds = _str_list(path, line, raw, key)
        bad = [k for k in kinds if k not in ENTITY_KINDS]
        if bad or not kinds:
            raise RuleError(path, line, f"'{key}' of {ident!r} has unknown kinds {bad}",
                            f"Use entity kinds: {', '.join(ENTITY_KINDS)}.")
    event = EventType(
        id=ident, description=raw.get("description", ""), actor=raw["actor"],
        target=raw["target"], confidence=_confidence(path, line, raw) or 0.85,
        require_actor=_flag(path, line, raw, "require_actor"),
        require_target=_flag(path, line, raw, "require_target"),
        future_is_inherent=_flag(path, line, raw, "future_is_inherent"),
        require_authority=_flag(path, line, raw, "require_authority"),
        public_post=_flag(path, line, raw, "public_post"),
        cancel_before=frozenset(w.lower() for w in _str_list(path, line, raw, "cancel_before")),
        cancel_after=[_split_words(c) for c in _str_list(path, line, raw, "cancel_after")],
    )
    event.triggers = [_trigger(path, text, t, ident, seen) for t in raw.get("trigger", [])]
    return event


def _cue_lists(path: Path, data: dict[str, Any]) -> tuple[dict, list, list, int]:
    modality = data.get("modality", {})
    unknown = set(modality) - set(MODALITIES)
    if unknown:
        raise RuleError(path, _line_of(path.read_text(), "[modality]"),
                        f"unknown modality table keys {sorted(unknown)}",
                        "Use denied, hypothetical and planned.")
    cues = {m: [_split_words(c) for c in _str_list(path, None, modality, m)] for m in modality}
    background = data.get("background", {})
    days = background.get("days", 90)
    if not isinstance(days, int) or days < 1:
        raise RuleError(path, _line_of(path.read_text(), "days"), "background.days must be >= 1",
                        "Days before publication after which an event is background, e.g. 90.")
    unknown = set(background) - {"cues", "cues_after", "days"}
    if unknown:
        raise RuleError(path, _line_of(path.read_text(), "[background]"),
                        f"unknown [background] key(s) {sorted(unknown)}",
                        "Use cues, cues_after (lists of phrases) and days.")
    return (cues, [_split_words(c) for c in _str_list(path, None, background, "cues")],
            [_split_words(c) for c in _str_list(path, None, background, "cues_after")], days)


def _authority(path: Path, text: str, data: dict[str, Any]) -> Authority:
    table = data.get("authority", {})
    line = _line_of(text, "[authority]")
    keys = ("institutions", "words", "companies")
    unknown = set(table) - set(keys)
    if unknown:
        raise RuleError(path, line, f"unknown [authority] key(s) {sorted(unknown)}",
                        "Use institutions, words and companies (lists of words).")
    words = {k: _word_set(path, line, table, k) for k in keys}
    return Authority(words["institutions"], words["words"] | words["institutions"],
                     words["companies"])


def _nouns(path: Path, text: str, data: dict[str, Any]) -> Nouns:
    table = data.get("nouns", {})
    line = _line_of(text, "[nouns]")
    unknown = set(table) - {"brought_by", "existing_after", "compounds"}
    if unknown:
        raise RuleError(path, line, f"unknown [nouns] key(s) {sorted(unknown)}",
                        "Use brought_by, existing_after and compounds (lists of words).")
    compounds: dict[str, set[str]] = {}
    for phrase in _str_list(path, line, table, "compounds"):
        words = phrase.lower().split()
        if len(words) != 2:
            raise RuleError(path, line, f"compound {phrase!r} is not two words",
                            'Write each as "<trigger word> <next word>", e.g. "law enforcement".')
        compounds.setdefault(words[0], set()).add(words[1])
    return Nouns(_word_set(path, line, table, "brought_by"),
                 _word_set(path, line, table, "existing_after"),
                 {k: frozenset(v) for k, v in compounds.items()})


def _word_set(path: Path, line: int | None, table: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _str_list(path, line, table, key))


def load_events(path: Path) -> tuple[dict[str, EventType], dict, list, int, Authority,
                                      Nouns]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise RuleError(path, None, f"cannot read: {exc}",
                        "Every rules folder needs events.toml; copy the project's.") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RuleError(path, int(match.group(1)) if match else None, f"not valid TOML: {exc}",
                        "Fix the syntax at that line.") from None
    unknown = set(data) - {"modality", "background", "authority", "nouns", "event", "trigger"}
    if unknown:
        raise RuleError(path, None, f"unknown top-level key(s) {sorted(unknown)}",
                        "Use [modality], [background], [authority], [nouns], [[event]] and "
                        "[[trigger]].")
    events: dict[str, EventType] = {}
    seen_triggers: set[str] = set()
    for raw in data.get("event", []):
        event = _event(path, text, raw, seen_triggers)
        _unique(path, _line_of(text, f'id = "{event.id}"'), set(events), event.id)
        events[event.id] = event
    for raw in data.get("trigger", []):  # extra triggers for an existing type
        name = raw.get("event")
        if name not in events:
            line = _line_of(text, f'"{raw.get("id")}"')
            raise RuleError(path, line, f"unknown event type {name!r}",
                            f"Use one of: {', '.join(events)}; or declare it as [[event]].")
        events[name].triggers.append(_trigger(path, text, raw, name, seen_triggers))
    return (events, *_cue_lists(path, data), _authority(path, text, data),
            _nouns(path, text, data))


# ---------------------------------------------------------------- jsonl registries

def load_agencies(path: Path) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for line, row in _read_jsonl(path):
        ident = _require(path, line, row, "id", str)
        _unique(path, line, set(agencies), ident)
        agencies[ident] = Agency(
            id=ident, name=_require(path, line, row, "name", str),
            category=str(row.get("category") or ""), jurisdiction=row.get("jurisdiction") or None,
            abbr=_str_list(path, line, row, "abbr"), aliases=_str_list(path, line, row, "aliases"),
            parent=row.get("parent") or None)
    for agency in agencies.values():
        if agency.parent and agency.parent not in agencies:
            line = _line_of(path.read_text(encoding="utf-8"), f'"{agency.id}"')
            raise RuleError(path, line, f"parent {agency.parent!r} of {agency.id!r} is not in "
                            "the registry", "Add the parent body or fix its id.")
    return agencies


_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def load_agency_templates(path: Path, places: dict[str, Place],
                          agencies: dict[str, Agency]) -> dict[str, Agency]:
    """The bodies each place of a kind has ("{name} Municipal Public Security Bureau" for
    every Chinese city), one Agency per place; ids the registry lists itself are left to it."""
    made: dict[str, Agency] = {}
    taken = {n.lower() for a in agencies.values() for n in [a.name, *a.aliases]}
    for line, row in _read_jsonl(path):
        template = _require(path, line, row, "id", str)
        if "{key}" not in template:
            raise RuleError(path, line, f"template id {template!r} has no {{key}}",
                            'Write it like "cn-{key}-drc", so each place gets its own id.')
        fields = [template, _require(path, line, row, "name", str),
                  *_str_list(path, line, row, "aliases"), *_str_list(path, line, row, "abbr"),
                  str(row.get("parent") or "")]
        for word in {w for f in fields for w in _PLACEHOLDER.findall(f)} - {"name", "key"}:
            raise RuleError(path, line, f"unknown placeholder {{{word}}}",
                            "Use {name} (the place's name) or {key} (its id's last part).")
        kinds = set(_str_list(path, line, row, "kinds"))
        country = _require(path, line, row, "country", str)
        for place in places.values():
            if place.country != country or place.kind not in kinds:
                continue
            key = re.sub(r"[^a-z0-9]+", "-", re.split(r"[:-]", place.id)[-1].lower()).strip("-")
            ident = template.replace("{key}", key)
            if ident in agencies:
                continue
            # "Erdos" for Ordos; not "State of Texas", a longer form of the name itself
            names = [place.name, *(a for a in place.aliases
                                   if a.isascii() and place.name not in a)]

            def fill(text: str, name: str = place.name, key: str = key) -> str:
                return text.replace("{name}", name).replace("{key}", key)

            agency = Agency(
                id=ident, name=fill(row["name"]), category=str(row.get("category") or ""),
                jurisdiction=row.get("jurisdiction") or country,
                abbr=[fill(a, n) for n in names for a in row.get("abbr", [])],
                aliases=[fill(a, n) for n in names for a in [row["name"], *row.get("aliases", [])]
                         if fill(a, n) != fill(row["name"])],
                parent=fill(row["parent"]) if row.get("parent") else None, template=template)
            # a body the registry lists under an id of its own ("cn-sz-gov" for Shenzhen)
            if not taken & {n.lower() for n in [agency.name, *agency.aliases]}:
                made[ident] = agency
    for agency in made.values():
        if agency.parent and agency.parent not in agencies and agency.parent not in made:
            raise RuleError(path, _line_of(path.read_text(encoding="utf-8"), agency.template),
                            f"parent {agency.parent!r} of {agency.id!r} is not in the registry",
                            "List the parent's template first, or fix its id.")
    return made


def load_places(path: Path) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for line, row in _read_jsonl(path):
        ident = _require(path, line, row, "id", str)
        _unique(path, line, set(places), ident)
        country = str(row.get("country") or (ident if re.fullmatch(r"[A-Z]{2}", ident) else ""))
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise RuleError(path, line, f"place {ident!r} needs 'country', an ISO 3166 alpha-2 "
                            "code like \"CN\"", "A province or city resolves to its country.")
        places[ident] = Place(ident, _require(path, line, row, "name", str),
                              str(row.get("kind") or "country"), country,
                              _str_list(path, line, row, "aliases"),
                              _str_list(path, line, row, "demonyms"))
    return places


def load_topics(path: Path) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for line, row in _read_jsonl(path):
        ident = _require(path, line, row, "id", str)
        _unique(path, line, set(topics), ident)
        phrases = _str_list(path, line, row, "patterns")
        if not phrases:
            raise RuleError(path, line, f"topic {ident!r} has no patterns",
                            'Add "patterns": ["words that name it", ...].')
        topics[ident] = Topic(ident, _require(path, line, row, "name", str),
                              _compile_all(path, line, phrases))
    return topics


def load_titles(path: Path) -> Titles:
    words: dict[str, set[str]] = {k: set() for k in TITLE_KINDS}
    seen: set[str] = set()
    for line, row in _read_jsonl(path):
        _unique(path, line, seen, _require(path, line, row, "id", str))
        kind = row.get("kind")
        if kind not in TITLE_KINDS:
            raise RuleError(path, line, f"unknown kind {kind!r}",
                            f"Use one of: {', '.join(TITLE_KINDS)}.")
        words[kind].update(w.lower() for w in _str_list(path, line, row, "words"))
    return Titles(*(frozenset(words[k]) for k in TITLE_KINDS))


# ---------------------------------------------------------------- the rule set

def rules_hash(rules_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in RULE_FILES:
        path = rules_dir / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_rules(rules_dir: Path) -> RuleSet:
    """Every tagging rule in `rules_dir`, validated. The registries may be absent (an empty
    registry: agencies are then tagged as plain organisations); events.toml may not."""
    rules_dir = Path(rules_dir)
    if not rules_dir.is_dir():
        raise RuleError(rules_dir, None, "rules folder does not exist",
                        "Set rules.dir in tracker.toml or run tracker from the project folder.")
    events, cues, background, after, days, authority, nouns = load_events(rules_dir / "events.toml")

    def optional(name: str, loader, empty):
        path = rules_dir / name
        return loader(path) if path.exists() else empty

    agencies = optional("agencies.jsonl", load_agencies, {})
    places = optional("places.jsonl", load_places, {})
    templates = rules_dir / "agency_templates.jsonl"
    if templates.exists():
        agencies.update(load_agency_templates(templates, places, agencies))
    return RuleSet(
        dir=rules_dir, version=rules_hash(rules_dir), events=events, modality_cues=cues,
        background_cues=background, background_after=after, background_days=days,
        agencies=agencies, places=places,
        topics=optional("topics.jsonl", load_topics, {}),
        titles=optional("titles.jsonl", load_titles, Titles()), authority=authority,
        nouns=nouns,
    )
