"""Tagging: entities (officials with titles, agencies, places, topics) and regulatory events
from rules kept as data in rules/."""

from .rules import RuleSet, load_rules
from .tagger import Tagger, load_tagger

__all__ = ["RuleSet", "Tagger", "load_rules", "load_tagger"]
