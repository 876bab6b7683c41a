"""`faq init`: the files of a new knowledge base, ready for `faq import`, `faq build`, `faq serve`.

faq.toml (site name, languages), a home page per language and a first entry (both marked as
placeholders that `faq import` replaces), a section page, a gold-questions template and a
.gitignore for the build outputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from faq.config import LANG_CODE
from faq.errors import ConfigError, ImporterError
from faq.i18n import N_, _, gettext
from faq.importer import PLACEHOLDER

FIRST_ENTRY = "add-a-question"
GOLD_EXAMPLE = "gold/questions.jsonl.example"
HOME_TEXT = N_(
    "Ask a question in the search box (press / or Ctrl-K): the answer comes from this FAQ, in "
    "your language. Or browse the sections."
)
FIRST_TITLE = N_("How do I add a question to this FAQ?")
FIRST_BODY = N_(
    "Write a Markdown file docs/<lang>/<section>/<id>.md with the question as its title, or "
    "import a whole FAQ page with `faq import FAQ.md --lang <lang>`. Then run `faq build`."
)
GENERAL = N_("General")
GOLD_README = """\
# Gold questions

Questions readers really ask, each with the id of the entry that answers it (or null when the
knowledge base should say it has no answer), one JSON object per line in a `*.jsonl` file here:

    {"q": "how do I reset my password", "lang": "en", "expect": "reset-password"}
    {"q": "what's the weather tomorrow", "lang": "en", "expect": null}

`lang` is the reader's language; a knowledge base of one language may leave it out.
`faq build` tunes the search on them and `faq eval` measures it. See questions.jsonl.example.

Figures on questions the build was tuned on flatter it (`faq eval` labels them "in-sample").
For honest ones, keep some questions apart in `gold/test/*.jsonl` (the `gold_test` setting):
`faq build` never reads them, and `faq eval` reports them and checks them against the targets.
Put all the ways of asking about one entry on the same side.
"""


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _page(meta: dict[str, object], body: str) -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{body}\n"


def scaffold_files(site_name: str, languages: tuple[str, ...]) -> dict[str, str]:
    """Relative path → content of every file of a new knowledge base.

    Raises ConfigError for an empty site name or a bad language code.
    """
    if not site_name.strip() or "\n" in site_name:
        raise ConfigError(_("the site name must be one non-empty line"))
    if not languages:
        raise ConfigError(_("languages must not be empty"))
    for lang in languages:
        if not re.match(LANG_CODE, lang):
            raise ConfigError(_("invalid language code {lang!r}").format(lang=lang))
    default = languages[0]
    files = {
        "faq.toml": (
            "# faq settings (README: Configuration)\n"
            f"site_name = {_toml_string(site_name.strip())}\n"
            f"languages = [{', '.join(_toml_string(lang) for lang in languages)}]\n"
            f"default_language = {_toml_string(default)}\n"
            'docs_dir = "docs"\n'
            'gold = "gold/*.jsonl"\n'
            'gold_test = "gold/test/*.jsonl"\n'
        ),
        ".gitignore": "build/\nvar/\n",
        "gold/README.md": GOLD_README,
        GOLD_EXAMPLE: json.dumps(
            {"q": gettext(FIRST_TITLE, default), "lang": default, "expect": FIRST_ENTRY},
            ensure_ascii=False,
        )
        + "\n",
    }
    for lang in languages:
        files[f"docs/{lang}/index.md"] = _page(
            {"title": site_name.strip()}, f"{PLACEHOLDER}\n\n{gettext(HOME_TEXT, lang)}"
        )
    files[f"docs/{default}/general/index.md"] = _page(
        {"title": gettext(GENERAL, default)}, PLACEHOLDER
    )
    files[f"docs/{default}/general/{FIRST_ENTRY}.md"] = _page(
        {
            "id": FIRST_ENTRY,
            "section": "general",
            "title": gettext(FIRST_TITLE, default),
            "questions": [],
            "errors": [],
            "tags": [],
            "related": [],
        },
        f"{PLACEHOLDER}\n\n{gettext(FIRST_BODY, default)}",
    )
    return files


def init_knowledge_base(
    directory: Path, site_name: str, languages: tuple[str, ...], *, force: bool = False
) -> list[Path]:
    """Write a new knowledge base into `directory`; returns the files written.

    Raises ImporterError when a file exists (nothing is written) unless `force`.
    """
    files = scaffold_files(site_name, languages)
    existing = [directory / rel for rel in files if (directory / rel).exists()]
    if existing and not force:
        raise ImporterError(
            _(
                "{count} file(s) already exist, e.g. {path}: nothing written (use --force to"
                " overwrite)"
            ).format(count=len(existing), path=existing[0])
        )
    written = []
    try:
        for rel, content in files.items():
            path = directory / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, "utf-8")
            written.append(path)
    except OSError as exc:
        raise ImporterError(
            _("cannot write {path}: {error}").format(path=directory, error=exc.strerror)
        ) from None
    return written
