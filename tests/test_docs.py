"""The documentation: the README is the landing page, the deep parts are in docs/.

Every command has help text and is shown in use in the README or a docs page;
the README starts with the two set-up commands; every docs page is linked from
the README, and every relative link of the documentation leads to a file (and,
with ``#anchor``, to a heading) that exists.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.cli.group import COMMAND_MODULES

from conftest import ROOT

README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
DOCUMENTATION = "\n".join(path.read_text(encoding="utf-8") for path in [README, *PAGES])
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_readme_starts_with_the_two_set_up_commands():
    text = README.read_text(encoding="utf-8")
    commands = [line.split("#")[0].strip() for line in text.split("```sh", 1)[1].split("```", 1)[0].splitlines() if line.strip()]
    assert commands == ['make search Q="marchés réservés article 37"', "make test"]


@pytest.mark.parametrize("command", sorted(COMMAND_MODULES))
def test_every_command_has_help_and_is_documented(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("Options")[0].strip().splitlines()) >= 3, "a usage line and a description"
    assert f"rtes-search {command}" in DOCUMENTATION


def test_the_readme_links_every_docs_page():
    links = set(LINK.findall(README.read_text(encoding="utf-8")))
    assert len(PAGES) >= 7
    assert {f"docs/{page.name}" for page in PAGES} <= links


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lowercase, punctuation dropped, spaces as hyphens."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@pytest.mark.parametrize("path", [README, *PAGES], ids=lambda path: path.name)
def test_every_relative_link_leads_somewhere(path):
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        assert linked.exists(), f"{path.name}: {target}"
        if anchor:
            headings = re.findall(r"(?m)^#+ (.+)$", linked.read_text(encoding="utf-8"))
            assert anchor in {_anchor(h) for h in headings}, f"{path.name}: {target}"
