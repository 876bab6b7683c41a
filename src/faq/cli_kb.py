"""`faq init`, `import`, `validate`, `stamp` and `questions`: the commands that write and check
the knowledge base (registered on the `faq` group by faq.cli)."""

from __future__ import annotations

from pathlib import Path

import click

from faq._click_i18n import FaqGroup, _TranslatedCommand, echo_json, option, settings_from
from faq.errors import ValidationFailed
from faq.i18n import N_, _, format_number

# ---------------------------------------------------------------------------------- import


@click.command(
    "import",
    cls=_TranslatedCommand,
    short_help=N_("Split a FAQ page into entry files, section pages and a home page."),
    help=N_(
        "Split a FAQ page into entry files OUT/<lang>/<section>/<id>.md, a page per section and "
        "the language's home page OUT/<lang>/index.md.\n\n"
        "Questions are read from headings (# or underlined), 'Q:'/'Q1:' lines with 'A:' answers, "
        "<details><summary> blocks, and bold lines that ask ('**How …?**'). A heading with text "
        "of its own is a question; one with "
        "only deeper headings is a section; a section's own text that answers something itself "
        "(code, a list, two sentences) is also its first entry. A '#' inside a code block stays "
        "code. Error messages "
        "the page quotes go into errors:. Ids are the question's words (romanised), at most 64 "
        "characters; --ids pins them.\n\n"
        "Relative links pointed into the original site (wiki links [[Page]] too): with "
        "--base-url they link there, "
        "otherwise they become plain text (with a warning; --unlink: without). Check first with "
        "--dry-run. Existing entry files are never overwritten without --force.\n\n"
        "Sections that are not answers are left out and listed: those whose text is at least "
        "80 per cent link or image markup (sponsors, badges, a table of contents, lists of "
        "links) and licence notices (a short text naming a licence such as MIT or Apache-2.0, "
        "a copyright line, a licence's warranty disclaimer) and release notes (a heading that "
        "is a version or a date, or a list of dated items such as a 'News' section). A "
        "question that asks ('?', 'Q:') "
        "or that --ids names is always kept; --keep-all keeps them all."
    ),
    epilog=(
        "faq import FAQ.md --lang en --dry-run\n"
        "faq import FAQ.md --lang en --base-url https://example.org/docs/faq.html\n"
        "faq import FAQ.md --lang ko --out docs --ids ids.md"
    ),
)
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@option("--lang", required=True, help=N_("Language code of the page, e.g. ko."))
@option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help=N_("Knowledge-base folder to write into (default: the configured docs folder)."),
)
@option(
    "--ids",
    "id_map",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_(
        "Id map: a Markdown table with id, section and heading columns, or heading<TAB>id lines."
    ),
)
@option(
    "--base-url",
    metavar="URL",
    help=N_("The URL the page was published at: its relative links are made absolute against it."),
)
@option(
    "--unlink", is_flag=True, help=N_("Write relative links as plain text without a warning each.")
)
@option("--force", is_flag=True, help=N_("Overwrite existing files."))
@option(
    "--keep-all",
    is_flag=True,
    help=N_(
        "Also import the sections left out as not answers (links only, licence notices, "
        "release notes)."
    ),
)
@option(
    "--dry-run",
    is_flag=True,
    help=N_("Print the entries it would make (title, id, section, answer length); write nothing."),
)
@click.pass_context
def import_cmd(
    ctx: click.Context,
    source: Path,
    lang: str,
    out: Path | None,
    id_map: Path | None,
    base_url: str | None,
    unlink: bool,
    force: bool,
    keep_all: bool,
    dry_run: bool,
) -> None:
    import re

    from faq.config import LANG_CODE
    from faq.errors import ImporterError
    from faq.importer import import_page, left_out_notes, plan_table

    if not re.match(LANG_CODE, lang):
        raise ImporterError(_("invalid language code {lang!r}").format(lang=lang))
    if base_url is not None and not re.match(r"^https?://[^/\s]+", base_url):
        raise ImporterError(
            _("--base-url must be an http(s) URL, e.g. {example}").format(
                example="https://example.org/faq.html"
            )
        )
    settings = settings_from(ctx)
    target = out if out is not None else settings.docs
    report = import_page(
        source,
        lang,
        target,
        id_map=id_map,
        force=force,
        dry_run=dry_run,
        base_url=base_url,
        unlink=unlink,
        keep_all=keep_all,
        title=settings.site_name,
    )
    if lang not in settings.languages:
        # the entries would be written where `faq validate` and `faq build` never look
        report.warnings.append(
            _(
                "{lang!r} is not one of the configured languages ({languages}): `faq build`"
                " leaves {folder} out until you add it to `languages` in faq.toml"
            ).format(lang=lang, languages=", ".join(settings.languages), folder=target / lang)
        )
    for warning in report.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    if dry_run:
        for line in plan_table(report.plan):
            click.echo(line)
    for note in left_out_notes(report.plan):
        click.echo(note, err=True)
    for path in report.removed:
        click.echo(
            _("would remove placeholder {path}").format(path=path)
            if dry_run
            else _("removed placeholder {path}").format(path=path)
        )
    for path in report.written:
        if not dry_run:
            click.echo(_("wrote {path}").format(path=path))
    for path in report.kept:
        click.echo(_("kept existing {path}").format(path=path))
    entries = len(report.plan.entries)
    click.echo(
        _("{count} entries imported into {out}").format(
            count=format_number(entries), out=target / lang
        )
        if not dry_run
        else _("{count} entries would be imported into {out}").format(
            count=format_number(entries), out=target / lang
        ),
        err=True,
    )
    if not dry_run:
        click.echo(_("next: faq validate, then faq build"), err=True)


# ------------------------------------------------------------------------------------ init


@click.command(
    cls=_TranslatedCommand,
    short_help=N_("Start a new knowledge base in a folder."),
    help=N_(
        "Create a new knowledge base in DIR (default: the current folder): faq.toml (site name, "
        "languages), a home page per language, a first entry, and gold/questions.jsonl.example "
        "(questions with known answers, to check and tune search). Then `faq import` your FAQ "
        "page into it, `faq build` and `faq serve`. Existing files are never overwritten "
        "without --force."
    ),
    epilog=(
        "faq init my-faq --name 'Acme FAQ' --lang en\n"
        "faq init kb --lang ko,en && cd kb && faq import ../FAQ.md --lang ko"
    ),
)
@click.argument(
    "directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False)
)
@option("--name", "site_name", default="FAQ", show_default=True, help=N_("Site name."))
@option(
    "--lang",
    "languages",
    default="en",
    show_default=True,
    metavar="LANGS",
    help=N_("Languages, comma-separated; the first is the default (source) language."),
)
@option("--force", is_flag=True, help=N_("Overwrite existing files."))
def init(directory: Path, site_name: str, languages: str, force: bool) -> None:
    from faq.scaffold import init_knowledge_base

    langs = tuple(code.strip() for code in languages.split(",") if code.strip())
    written = init_knowledge_base(directory, site_name, langs, force=force)
    for path in written:
        click.echo(_("wrote {path}").format(path=path))
    click.echo(
        _("next: faq import FAQ.md --lang {lang}, then faq build and faq serve").format(
            lang=langs[0] if langs else "en"
        ),
        err=True,
    )


# -------------------------------------------------------------------------------- validate


@click.command(
    cls=_TranslatedCommand,
    short_help=N_("Check the knowledge base; print path:line for each problem."),
    help=N_(
        "Check every entry file under DIR (default: the configured docs folder): front matter, "
        "ids, translations, related links, code fences, answers. Prints one line per problem, "
        "path:line: message, then a summary. Exits 1 on any error, 0 otherwise."
    ),
    epilog="faq validate docs\nfaq validate --json > report.json",
)
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
@click.pass_context
def validate(ctx: click.Context, directory: Path | None, as_json: bool, strict: bool) -> None:
    from faq.validate import validate as run

    settings = settings_from(ctx)
    docs = directory if directory is not None else settings.docs
    if not docs.is_dir():
        raise ValidationFailed(_("no such folder: {path}").format(path=docs))
    languages, default = settings.languages, settings.default_language
    if not any((docs / lang).is_dir() for lang in languages):
        # a folder from elsewhere (e.g. fresh from `faq import`): check the languages it has
        from faq.loader import discover_languages

        found = discover_languages(docs)
        if found:
            languages, default = found, default if default in found else found[0]
    report = run(docs, languages, default)
    failed = not report.ok or (strict and report.warnings > 0)
    if as_json:
        echo_json(report.as_dict())
    else:
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(
            _("{errors} error(s), {warnings} warning(s) in {files} file(s), {langs}").format(
                errors=format_number(report.errors),
                warnings=format_number(report.warnings),
                files=format_number(report.files),
                langs=", ".join(report.languages) or "-",
            ),
            err=True,
        )
        if report.files == 0:
            click.echo(
                _("no entry files found under {path} for languages {langs}").format(
                    path=docs, langs=", ".join(languages)
                ),
                err=True,
            )
    if failed or report.files == 0:
        ctx.exit(1)


# ----------------------------------------------------------------------------------- stamp


@click.command(
    cls=_TranslatedCommand,
    short_help=N_("Record the source hash in translations you have brought up to date."),
    help=N_(
        "Write the current hash of each translation's source entry into its source_hash, "
        "marking it up to date. Run it after updating a translation. Without PATHS, every "
        "translation that has no source_hash yet is stamped; name files to re-stamp them."
    ),
    epilog="faq stamp docs/zh/usage/quota-exceeded.md",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.pass_context
def stamp(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    from faq.stamp import stamp_translations

    settings = settings_from(ctx)
    changed = stamp_translations(settings, list(paths))
    for path in changed:
        click.echo(_("stamped {path}").format(path=path))
    click.echo(
        _("{count} translation(s) stamped").format(count=format_number(len(changed))), err=True
    )


# ------------------------------------------------------------------------------- questions


@click.group(
    cls=FaqGroup,
    short_help=N_("Add alternate questions to an entry."),
    help=N_(
        "Alternate questions are the other ways readers ask for an entry: each one is matched "
        "by search. Add the questions readers really asked (see `faq gaps`) to the entry that "
        "answers them, then run `faq build`."
    ),
    epilog='faq questions add streaming-nginx "replies arrive all at once behind nginx" --lang en',
)
def questions() -> None:
    pass


@questions.command(
    "add",
    short_help=N_("Add alternate questions to an entry file."),
    help=N_(
        "Append TEXT (one or more questions) to the `questions:` list of entry ID in language "
        "LANG. Only the added lines change in the file: comments, quoting and order stay as "
        "written. Questions already there (or equal to the title) are skipped. Run `faq build` "
        "afterwards."
    ),
    epilog='faq questions add streaming-nginx "replies arrive all at once behind nginx" --lang en',
)
@click.argument("entry_id", metavar="ID")
@click.argument("texts", metavar="TEXT", nargs=-1, required=True)
@option("--lang", required=True, help=N_("Language of the questions (the entry file's language)."))
@click.pass_context
def questions_add(ctx: click.Context, entry_id: str, texts: tuple[str, ...], lang: str) -> None:
    from faq.loader import display_path
    from faq.questions import add_questions, find_entry_file

    settings = settings_from(ctx)
    path = find_entry_file(settings.docs, entry_id, lang)
    result = add_questions(path, list(texts))
    for text in result.added:
        click.echo(_("added to {path}: {question}").format(path=display_path(path), question=text))
    for text in result.skipped:
        click.echo(_("already there: {question}").format(question=text), err=True)
    if result.added:
        click.echo(_("run `faq build` to use them in search"), err=True)


COMMANDS = (import_cmd, init, validate, stamp, questions)
