"""`faq gaps`: what readers asked and didn't find, from the database, as a report; `--apply`
writes the suggested alternate questions (registered on the `faq` group by faq.cli)."""

from __future__ import annotations

import click

from faq._click_i18n import _TranslatedCommand, echo_json, option, settings_from
from faq.i18n import N_, _


@click.command(
    cls=_TranslatedCommand,
    short_help=N_("Show what readers asked and didn't find, grouped into topics."),
    help=N_(
        "Group the unanswered searches (log_queries), the down-voted answers and the "
        "missing-answer reports since a time into topics, largest first: how many readers, in "
        "which languages, example questions, the nearest entry and how close it came, and a "
        "suggestion. With --apply, the questions of the add-questions suggestions are written "
        "into the entry files (each into the file of its own language); then run `faq build`."
    ),
    epilog="faq gaps\nfaq gaps --since 2w --lang ko\nfaq gaps --json\n"
    "faq gaps --apply && faq build",
)
@option(
    "--since",
    default="30d",
    show_default=True,
    help=N_("Period: a number and h, d or w (12h, 30d, 2w)."),
)
@option("--lang", default=None, help=N_("Only readers of this language (default: all)."))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@option(
    "--apply",
    "do_apply",
    is_flag=True,
    help=N_("Add the suggested alternate questions to the entry files."),
)
@click.pass_context
def gaps(ctx: click.Context, since: str, lang: str | None, as_json: bool, do_apply: bool) -> None:
    from faq.db import Database
    from faq.gaps_report import apply, gap_report, render
    from faq.loader import display_path
    from faq.readerlog import parse_since
    from faq.service import FaqService

    settings = settings_from(ctx)
    parse_since(since)  # a bad period is reported before the model is loaded
    database = Database.from_settings(settings)
    try:
        report = gap_report(FaqService.open(settings), database, since, lang)
    finally:
        database.dispose()
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(render(report))
    if not do_apply:
        return
    applied = apply(report, settings.docs)
    for _id, _lang, path, added in applied.written:
        for text in added:
            click.echo(
                _("added to {path}: {question}").format(path=display_path(path), question=text),
                err=True,
            )
    for entry_id, missing_lang in applied.missing:
        click.echo(
            _("no {lang} file for {id}: its {lang} questions were not added").format(
                lang=missing_lang, id=entry_id
            ),
            err=True,
        )
    if applied.written:
        click.echo(_("run `faq build` to use them in search"), err=True)
    else:
        click.echo(_("nothing to add"), err=True)


COMMANDS = (gaps,)
