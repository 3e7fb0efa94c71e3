"""README is the user's manual: every command and every setting must be in it."""

import click

from tracker.cli import main
from tracker.config import SETTINGS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "tracker") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths += command_paths(command, path)
        else:
            paths.append(path)
    return paths


def test_readme_documents_every_command():
    missing = [p for p in command_paths(main) if p not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_documents_every_setting():
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in README]
    assert not missing, f"settings missing from README.md: {missing}"


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README
