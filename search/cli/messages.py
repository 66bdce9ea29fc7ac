"""Click's own error messages, said in French.

Click words its usage errors in English ("Missing argument 'QUERY'.") and
ships no French catalogue, and gettext picks a language from the
environment, which a user's shell rarely sets to French. ``FrenchGroup``
runs the command line as click does, but shows click's errors translated
here, with the same exit codes (2 for usage, 1 for the others).
"""

from __future__ import annotations

import re
import sys

import click

# Whole messages of click.exceptions, then the messages of its parameter types.
MESSAGES = (
    (r"Missing argument '(.+)'\.", "argument manquant : {0}"),
    (r"Missing option '(.+)'\.", "option obligatoire manquante : {0}"),
    (r"No such option '(.+)'\. Did you mean '(.+)'\?", "option inconnue : {0} (vouliez-vous dire {1} ?)"),
    (r"No such option '(.+)'\.(?: \(Possible options: (.+)\))?", "option inconnue : {0}"),
    (r"Option '(.+)' requires an argument\.", "l'option {0} attend une valeur"),
    (r"Option '(.+)' does not take a value\.", "l'option {0} ne prend pas de valeur"),
    (r"Got unexpected extra arguments? \((.+)\)", "argument(s) en trop : {0}"),
    (r"No such command '(.+)'\. Did you mean '(.+)'\?", "commande inconnue : {0} (vouliez-vous dire {1} ?)"),
    (r"No such command '(.+)'\.", "commande inconnue : {0}"),
    (r"Invalid value for (.+?): (.+)", "valeur invalide pour {0} : {1}"),
    (r"'(.+)' is not a valid integer( range)?\.", "« {0} » n'est pas un nombre entier"),
    (r"'(.+)' is not a valid float( range)?\.", "« {0} » n'est pas un nombre"),
    (r"(.+) is not in the range (.+)\.", "{0} n'est pas dans l'intervalle {1}"),
    (r"'(.+)' is not one of (.+)\.", "« {0} » n'est pas une valeur possible ({1})"),
    (r"(?:Path|File|Directory) '(.+)' does not exist\.", "le chemin « {0} » n'existe pas"),
    (r"(?:Path|File|Directory) '(.+)' is not readable\.", "le chemin « {0} » n'est pas lisible"),
)


def french(message: str) -> str:
    """Translate one of click's messages; any other message is already ours, in French.

    >>> french("Invalid value for '--limit': 0 is not in the range 1<=x<=100.")
    "valeur invalide pour '--limit' : 0 n'est pas dans l'intervalle 1<=x<=100"
    """
    for pattern, template in MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.S)
        if match:
            return template.format(*(french(g) if g else "" for g in match.groups()))
    return message


class FrenchGroup(click.Group):
    """A click group whose error output is in French."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            _show_usage_error(error)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"Erreur : {french(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Interrompu.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _show_usage_error(error: click.UsageError) -> None:
    if error.ctx is not None:
        click.echo(error.ctx.get_usage().replace("Usage:", "Usage :", 1), err=True)
        if error.ctx.command.get_help_option(error.ctx) is not None:
            option = max(error.ctx.help_option_names, key=len)
            click.echo(f"Essayez « {error.ctx.command_path} {option} » pour l'aide.", err=True)
        click.echo(err=True)
    click.echo(f"Erreur : {french(error.format_message())}", err=True)
