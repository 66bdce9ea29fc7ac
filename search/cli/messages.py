"""Click's own texts, said in French: errors, usage lines and help pages.

Click words its messages in English ("Missing argument 'QUERY'.", "Show
this message and exit.", "[default: 10]") and ships no French catalogue,
and gettext picks a language from the environment, which a user's shell
rarely sets to French. So the command line runs on classes that translate
at click's public seams: ``FrenchHelpFormatter`` writes the help pages
(usage prefix, headings, option types, defaults), ``FrenchGroup`` shows
click's errors translated, with the same exit codes (2 for usage, 1 for the
others), and prints the help, not an error, when run without a command.
"""

from __future__ import annotations

import difflib
import re
import sys

import click

# Whole messages of click.exceptions, then the messages of its parameter types.
MESSAGES = (
    (r"Missing argument '(.+)'\.", "argument manquant : {0}"),
    (r"Missing option '(.+)'\.", "option obligatoire manquante : {0}"),
    (r"Missing command\.", "commande manquante"),
    (r"(.+\.) Did you mean '(.+)'\?", "{0} (vouliez-vous dire {1} ?)"),
    (r"(.+\.) \(Did you mean one of: (.+)\?\)", "{0} (vouliez-vous dire : {1} ?)"),
    (r"No such option '(.+)'\.(?: \(Possible options: (.+)\))?", "option inconnue : {0}"),
    (r"Option '(.+)' requires an argument\.", "l'option {0} attend une valeur"),
    (r"Option '(.+)' does not take a value\.", "l'option {0} ne prend pas de valeur"),
    (r"Got unexpected extra arguments? \((.+)\)", "argument(s) en trop : {0}"),
    (r"No such command '(.+)'\.", "commande inconnue : {0}"),
    (r"Invalid value for (.+?): (.+)", "valeur invalide pour {0} : {1}"),
    (r"'(.+)' is not a valid integer( range)?\.", "« {0} » n'est pas un nombre entier"),
    (r"'(.+)' is not a valid float( range)?\.", "« {0} » n'est pas un nombre"),
    (r"(.+) is not in the range (.+)\.", "{0} n'est pas dans l'intervalle {1}"),
    (r"'(.+)' is not one of (.+)\.", "« {0} » n'est pas une valeur possible ({1})"),
    (r"'(.+)' is not (.+)\.", "« {0} » n'est pas une valeur possible ({1})"),
    (r"(?:Path|File|Directory) '(.+)' does not exist\.", "le chemin « {0} » n'existe pas"),
    (r"(?:Path|File|Directory) '(.+)' is not readable\.", "le chemin « {0} » n'est pas lisible"),
    (r"(?:Path|File|Directory) '(.+)' is not writable\.", "le chemin « {0} » n'est pas accessible en écriture"),
    (r"(?:Path|File|Directory) '(.+)' is a file\.", "« {0} » est un fichier, un dossier est attendu"),
    (r"(?:Path|File|Directory) '(.+)' is a directory\.", "« {0} » est un dossier, un fichier est attendu"),
)

# Texts click writes into help pages: whole help lines, then words of the "[default: …]" brackets.
HELP_TEXTS = {
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
}
BRACKET_WORDS = (("default: ", "défaut : "), ("env var: ", "variable d'environnement : "),
                 ("required", "obligatoire"), ("deprecated", "obsolète"))
HEADINGS = {"Options": "Options", "Commands": "Commandes", "Positional arguments": "Arguments"}
# The names click gives the values of its parameter types (``--limit INTEGER RANGE``), longest first.
METAVARS = (("INTEGER RANGE", "ENTIER"), ("FLOAT RANGE", "NOMBRE"), ("INTEGER", "ENTIER"), ("FLOAT", "NOMBRE"),
            ("TEXT", "TEXTE"), ("DIRECTORY", "DOSSIER"), ("FILE", "FICHIER"), ("PATH", "CHEMIN"),
            ("BOOLEAN", "BOOLÉEN"), ("COMMAND", "COMMANDE"), ("ARGS", "ARGUMENTS"))
_METAVAR = re.compile(r"\b(%s)\b" % "|".join(english for english, _ in METAVARS))
USAGE = "Utilisation : "


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


def french_metavars(text: str) -> str:
    """``--limit INTEGER RANGE`` → ``--limit ENTIER``; ``COMMAND [ARGS]...`` → ``COMMANDE [ARGUMENTS]...``."""
    return _METAVAR.sub(lambda m: dict(METAVARS)[m.group(1)], text)


def french_help(text: str) -> str:
    """One help line of click's: its own sentences, and the ``[default: 10]`` bracket at the end.

    >>> french_help("Résultats par page.  [default: 10; 1<=x<=100]")
    'Résultats par page.  [défaut : 10 ; 1<=x<=100]'
    """
    text = HELP_TEXTS.get(text, text)
    match = re.search(r"\[([^\[\]]*)\]$", text)
    if not match:
        return text
    bracket = match.group(1).replace("; ", " ; ")
    for english, translated in BRACKET_WORDS:
        bracket = bracket.replace(english, translated)
    return f"{text[:match.start()]}[{bracket}]"


class FrenchHelpFormatter(click.HelpFormatter):
    """Click's help page, in French: "Utilisation :", "Commandes :", "ENTIER", "[défaut : 10]"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, french_metavars(args), USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)} :\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(french_metavars(term), french_help(text)) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


class FrenchContext(click.Context):
    formatter_class = FrenchHelpFormatter


class FrenchCommand(click.Command):
    """A command whose help page is French (its context's formatter)."""

    context_class = FrenchContext


class FrenchGroup(click.Group):
    """A click group whose commands, help and error output are in French."""

    context_class = FrenchContext
    command_class = FrenchCommand

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Without arguments, the help page on stdout (exit 0), not a usage error."""
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """An unknown command names the closest one (``serch`` → ``search``), as click does for options."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1, cutoff=0.6)
            if close:
                ctx.fail(f"commande inconnue : {name} (vouliez-vous dire {close[0]} ?)")
        return super().resolve_command(ctx, args)

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


# Sub-groups (``rtes-search cluster …``) are French too.
FrenchGroup.group_class = FrenchGroup


def _show_usage_error(error: click.UsageError) -> None:
    if error.ctx is not None:
        click.echo(error.ctx.get_usage(), err=True)
        if error.ctx.command.get_help_option(error.ctx) is not None:
            option = max(error.ctx.help_option_names, key=len)
            click.echo(f"Essayez « {error.ctx.command_path} {option} » pour l'aide.", err=True)
        click.echo(err=True)
    click.echo(f"Erreur : {french(error.format_message())}", err=True)
