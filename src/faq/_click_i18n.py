"""Click in the user's language: translated help, headings and options, CJK-aware wrapping,
and FaqError turned into one line and an exit code; and the two helpers every command uses
(the settings of an invocation, JSON output): the plumbing under faq.cli."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from faq.config import Settings, load_settings
from faq.errors import FaqError
from faq.i18n import N_, _, locale_from_env, use_locale
from faq.wrap import has_wide, wrap

F = TypeVar("F", bound=Callable[..., Any])


class _HelpFormatter(click.HelpFormatter):
    """Click's own help headings (Usage, Options, Commands) in the current locale, and help
    in Chinese, Japanese or Korean wrapped by display width (click counts characters)."""

    HEADINGS = (N_("Options"), N_("Commands"))  # the section names click passes to section()

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage:") + " " if prefix is None else prefix)

    def section(self, name: str) -> Any:
        return super().section(_(name))

    def write_text(self, text: str) -> None:
        if has_wide(text):
            width = max(self.width - self.current_indent, 20)
            # "\b": a paragraph that click leaves as it is
            text = "\n\n".join("\b\n" + "\n".join(wrap(p, width)) for p in text.split("\n\n"))
        super().write_text(text)

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((len(term) for term, _text in rows), default=0), col_max) + col_spacing
        width = max(self.width - first - 2, 10)
        rows = [
            (term, "\b\n" + "\n".join(wrap(text, width)) if has_wide(text) else text)
            for term, text in rows
        ]
        super().write_dl(rows, col_max, col_spacing)


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _TranslatedHelpOption:
    """Click's --help option with its help text in the current locale."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class _TranslatedOption(click.Option):
    """An option whose help text is translated when shown, not when defined."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.help:
            original = self.help
            self.help = _(original)
            try:
                return super().get_help_record(ctx)
            finally:
                self.help = original
        return super().get_help_record(ctx)


class _Example:
    """The epilog shown as an "Example" section, as it is written (not re-wrapped)."""

    epilog: str | None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:
            formatter.write_paragraph()
            formatter.write_heading(_("Example"))
            with formatter.indentation():
                for line in self.epilog.strip().splitlines():
                    formatter.write(" " * formatter.current_indent + line + "\n")


class _TranslatedCommand(_Example, _TranslatedHelpOption, click.Command):
    """A command whose help and summary are translated when shown."""

    context_class = _Context

    def get_short_help_str(self, limit: int = 45) -> str:
        return _(self.short_help) if self.short_help else super().get_short_help_str(limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            original = self.help
            self.help = _(original)
            try:
                super().format_help_text(ctx, formatter)
            finally:
                self.help = original


class FaqGroup(_Example, _TranslatedHelpOption, click.Group):
    """Turns every FaqError into one clear line on stderr and its exit code: no tracebacks."""

    command_class = _TranslatedCommand
    context_class = _Context
    format_epilog = _TranslatedCommand.format_epilog  # a sub-group's example, as a command's

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # the locale of the environment from the start, so that --help is translated too;
        # scoped to this invocation (--locale may change it while the arguments are parsed)
        with use_locale(locale_from_env()):
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FaqError as exc:
            click.echo(_("Error: {message}").format(message=exc), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(_("Interrupted."), err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(_(self.help))


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    return click.option(*decls, cls=_TranslatedOption, **attrs)


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    """The settings of this invocation: `--config` (or the nearest faq.toml), FAQ_* variables,
    then the command's own flags (`overrides`; None means "not given", 0 and "" are values)."""
    obj = ctx.find_root().obj or {}
    return load_settings(
        obj.get("config"), overrides={k: v for k, v in overrides.items() if v is not None}
    )


def echo_json(data: Any) -> None:
    """`data` as indented JSON on stdout, non-ASCII text as it is."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
