"""The shipped UI catalogs: complete, in step with src/, placeholders kept; every surface speaks
the reader's language (CLI, API, widget, numbers and dates)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq import i18n
from faq.api.app import create_app
from faq.builder import build
from faq.cli import cli
from faq.config import Settings
from faq.site import WIDGET_I18N, add_widget
from faq.widget_strings import STRINGS, export
from faq.wrap import display_width

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
LOCALES = ROOT / "locales"
TRANSLATED = ("ko", "zh", "ja")
ALL = ("en", *TRANSLATED)


def po(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def msgids(catalog: Catalog) -> set[str]:
    return {m.id for m in catalog if m.id and isinstance(m.id, str)}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What `make catalogs-extract` would write now: the msgids of src/."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot), "-k", "N_"]
        + ["--no-location", str(SRC)]
    )
    with pot.open("rb") as fh:
        return msgids(read_po(fh))


@pytest.fixture(autouse=True)
def _project_catalogs() -> Iterator[None]:
    """The shipped catalogs, whatever another test module patched in before."""
    i18n.available_locales.cache_clear()
    i18n.catalog.cache_clear()
    yield
    i18n.set_locale(i18n.DEFAULT_LOCALE)


# ------------------------------------------------------------------------- the catalogs


def test_the_four_catalogs_are_available() -> None:
    assert i18n.available_locales() == ("en", "ja", "ko", "zh")


def test_the_template_is_in_step_with_src(extracted: set[str]) -> None:
    with (LOCALES / "messages.pot").open("rb") as fh:
        template = msgids(read_po(fh))
    assert extracted - template == set(), "run `make catalogs-update`"
    assert template - extracted == set(), "run `make catalogs-update`"


@pytest.mark.parametrize("lang", ALL)
def test_each_catalog_is_in_step_with_src(extracted: set[str], lang: str) -> None:
    catalog = po(lang)
    assert extracted - msgids(catalog) == set(), "run `make catalogs-update`, then translate"
    assert msgids(catalog) - extracted == set(), "run `make catalogs-update`"
    assert not catalog.obsolete


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    catalog = po(lang)
    assert not catalog.fuzzy
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_english_is_the_source_language() -> None:
    """locales/en is kept empty on purpose: the msgids are the English text."""
    catalog = po("en")
    assert not catalog.fuzzy
    assert [m.id for m in catalog if m.id and (m.string or m.fuzzy)] == []


def _fields(text: str) -> list[tuple[str, str, str]]:
    return sorted(
        (name, spec or "", conversion or "")
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_placeholders_code_and_options(lang: str) -> None:
    for message in po(lang):
        if not message.id:
            continue
        source, text = str(message.id), str(message.string)
        assert _fields(text) == _fields(source), (lang, source, text)
        for code in re.findall(r"`[^`]+`", source):
            assert code in text, (lang, source, text)
        for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", source):
            assert flag in text, (lang, source, text)
        assert text.count("\n") == source.count("\n"), (lang, source)


def _marked_strings() -> dict[str, str]:
    """Every literal given to _() or N_() in src/, with where it is."""
    found: dict[str, str] = {}
    for path in sorted((SRC / "faq").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ("_", "N_") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_marked_string_reaches_the_catalogs() -> None:
    """A _() inside an f-string is invisible to pybabel: it would stay in English."""
    catalog = msgids(po("ko"))
    missing = {text: where for text, where in _marked_strings().items() if text not in catalog}
    assert missing == {}


# ------------------------------------------------------------------------------- the CLI


def _translated(message: str, lang: str) -> str:
    return i18n.gettext(message, lang)


def test_an_empty_search_is_refused_in_the_environment_language(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    seen = {}
    for lang in ALL:
        result = runner.invoke(cli, ["search", ""], env={"LANGUAGE": lang})
        assert result.exit_code == 1
        seen[lang] = result.stderr.strip()
    assert seen["en"] == "Error: the question is empty"
    assert seen["ko"] == "오류: 질문이 비어 있습니다"
    assert len(set(seen.values())) == 4, seen


def test_the_installed_command_follows_language(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "FAQ_"))}
    runs = {}
    for lang in ("en", "ko"):
        runs[lang] = subprocess.run(
            [sys.executable, "-m", "faq", "search", ""],
            cwd=tmp_path,
            env={**env, "LANGUAGE": lang},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert runs["en"].returncode == runs["ko"].returncode == 1
    assert runs["en"].stderr.strip() == "Error: the question is empty"
    assert runs["ko"].stderr.strip() == "오류: " + _translated("the question is empty", "ko")


@pytest.mark.parametrize(
    ("env", "args", "expected"),
    [
        ({"LANGUAGE": "ko"}, ["--locale", "ja"], "ja"),  # --locale wins
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "ko_KR.UTF-8"}, [], "zh"),
        ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "ko_KR.UTF-8"}, [], "ja"),
        ({"LANG": "ko_KR.UTF-8"}, [], "ko"),
        ({"LANGUAGE": "ko"}, ["--locale", "fr"], "en"),  # unknown: English
        ({"LANGUAGE": "fr"}, [], "en"),
        ({"LANG": "C.UTF-8"}, [], "en"),
    ],
)
def test_cli_locale_choice(
    runner: CliRunner, tmp_path: Path, env: dict[str, str], args: list[str], expected: str
) -> None:
    unset: dict[str, str | None] = dict.fromkeys(("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"))
    result = runner.invoke(
        cli, [*args, "validate", str(tmp_path / "nowhere")], env={**unset, **env}
    )
    assert result.exit_code == 1
    message = _translated("no such folder: {path}", expected).format(path=tmp_path / "nowhere")
    assert result.stderr.strip().endswith(message), result.stderr
    assert i18n.get_locale() == "en"  # the invocation's locale does not outlive it


def test_help_is_translated(runner: CliRunner) -> None:
    english = runner.invoke(cli, ["--help"], env={"LANGUAGE": "en"}).output
    korean = runner.invoke(cli, ["--help"], env={"LANGUAGE": "ko"}).output
    assert english != korean
    assert english.startswith("Usage: cli [OPTIONS]")
    assert korean.startswith("사용법: cli [OPTIONS]")
    for message in ("Options", "Commands", "Show this message and exit."):
        assert _translated(message, "ko") in korean
        assert message in english
    summary = "Answer a question from the knowledge base."
    assert _translated(summary, "ko") in korean and summary not in korean
    # --locale is read before --help is shown
    assert runner.invoke(cli, ["--locale", "ko", "--help"]).output == korean


@pytest.mark.parametrize("lang", TRANSLATED)
def test_command_help_is_translated_and_fits_the_width(runner: CliRunner, lang: str) -> None:
    english = runner.invoke(cli, ["search", "--help"], env={"LANGUAGE": "en"}).output
    result = runner.invoke(cli, ["--locale", lang, "search", "--help"], terminal_width=80)
    assert result.exit_code == 0
    assert result.output != english
    assert _translated("Reader's language (default: the query's language).", lang) in result.output
    assert _translated("Print one JSON object.", lang) in result.output
    assert "--top-k" in result.output and "faq search" in result.output
    # wrapped by display width, not by character count
    assert max(display_width(line) for line in result.output.splitlines()) <= 80


# ------------------------------------------------------------------------------- the API


@pytest.fixture(scope="module")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("api")
    settings = write_corpus(tmp / "kb").replace(
        feedback_db=str(tmp / "feedback.sqlite3"), site_dir=str(tmp / "site")
    )
    build(settings, site=False)
    return settings


@pytest.fixture
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as client:
        yield client


ACCEPT = {"en": "en-US,en;q=0.9", "ko": "ko-KR,ko;q=0.9", "zh": "zh-CN,zh;q=0.9", "ja": "ja"}


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/search?q=", 422, "the question is empty"),
        ("/api/search?q=x&k=many", 422, "k must be a whole number"),
        ("/api/entries/no-such-entry", 404, "no entry 'no-such-entry'"),
        ("/api/no/such/route", 404, "Not found"),
    ],
)
def test_api_errors_in_the_request_language(
    client: TestClient, path: str, status: int, message: str
) -> None:
    details = {}
    for lang, header in ACCEPT.items():
        response = client.get(path, headers={"Accept-Language": header})
        assert response.status_code == status
        details[lang] = response.json()["detail"]
    assert details["en"] == message
    assert len(set(details.values())) == 4, details
    assert i18n.get_locale() == "en"  # per request, never process-wide


def test_api_lang_parameter_and_fallback(client: TestClient) -> None:
    def detail(path: str, accept: str) -> str:
        response = client.get(path, headers={"Accept-Language": accept})
        return str(response.json()["detail"])

    korean = detail("/api/entries/nope?lang=ko", "ja")  # ?lang= before Accept-Language
    assert korean == _translated("no entry {id!r}", "ko").format(id="nope")
    assert detail("/api/search?q=", "fr-FR,fr;q=0.9") == "the question is empty"
    assert detail("/api/search?q=", "fr-FR,fr;q=0.9,zh;q=0.5") == _translated(
        "the question is empty", "zh"
    )


def test_health_says_when_the_index_was_built_in_the_request_language(
    client: TestClient,
) -> None:
    agos = {
        lang: client.get("/api/health", headers={"Accept-Language": header}).json()["built_ago"]
        for lang, header in ACCEPT.items()
    }
    assert agos["en"].endswith(" ago") and agos["ko"].endswith(" 전"), agos
    assert agos["zh"].endswith("前") and agos["ja"].endswith("前"), agos


# ---------------------------------------------------------------------------- the widget


def test_the_widget_strings_are_all_listed() -> None:
    script = (SRC / "faq" / "static" / "faq-widget.js").read_text("utf-8")
    used = set(re.findall(r"\bt\(\"((?:[^\"\\]|\\.)*)\"\)", script))
    assert used, 'the widget\'s t("…") calls were not found'
    assert used - set(STRINGS) == set()


def test_the_site_build_exports_the_widget_strings_per_language(
    api_settings: Settings, tmp_path: Path
) -> None:
    settings = api_settings.replace(languages=["en", "ko", "zh", "ja"])
    add_widget(settings, tmp_path)
    exported = {
        lang: json.loads((tmp_path / WIDGET_I18N / f"{lang}.json").read_text("utf-8"))
        for lang in ALL
    }
    assert exported["en"] == {s: s for s in STRINGS}
    for lang in TRANSLATED:
        strings = exported[lang]
        assert set(strings) == set(STRINGS)
        assert all(strings[s] and strings[s] != s for s in STRINGS), lang
        assert strings == export(lang)
    assert len({exported[lang]["Ask a question"] for lang in ALL}) == 4


def test_the_widget_strings_are_served_per_language(client: TestClient) -> None:
    korean = client.get("/faq-widget-i18n/ko.json").json()
    assert korean["Search the FAQ"] == _translated("Search the FAQ", "ko") != "Search the FAQ"


# ------------------------------------------------------------------------ numbers, dates


def _days_ago(days: int) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days, minutes=5)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("lang", "ago", "number", "score"),
    [
        ("en", "3 days ago", "1,234,567", "0.50"),
        ("ko", "3일 전", "1,234,567", "0.50"),
        ("zh", "3天前", "1,234,567", "0.50"),
        ("ja", "3 日前", "1,234,567", "0.50"),
    ],
)
def test_numbers_and_dates_per_locale(lang: str, ago: str, number: str, score: str) -> None:
    assert i18n.format_ago(_days_ago(3), lang) == ago
    assert i18n.format_number(1234567, lang) == number
    assert i18n.format_score(0.5, lang) == score
    with i18n.use_locale(lang):
        assert i18n.format_ago(_days_ago(3)) == ago  # the current locale by default


def test_build_reports_in_the_locale(runner: CliRunner, tmp_path: Path) -> None:
    settings = write_corpus(tmp_path / "kb")
    args = ["--locale", "ko", "--config", str(settings.root / "faq.toml"), "build", "--no-site"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert re.match(r"항목 4개 빌드 완료 \(페이지 \d+개, 텍스트 \d+개", first.stdout), first.stdout
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert re.search(r"^\d+초 전에 빌드한 인덱스를 교체합니다$", second.stderr, re.M), second.stderr
