"""faq.config: defaults < faq.toml or [tool.faq] < FAQ_* environment < overrides, and checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.config import Settings, find_config, load_settings
from faq.errors import ConfigError, FaqError


def toml(folder: Path, text: str, name: str = "faq.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def load(
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Settings as the CLI would load them in `cwd`, with only `env` as the environment."""
    return load_settings(config, cwd=cwd, env=env or {}, overrides=overrides)


# ------------------------------------------------------------------------------ precedence


def test_defaults_without_any_config(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.root == tmp_path.resolve()
    assert (settings.languages, settings.default_language) == (("en",), "en")
    assert (settings.host, settings.port, settings.top_k) == ("127.0.0.1", 8000, 5)
    assert settings.embedder == "usem3"
    assert settings.docs == tmp_path.resolve() / "docs"
    assert settings.index == tmp_path.resolve() / "build/index"
    assert settings.site == tmp_path.resolve() / "build/site"


def test_faq_toml_overrides_defaults(tmp_path: Path) -> None:
    toml(
        tmp_path, 'port = 9000\nlanguages = ["ko", "en"]\ndefault_language = "ko"\nembedder = "x"\n'
    )
    settings = load(tmp_path)
    assert (settings.port, settings.languages, settings.default_language) == (
        9000,
        ("ko", "en"),
        "ko",
    )
    assert settings.embedder == "x"
    assert settings.host == "127.0.0.1"  # untouched keys keep their default


def test_tool_faq_in_pyproject_when_there_is_no_faq_toml(tmp_path: Path) -> None:
    toml(
        tmp_path, '[project]\nname = "x"\n\n[tool.faq]\nport = 9100\ntop-k = 3\n', "pyproject.toml"
    )
    settings = load(tmp_path)
    assert (settings.port, settings.top_k) == (9100, 3)
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"


def test_faq_toml_wins_over_pyproject(tmp_path: Path) -> None:
    toml(tmp_path, "[tool.faq]\nport = 9100\n", "pyproject.toml")
    toml(tmp_path, "port = 9200\n")
    assert load(tmp_path).port == 9200


def test_pyproject_without_tool_faq_is_ignored(tmp_path: Path) -> None:
    toml(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    toml(tmp_path, "port = 9300\n")  # in the parent: found further up
    child = tmp_path / "child"
    toml(child, '[project]\nname = "child"\n', "pyproject.toml")
    assert find_config(child) == tmp_path / "faq.toml"
    assert load(child).port == 9300


def test_config_found_in_a_parent_folder(tmp_path: Path) -> None:
    toml(tmp_path, 'docs_dir = "kb"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    settings = load(deep)
    assert settings.root == tmp_path.resolve()
    assert settings.docs == tmp_path.resolve() / "kb"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    toml(
        tmp_path,
        'port = 9000\nhost = "0.0.0.0"\nlanguages = ["ko", "en"]\ndefault_language = "ko"\n',
    )
    settings = load(tmp_path, {"FAQ_PORT": "9500", "FAQ_LANGUAGES": "en, ko"})
    assert settings.port == 9500
    assert settings.languages == ("en", "ko")
    assert settings.host == "0.0.0.0"
    assert settings.default_language == "ko"


def test_overrides_win_over_the_environment(tmp_path: Path) -> None:
    toml(tmp_path, "port = 9000\n")
    settings = load(tmp_path, {"FAQ_PORT": "9500"}, overrides={"port": 9600, "host": None})
    assert settings.port == 9600
    assert settings.host == "127.0.0.1"  # None means "not given"


def test_settings_replace_parses_like_a_file(tmp_path: Path) -> None:
    settings = load(tmp_path).replace(port="8123", languages="ko,en", default_language="ko")
    assert (settings.port, settings.languages) == (8123, ("ko", "en"))
    with pytest.raises(ConfigError):
        settings.replace(port="nope")


def test_explicit_config_file_and_faq_config(tmp_path: Path) -> None:
    toml(tmp_path, "port = 9000\n")
    other = toml(tmp_path / "conf", "port = 9700\n", "other.toml")
    assert load(tmp_path, config=Path("conf/other.toml")).port == 9700
    assert load(tmp_path, {"FAQ_CONFIG": str(other)}).port == 9700


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load(tmp_path, config=Path("nope.toml"))
    with pytest.raises(ConfigError, match="config file not found"):
        load(tmp_path, {"FAQ_CONFIG": "nope.toml"})


# --------------------------------------------------------------------------- relative paths


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    toml(project, 'docs_dir = "kb"\nindex_dir = "out/index"\nsite_dir = "/abs/site"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = load(elsewhere, config=project / "faq.toml")
    assert settings.docs == project.resolve() / "kb"
    assert settings.index == project.resolve() / "out/index"
    assert settings.site == Path("/abs/site")


def test_paths_from_environment_and_overrides_resolve_against_the_cwd(tmp_path: Path) -> None:
    project = tmp_path / "project"
    toml(project, 'docs_dir = "kb"\n')
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    settings = load(cwd, {"FAQ_DOCS_DIR": "from-env"}, config=project / "faq.toml")
    assert settings.docs == cwd.resolve() / "from-env"
    settings = load(cwd, config=project / "faq.toml", overrides={"index_dir": "flag"})
    assert settings.index == cwd.resolve() / "flag"
    assert settings.docs == project.resolve() / "kb"


# ------------------------------------------------------------------------ invalid settings


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('port = "eighty"\n', "invalid value for port: 'eighty'"),
        ("port = 0\n", "port must be 1-65535"),
        ("port = 70000\n", "port must be 1-65535"),
        ("port = true\n", "invalid value for port"),
        ("top_k = 0\n", "top_k must be 1-20"),
        ("top_k = 21\n", "top_k must be 1-20"),
        ("workers = 0\n", "workers must be at least 1"),
        ("host = 127\n", "invalid value for host"),
        ('host = "  "\n', "invalid value for host"),
        ("languages = [1, 2]\n", "invalid value for languages"),
        ("languages = []\n", "languages must not be empty"),
        ('languages = ["ko", "English"]\n', "invalid language code 'English'"),
        ('languages = ["ko"]\ndefault_language = "zh"\n', "default_language 'zh' is not among"),
        ('docs_dir = ""\n', "invalid value for docs_dir"),
        ('min_recall_at_1 = "high"\n', "invalid value for min_recall_at_1"),
        ("colour = 'blue'\n", "unknown setting 'colour'"),
    ],
)
def test_invalid_file_values(tmp_path: Path, text: str, message: str) -> None:
    path = toml(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert message in str(info.value)
    assert str(path) in str(info.value)  # says which file


def test_invalid_toml(tmp_path: Path) -> None:
    toml(tmp_path, "port = = 1\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load(tmp_path)


def test_invalid_environment_value_names_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^environment: invalid value for port: 'abc'$"):
        load(tmp_path, {"FAQ_PORT": "abc"})


def test_unknown_override(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load(tmp_path, overrides={"colour": "blue"})


def test_unrelated_faq_variables_are_ignored(tmp_path: Path) -> None:
    assert load(tmp_path, {"FAQ_SOMETHING_ELSE": "x"}).port == 8000


def test_config_error_is_a_faq_error_with_its_own_exit_code() -> None:
    assert issubclass(ConfigError, FaqError)
    assert ConfigError.exit_code not in (0, None)


# ----------------------------------------------------------------------- languages checks


def test_default_language_is_the_first_language_when_not_set(tmp_path: Path) -> None:
    toml(tmp_path, 'languages = ["ko", "zh"]\n')
    assert load(tmp_path).default_language == "ko"


def test_default_language_is_the_first_language_even_when_en_is_listed(tmp_path: Path) -> None:
    # README: default_language defaults to the first language
    toml(tmp_path, 'languages = ["ko", "en"]\n')
    assert load(tmp_path).default_language == "ko"
    assert load(tmp_path, {"FAQ_LANGUAGES": "zh,en"}).default_language == "zh"


def test_explicit_default_language_outside_languages_is_an_error(tmp_path: Path) -> None:
    toml(tmp_path, 'languages = ["ko", "zh"]\ndefault_language = "en"\n')
    with pytest.raises(ConfigError, match="default_language 'en' is not among languages ko, zh"):
        load(tmp_path)


def test_environment_default_language_checked_against_languages(tmp_path: Path) -> None:
    toml(tmp_path, 'languages = ["ko", "en"]\ndefault_language = "ko"\n')
    assert load(tmp_path, {"FAQ_DEFAULT_LANGUAGE": "en"}).default_language == "en"
    with pytest.raises(ConfigError, match="default_language 'ja'"):
        load(tmp_path, {"FAQ_DEFAULT_LANGUAGE": "ja"})


@pytest.mark.parametrize("code", ["ko", "en", "zh", "ja", "fil", "zh-Hans", "pt-BR"])
def test_valid_language_codes(tmp_path: Path, code: str) -> None:
    assert load(tmp_path, {"FAQ_LANGUAGES": code}).languages == (code,)


# ------------------------------------------------------------------------------ on the CLI


def test_cli_reports_a_config_error_in_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml(tmp_path, "port = 0\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == ConfigError.exit_code
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and "port must be 1-65535" in line
    assert "Traceback" not in result.output


def test_cli_config_option(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--config", "missing.toml", "validate"])
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: config file not found")
