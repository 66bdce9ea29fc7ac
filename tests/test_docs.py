"""Every command is documented: it has help text and the README shows it in use."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.cli.group import COMMAND_MODULES

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_starts_with_the_two_set_up_commands():
    commands = [line.split("#")[0].strip() for line in README.split("```sh", 1)[1].split("```", 1)[0].splitlines() if line.strip()]
    assert commands == ['make search Q="marchés réservés article 37"', "make test"]


@pytest.mark.parametrize("command", sorted(COMMAND_MODULES))
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("Options:")[0].strip().splitlines()) >= 3, "a usage line and a description"
    assert f"rtes-search {command}" in README
