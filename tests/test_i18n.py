"""faq.i18n: locale from the environment, Accept-Language negotiation, catalogs, per-call locale."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq import i18n
from faq.cli import cli

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Error: {{message}}"
msgstr "{tag}: {{message}}"

msgid "Hello"
msgstr "{hello}"

#, fuzzy
msgid "Fuzzy"
msgstr "not yet reviewed"

msgid "Untranslated"
msgstr ""
"""

TRANSLATIONS = {
    "ko": ("오류", "안녕하세요"),
    "zh": ("错误", "你好"),
    "ja": ("エラー", "こんにちは"),
}


def _use_catalogs(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Iterator[Path]:
    monkeypatch.setattr(i18n, "locales_dir", lambda: folder)
    i18n.available_locales.cache_clear()
    i18n.catalog.cache_clear()
    yield folder
    i18n.available_locales.cache_clear()
    i18n.catalog.cache_clear()
    i18n.set_locale(i18n.DEFAULT_LOCALE)


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Tiny ko, zh and ja catalogs in tmp_path, used instead of the project's."""
    for lang, (tag, hello) in TRANSLATIONS.items():
        po = tmp_path / lang / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        po.write_text(PO.format(tag=tag, hello=hello), "utf-8")
    yield from _use_catalogs(monkeypatch, tmp_path)


@pytest.fixture
def no_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from _use_catalogs(monkeypatch, tmp_path / "empty")


# ------------------------------------------------------------------------ locale_from_env


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "ko_KR.UTF-8"}, "zh"),
        ({"LC_ALL": "ja_JP.UTF-8", "LC_MESSAGES": "zh_CN", "LANG": "ko_KR"}, "ja"),
        ({"LANGUAGE": "zh", "LC_ALL": "ja_JP.UTF-8", "LANG": "ko_KR"}, "zh"),
        ({"LANGUAGE": "fr:ko:zh", "LANG": "ja_JP"}, "ko"),  # LANGUAGE lists several
        ({"LANGUAGE": "fr", "LANG": "ja_JP"}, "ja"),  # none of them available: go on
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "ko_KR"}, "ko"),  # empty means unset
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "C", "LANG": "ko_KR"}, "ko"),  # C is not a language
        ({"LC_ALL": "C", "LANG": "ko_KR"}, "en"),  # as in gettext, a set LC_ALL decides
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "ko_KR"}, "en"),
        ({"LANG": "ko_KR.UTF-8@euro"}, "ko"),
    ],
)
def test_locale_from_env(catalogs: Path, env: dict[str, str], expected: str) -> None:
    assert i18n.locale_from_env(env) == expected


def test_locale_from_env_without_catalogs_is_english(no_catalogs: Path) -> None:
    assert i18n.available_locales() == ("en",)
    assert i18n.locale_from_env({"LANG": "ko_KR.UTF-8"}) == "en"


def test_locale_from_env_reads_os_environ(catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.locale_from_env() == "zh"


# ---------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ko", "ko"),
        ("ko_KR.UTF-8", "ko"),
        ("ko-KR", "ko"),
        ("zh-Hans-CN", "zh"),
        ("ZH_tw", "zh"),
        ("ja_JP@euro", "ja"),
        ("en_GB", "en"),
        ("fr_FR", None),
        ("C", None),
        ("posix", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize(catalogs: Path, tag: str | None, expected: str | None) -> None:
    assert i18n.normalize(tag) == expected


# ---------------------------------------------------------------------------- negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("en-US,en;q=0.9,ko;q=0.8", "en"),
        ("zh-CN,zh;q=0.9", "zh"),
        ("zh-Hans-CN", "zh"),
        ("ja", "ja"),
        ("fr-FR,fr;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,ja;q=0.5", "ja"),
        ("en;q=0.1, zh;q=0.9", "zh"),  # by weight, not by position
        ("ko;q=abc, ja", "ja"),  # a malformed weight drops that entry only
        ("*", "en"),
        (" , ,", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_negotiate(catalogs: Path, header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_negotiate_without_catalogs_is_english(no_catalogs: Path) -> None:
    assert i18n.negotiate("ko-KR,ko;q=0.9,en;q=0.8") == "en"


# ------------------------------------------------------------------------------- catalogs


def test_available_locales(catalogs: Path) -> None:
    assert i18n.available_locales() == ("en", "ja", "ko", "zh")


def test_catalog_leaves_out_fuzzy_and_empty_translations(catalogs: Path) -> None:
    ko = i18n.catalog("ko")
    assert ko["Hello"] == "안녕하세요"
    assert "Fuzzy" not in ko and "Untranslated" not in ko
    assert i18n.catalog("en") == {}
    assert i18n.catalog("fr") == {}


def test_a_fresh_compiled_catalog_is_read_a_stale_one_is_not(catalogs: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = catalogs / "ko" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        compiled = read_po(fh, locale="ko")
    hello = compiled.get("Hello")
    assert hello is not None
    hello.string = "compiled"
    mo = po.with_suffix(".mo")
    with mo.open("wb") as fh:
        write_mo(fh, compiled)
    os.utime(po, (1, 1))
    assert i18n.catalog("ko")["Hello"] == "compiled"
    assert "Fuzzy" not in i18n.catalog("ko")
    i18n.catalog.cache_clear()
    os.utime(po, (2, 2))  # the .po was edited since `make catalogs-compile`
    os.utime(mo, (1, 1))
    assert i18n.catalog("ko")["Hello"] == "안녕하세요"


def test_an_installed_wheel_reads_its_compiled_catalog(
    catalogs: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installers do not keep file times: in faq/_locales the .mo is read even if older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    packaged = shutil.copytree(catalogs, tmp_path_factory.mktemp("wheel") / "_locales")
    monkeypatch.setattr(i18n, "locales_dir", lambda: packaged)
    po = packaged / "ja" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        compiled = read_po(fh, locale="ja")
    hello = compiled.get("Hello")
    assert hello is not None
    hello.string = "compiled"
    with po.with_suffix(".mo").open("wb") as fh:
        write_mo(fh, compiled)
    os.utime(po.with_suffix(".mo"), (1, 1))
    i18n.catalog.cache_clear()
    assert i18n.catalog("ja")["Hello"] == "compiled"


def test_translate_in_a_locale(catalogs: Path) -> None:
    assert i18n.gettext("Hello", "ja_JP.UTF-8") == "こんにちは"
    assert i18n.gettext("Fuzzy", "ja") == "Fuzzy"
    assert i18n.gettext("Not in the catalog", "ko") == "Not in the catalog"
    assert i18n.gettext("Hello", "fr") == "Hello"


def test_use_locale_is_scoped(catalogs: Path) -> None:
    assert i18n.get_locale() == "en"
    assert i18n._("Hello") == "Hello"
    with i18n.use_locale("zh_CN"):
        assert i18n.get_locale() == "zh"
        assert i18n._("Hello") == "你好"
        with i18n.use_locale("fr"):
            assert i18n.get_locale() == "en"
        assert i18n.get_locale() == "zh"
    assert i18n._("Hello") == "Hello"


def test_n_marks_without_translating(catalogs: Path) -> None:
    with i18n.use_locale("ko"):
        assert i18n.N_("Hello") == "Hello"


# ------------------------------------------------------------------------------ on the CLI


def test_cli_locale_option(runner: CliRunner, catalogs: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--locale", "ko", "validate", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert result.stderr.startswith("오류: ")


def test_cli_locale_from_environment(runner: CliRunner, catalogs: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path / "nowhere")], env={"LANGUAGE": "ja"})
    assert result.stderr.startswith("エラー: ")
    result = runner.invoke(cli, ["validate", str(tmp_path / "nowhere")], env={"LANGUAGE": "en"})
    assert result.stderr.startswith("Error: ")
