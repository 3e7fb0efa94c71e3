"""Rules are validated data: a bad rule stops loading with the file, the line and the fix."""

import shutil
from pathlib import Path

import pytest

from tracker.errors import RuleError
from tracker.nlp.rules import compile_phrase, load_rules, rules_hash

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    target.mkdir()
    for name in ("events.toml", "topics.jsonl", "titles.jsonl"):
        shutil.copy(ROOT / "rules" / name, target / name)
    (target / "agencies.jsonl").write_text(
        '{"id": "cn-ndrc", "name": "National Development and Reform Commission", "category": '
        '"ministry", "jurisdiction": "CN", "abbr": ["NDRC"], "aliases": ["China\'s top economic '
        'planner"], "parent": null}\n', encoding="utf-8")
    (target / "places.jsonl").write_text(
        '{"id": "CN", "name": "China", "kind": "country", "country": "CN", "aliases": [], '
        '"demonyms": ["Chinese"]}\n'
        '{"id": "CN-NM", "name": "Inner Mongolia", "kind": "region", "country": "CN", '
        '"aliases": [], "demonyms": []}\n', encoding="utf-8")
    return target


def test_rules_load_the_shipped_files():
    rules = load_rules(ROOT / "rules")
    assert set(rules.events) == {"investigation", "expulsion", "prosecution", "sentence", "ban",
                                 "crackdown", "warning", "penalty", "regulation", "approval",
                                 "pledge", "appointment"}
    assert all(e.triggers for e in rules.events.values())
    assert len({t.id for t in rules.triggers}) == len(rules.triggers)
    assert {"crypto-trading", "crypto-mining", "stablecoins", "cbdc"} <= set(rules.topics)


def test_rules_version_changes_with_any_rule_file(rules_dir: Path):
    before = load_rules(rules_dir).version
    with (rules_dir / "topics.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "extra", "name": "Extra", "patterns": ["extra topic"]}\n')
    after = load_rules(rules_dir).version
    assert before != after == rules_hash(rules_dir)


def test_rules_phrase_syntax_compiles_to_matcher_patterns():
    assert compile_phrase("expel|expelled * from the? party") == [
        {"LOWER": {"IN": ["expel", "expelled"]}}, {"OP": "?"}, {"LOWER": "from"},
        {"LOWER": "the", "OP": "?"}, {"LOWER": "party"}]


def _expect(rules_dir: Path, line: int | None, words: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_rules(rules_dir)
    err = info.value
    assert err.line == line and words in str(err), str(err)
    assert err.hint or line is None
    return err


def test_rules_bad_jsonl_names_file_and_line(rules_dir: Path):
    path = rules_dir / "topics.jsonl"
    path.write_text(path.read_text() + '{"id": "broken", "name": \n', encoding="utf-8")
    err = _expect(rules_dir, len(path.read_text().splitlines()), "not valid JSON")
    assert "topics.jsonl" in str(err)


def test_rules_bad_toml_names_the_line(rules_dir: Path):
    path = rules_dir / "events.toml"
    path.write_text("[modality]\ndenied = [\"not\"\nplanned = 3\n", encoding="utf-8")
    _expect(rules_dir, 3, "not valid TOML")


def test_rules_unknown_event_type(rules_dir: Path):
    path = rules_dir / "events.toml"
    path.write_text(path.read_text() + '\n[[trigger]]\nevent = "fine"\nid = "fine.x"\n'
                    'patterns = ["fined"]\n', encoding="utf-8")
    err = _expect(rules_dir, len(path.read_text().splitlines()) - 1, "unknown event type 'fine'")
    assert "penalty" in err.hint


def test_rules_pattern_that_cannot_compile(rules_dir: Path):
    path = rules_dir / "events.toml"
    text = path.read_text().replace('patterns = ["fined|fines"]', 'patterns = ["fined||fines"]')
    path.write_text(text, encoding="utf-8")
    _expect(rules_dir, _line(text, '"penalty.fined"'), "cannot compile")


def test_rules_raw_matcher_pattern_is_checked(rules_dir: Path):
    path = rules_dir / "events.toml"
    path.write_text(path.read_text() + '\n[[trigger]]\nevent = "ban"\nid = "ban.raw"\n'
                    'pattern = [{LOWER = "ban", OP = "sometimes"}]\n', encoding="utf-8")
    _expect(rules_dir, _line(path.read_text(), '"ban.raw"'), "cannot compile")
    # any Matcher operator on a word loads: NOT_IN named no word list to look into
    path.write_text(path.read_text().replace('OP = "sometimes"', 'OP = "?"') + '[[trigger]]\n'
                    'event = "ban"\nid = "ban.raw-not-in"\n'
                    'pattern = [{LOWER = "banned"}, {LOWER = {NOT_IN = ["from"]}}]\n',
                    encoding="utf-8")
    assert "ban.raw-not-in" in {t.id for t in load_rules(rules_dir).triggers}


def test_rules_duplicate_ids(rules_dir: Path):
    path = rules_dir / "agencies.jsonl"
    path.write_text(path.read_text() * 2, encoding="utf-8")
    _expect(rules_dir, 2, "duplicate id 'cn-ndrc'")
    path.write_text(path.read_text().splitlines()[0] + "\n", encoding="utf-8")
    events = rules_dir / "events.toml"
    text = events.read_text().replace('id = "ban.illegal"', 'id = "ban.verb"')
    events.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match="duplicate id 'ban.verb'"):
        load_rules(rules_dir)


def test_rules_unknown_entity_kind_and_key(rules_dir: Path):
    events = rules_dir / "events.toml"
    original = events.read_text()
    events.write_text(original.replace('actor = ["agency", "place", "person"]\ntarget = ["topic", '
                                       '"organization", "agency"]',
                                       'actor = ["agency", "country"]\ntarget = ["topic", '
                                       '"organization", "agency"]', 1), encoding="utf-8")
    with pytest.raises(RuleError, match="unknown kinds \\['country'\\]"):
        load_rules(rules_dir)
    events.write_text(original.replace('require_actor = true', 'requires_actor = true', 1),
                      encoding="utf-8")
    with pytest.raises(RuleError, match="unknown key"):
        load_rules(rules_dir)
    # a token pattern beside phrase patterns would silently drop the phrases
    events.write_text(original.replace('id = "ban.illegal"\n',
                                       'id = "ban.illegal"\npattern = [{LOWER = "outlawed"}]\n', 1),
                      encoding="utf-8")
    with pytest.raises(RuleError, match="both 'pattern' and 'patterns'"):
        load_rules(rules_dir)


def test_rules_place_needs_a_country_code(rules_dir: Path):
    (rules_dir / "places.jsonl").write_text('{"id": "city:x", "name": "X"}\n', encoding="utf-8")
    _expect(rules_dir, 1, "ISO 3166")


def test_rules_missing_events_file(rules_dir: Path):
    (rules_dir / "events.toml").unlink()
    with pytest.raises(RuleError, match="cannot read"):
        load_rules(rules_dir)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_rules_flags_must_be_booleans_and_tables_known(rules_dir: Path):
    events = rules_dir / "events.toml"
    original = events.read_text()
    events.write_text(original.replace("require_authority = true", 'require_authority = "yes"',
                                       1), encoding="utf-8")
    err = _expect(rules_dir, _line(original, 'id = "investigation"'), "'require_authority' must "
                                                                      "be true or false")
    assert "require_authority = true" in err.hint
    events.write_text(original.replace("  noun = true", '  noun = 1', 1), encoding="utf-8")
    _expect(rules_dir, _line(original, 'id = "prosecution.charges"'), "'noun' must be true")
    events.write_text(original.replace("existing_after = [", "exists_after = [", 1),
                      encoding="utf-8")
    _expect(rules_dir, _line(original, "[nouns]"), "unknown [nouns] key(s) ['exists_after']")
    events.write_text(original.replace("cues_after = [", "after_cues = [", 1),
                      encoding="utf-8")
    _expect(rules_dir, _line(original, "[background]"),
            "unknown [background] key(s) ['after_cues']")
    events.write_text(original.replace('subject = "inside"', 'subject = "within"', 1),
                      encoding="utf-8")
    err = _expect(rules_dir, _line(original, 'id = "regulation.that-body-laid"'),
                  "subject must be")
    assert '"inside"' in err.hint


def test_rules_moved_word_lists_come_from_the_files():
    rules = load_rules(ROOT / "rules")
    assert {"founder", "ceo", "candidate"} <= rules.titles.private
    assert {"court", "ministry"} <= rules.authority.institutions <= rules.authority.words
    assert {"police", "prosecutor"} <= rules.authority.words
    assert {"corp", "inc"} <= rules.authority.companies
    assert "imposed" in rules.nouns.brought_by and "under" in rules.nouns.existing_after
    needs = {e.id for e in rules.events.values() if e.require_authority}
    assert needs == {"investigation", "prosecution", "sentence"}
    assert rules.events["appointment"].public_post
    by_id = {t.id: t for t in rules.triggers}
    assert by_id["ban.verb"].noun and by_id["prosecution.charges"].noun
    assert by_id["ban.not-allow"].negated and by_id["pledge.refrain"].negated
    assert not by_id["ban.verb"].negated
    assert ["transfer", "to", "another"] in rules.events["expulsion"].cancel_after
    assert ["earlier", "this", "year"] in rules.background_after
    assert {"energy", "mines", "governance"} <= rules.titles.portfolio


def _templates(rules_dir: Path, *rows: str) -> Path:
    path = rules_dir / "agency_templates.jsonl"
    path.write_text("# bodies every city has\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with (rules_dir / "places.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "city:ordos", "name": "Ordos", "kind": "city", "country": "CN", '
                '"aliases": ["Erdos", "Ordos City", "鄂尔多斯"], "demonyms": []}\n'
                '{"id": "city:xi\'an", "name": "Xi\'an", "kind": "city", "country": "CN", '
                '"aliases": [], "demonyms": []}\n')
    return path


DRC_TEMPLATE = ('{"id": "cn-{key}-drc", "country": "CN", "kinds": ["city"], "name": "{name} '
                'Municipal Development and Reform Commission", "category": "commission", '
                '"jurisdiction": "CN", "aliases": ["{name} DRC"]}')


def test_agency_templates_give_each_place_of_the_kind_its_body(rules_dir: Path):
    _templates(rules_dir, DRC_TEMPLATE)
    rules = load_rules(rules_dir)
    ordos = rules.agencies["cn-ordos-drc"]
    assert ordos.name == "Ordos Municipal Development and Reform Commission"
    # the alias is a second name; "Ordos City" is a longer form of the name itself and the
    # Chinese alias no English template fits
    assert set(ordos.aliases) == {"Ordos DRC", "Erdos DRC",
                                  "Erdos Municipal Development and Reform Commission"}
    assert ordos.template == "cn-{key}-drc" and ordos.jurisdiction == "CN"
    assert "cn-xi-an-drc" in rules.agencies  # the key is slugged
    assert "cn-nm-drc" not in rules.agencies  # a region is not of the template's kinds


def test_agency_templates_leave_bodies_the_registry_lists_to_it(rules_dir: Path):
    with (rules_dir / "agencies.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "cn-ordos-planner", "name": "Ordos DRC", "category": "commission", '
                '"jurisdiction": "CN", "abbr": [], "aliases": [], "parent": null}\n'
                '{"id": "cn-xi-an-drc", "name": "Xi\'an planning body", "category": "commission", '
                '"jurisdiction": "CN", "abbr": [], "aliases": [], "parent": null}\n')
    _templates(rules_dir, DRC_TEMPLATE)
    rules = load_rules(rules_dir)
    assert "cn-ordos-drc" not in rules.agencies  # one of its names is the registry's
    assert rules.agencies["cn-xi-an-drc"].template is None  # the same id: the registry's


def test_agency_template_errors_name_the_line(rules_dir: Path):
    path = _templates(rules_dir, DRC_TEMPLATE, DRC_TEMPLATE.replace("{key}", "x"))
    _expect(rules_dir, 3, "has no {key}")
    path.write_text(DRC_TEMPLATE.replace("{name} DRC", "{city} DRC") + "\n", encoding="utf-8")
    _expect(rules_dir, 1, "unknown placeholder {city}")
    path.write_text(DRC_TEMPLATE[:-1] + ', "parent": "cn-{key}-gov"}' + "\n",
                    encoding="utf-8")
    _expect(rules_dir, 1, "parent 'cn-ordos-gov'")
