"""The `faq` command line: the group, its global options and the entry point. The commands are
in faq.cli_kb (init, import, validate, stamp, questions), faq.cli_run (build, search, eval,
serve, feedback) and faq.cli_gaps (gaps): each a thin layer that parses arguments, calls faq.*,
and prints."""

from __future__ import annotations

import os
from pathlib import Path

import click

from faq import __version__, cli_gaps, cli_kb, cli_run
from faq._click_i18n import FaqGroup, _TranslatedOption, option
from faq.i18n import N_, set_locale


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


for _command in (*cli_kb.COMMANDS, *cli_run.COMMANDS, *cli_gaps.COMMANDS):
    cli.add_command(_command)
