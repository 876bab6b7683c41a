"""faq.validate and `faq validate`: every rule, with the path:line it points at."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.loader import MAX_FILE_BYTES
from faq.validate import Report, validate

if TYPE_CHECKING:
    from conftest import MakeEntry

LANGS = ("ko", "en")


def check() -> Report:
    """Validate kb/docs (the cwd is the kb) as the shipped settings would: ko source, en."""
    return validate(Path("docs"), LANGS, "ko")


def found(report: Report) -> set[tuple[str, int, str, str]]:
    return {(p.path, p.line, p.rule, p.severity) for p in report.problems}


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def only(report: Report, rule: str) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.message) for p in report.problems if p.rule == rule]


# ------------------------------------------------------------------------- a clean base


def test_valid_knowledge_base_has_no_problems(valid_kb: Path) -> None:
    report = check()
    assert report.problems == ()
    assert report.ok
    assert (report.files, report.entries) == (4, 4)
    assert report.languages == LANGS


def test_section_and_home_pages_are_not_entries(valid_kb: Path) -> None:
    write(valid_kb / "docs/ko/index.md", "# 홈\n")
    write(valid_kb / "docs/ko/usage/index.md", "---\ntitle: 사용\n---\n")
    write(valid_kb / "docs/en/format.md", "no front matter at all\n")
    report = check()
    assert report.problems == ()
    assert report.files == 4


def test_entries_of_an_unconfigured_language_are_reported(valid_kb: Path) -> None:
    """`faq import --lang fr` with languages ko, en: the fr entries would be silently skipped."""
    write(valid_kb / "docs/fr/index.md", "---\ntitle: FAQ\n---\n")
    write(valid_kb / "docs/fr/usage/alpha.md", "---\nid: alpha\nsection: usage\n---\nA.\n")
    write(valid_kb / "docs/img/logo.png", b"png")  # not a folder of entries
    write(valid_kb / "docs/css/x/extra.md", "no home page: not a language")
    report = check()
    assert [(path, line) for path, line, _m in only(report, "unknown-language")] == [("docs/fr", 1)]
    assert "'fr' is not one of the configured languages (ko, en)" in report.problems[0].message
    assert report.ok  # a warning


# ------------------------------------------------------------------------- one file alone


def test_invalid_yaml_reports_its_line(kb: Path) -> None:
    write(
        kb / "docs/ko/usage/broken.md",
        "---\nid: broken\nsection: usage\ntitle: a: b\n---\n\nanswer\n",
    )
    [(path, line, message)] = only(check(), "yaml")
    assert (path, line) == ("docs/ko/usage/broken.md", 4)
    assert message.startswith("invalid YAML")


def test_front_matter_that_is_not_a_mapping(kb: Path) -> None:
    write(kb / "docs/ko/usage/listy.md", "---\n- id: listy\n---\n\nanswer\n")
    [(_path, _line, message)] = only(check(), "yaml")
    assert "mapping" in message


@pytest.mark.parametrize(
    "text",
    [
        "# Just a heading\n\nanswer\n",
        "\n---\nid: late\nsection: usage\ntitle: t\n---\n\nanswer\n",  # not at the very top
        "---\nid: unclosed\nsection: usage\ntitle: t\n\nanswer\n",  # never closed
        "",
    ],
    ids=["none", "not-first-line", "unclosed", "empty-file"],
)
def test_missing_front_matter(kb: Path, text: str) -> None:
    write(kb / "docs/ko/usage/late.md", text)
    report = check()
    assert found(report) == {("docs/ko/usage/late.md", 1, "front-matter", "error")}
    assert "front matter" in report.problems[0].message


def test_missing_id(kb: Path) -> None:
    write(kb / "docs/ko/usage/noid.md", "---\nsection: usage\ntitle: t\n---\n\nanswer\n")
    [(path, line, message)] = only(check(), "missing-id")
    assert path == "docs/ko/usage/noid.md"
    assert "'id'" in message


@pytest.mark.parametrize(
    "bad_id",
    ["Upper", "under_score", "double--hyphen", "-leading", "trailing-", "한글", "a" * 65, "a.b"],
)
def test_ill_formed_id(kb: Path, bad_id: str) -> None:
    write(
        kb / f"docs/ko/usage/{bad_id}.md",
        f"---\nid: '{bad_id}'\nsection: usage\ntitle: t\n---\n\nanswer\n",
    )
    [(path, line, message)] = only(check(), "id-format")
    assert (path, line) == (f"docs/ko/usage/{bad_id}.md", 2)
    assert "ill-formed id" in message


def test_id_of_64_characters_is_fine(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "a" * 64)
    assert check().problems == ()


def test_id_differs_from_file_name(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "real-id", file_name="other-name.md")
    report = check()
    assert found(report) == {("docs/ko/usage/other-name.md", 2, "id-filename", "error")}
    assert "other-name.md" in report.problems[0].message


def test_section_differs_from_folder(kb: Path) -> None:
    write(
        kb / "docs/ko/usage/moved.md", "---\nid: moved\nsection: deployment\ntitle: t\n---\n\nx\n"
    )
    report = check()
    assert found(report) == {("docs/ko/usage/moved.md", 3, "section-folder", "error")}
    assert "'deployment'" in report.problems[0].message


@pytest.mark.parametrize("body", ["", "\n\n   \n"], ids=["nothing", "blank-lines"])
def test_empty_answer(kb: Path, body: str) -> None:
    write(kb / "docs/ko/usage/empty.md", f"---\nid: empty\nsection: usage\ntitle: t\n---\n{body}")
    assert [(p.path, p.rule) for p in check().problems] == [
        ("docs/ko/usage/empty.md", "empty-answer")
    ]


def test_unclosed_code_fence_points_at_the_opening_line(kb: Path) -> None:
    text = (
        "---\nid: fence\nsection: usage\ntitle: t\n---\n"  # lines 1-5
        "\n"  # 6
        "Closed first:\n"  # 7
        "```sh\n# a comment, not a heading\n```\n"  # 8-10
        "\n"  # 11
        "Then one left open:\n"  # 12
        "~~~python\n"  # 13
        "print('never closed')\n"  # 14
    )
    write(kb / "docs/ko/usage/fence.md", text)
    report = check()
    assert found(report) == {("docs/ko/usage/fence.md", 13, "unclosed-fence", "error")}


def test_closed_fences_pass(kb: Path) -> None:
    body = "````md\n```\nnested\n```\n````\n\n- item\n  ```\n  code\n  ```\n\nuse ```inline``` here"
    write(kb / "docs/ko/usage/fine.md", f"---\nid: fine\nsection: usage\ntitle: t\n---\n\n{body}\n")
    assert check().problems == ()


def test_list_blocks_indented_too_little_to_nest_are_warnings_at_their_line(
    kb: Path, runner: CliRunner
) -> None:
    text = (
        "---\nid: nest\nsection: usage\ntitle: t\n---\n"  # lines 1-5
        "\n"  # 6
        "- Check the key:\n"  # 7
        "  - on the website\n"  # 8: a sub-bullet the site flattens
        "- Build it:\n"  # 9
        "\n"  # 10
        "  ```bash\n"  # 11: a code block the site puts outside the list
        "  DISABLE_CHUNK=1 yarn build\n"
        "  ```\n"
        "\n"
        "- Then wait.\n"  # 15
        "\n"
        "  More about waiting.\n"  # 17: a paragraph the site puts outside the list
        "- Fine:\n"  # 18
        "    - nested by 4\n"
    )
    write(kb / "docs/ko/usage/nest.md", text)
    report = check()
    assert found(report) == {
        ("docs/ko/usage/nest.md", line, "list-indent", "warning") for line in (8, 11, 17)
    }
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 0  # warnings only
    assert (
        "docs/ko/usage/nest.md:8: warning: this nested list is indented 2 spaces under a list"
        " item: the site shows it outside the list; indent it by 4 spaces to keep it in the item"
    ) in result.stdout.splitlines()
    assert "docs/ko/usage/nest.md:11: warning: this code block is indented 2" in result.stdout


def test_the_shipped_knowledge_base_renders_as_indented() -> None:
    root = Path(__file__).resolve().parents[1]
    report = validate(root / "docs", ("ko", "en", "zh", "ja"), "ko", base=root)
    assert [str(p) for p in report.problems if p.rule == "list-indent"] == []


def test_duplicate_alternate_questions(kb: Path) -> None:
    text = (
        "---\n"
        "id: dup\n"  # 2
        "section: usage\n"
        "title: How do I deploy?\n"  # 4
        "questions:\n"
        "  - deploy on vercel\n"  # 6
        "  - Deploy  on VERCEL\n"  # 7: the same, up to case and spaces
        "  - how do i deploy?\n"  # 8: repeats the title
        "  - something else\n"  # 9
        "---\n\nanswer\n"
    )
    write(kb / "docs/ko/usage/dup.md", text)
    problems = sorted(only(check(), "duplicate-question"))
    assert [(line, message.split(":")[0]) for _p, line, message in problems] == [
        (7, "duplicate alternate question"),
        (8, "alternate question repeats the title"),
    ]


def test_full_width_duplicate_is_a_duplicate(kb: Path) -> None:
    text = (
        "---\nid: nfkc\nsection: usage\ntitle: t\nquestions: [ＧＰＴ－４, GPT-4]\n---\n\nanswer\n"
    )
    write(kb / "docs/ko/usage/nfkc.md", text)
    assert [p.rule for p in check().problems] == ["duplicate-question"]


def test_type_errors_and_unknown_keys(kb: Path) -> None:
    text = (
        "---\nid: types\nsection: usage\ntitle: t\n"
        "questions: {a: b}\n"  # 5
        "colour: blue\n"  # 6
        "---\n\nanswer\n"
    )
    write(kb / "docs/ko/usage/types.md", text)
    assert found(check()) == {
        ("docs/ko/usage/types.md", 5, "type", "error"),
        ("docs/ko/usage/types.md", 6, "unknown-key", "warning"),
    }


# ---------------------------------------------------------------------- across entries


def test_duplicate_id_within_a_language(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "deployment", "twice")
    make_entry("ko", "usage", "twice")
    [(path, line, message)] = only(check(), "duplicate-id")
    assert line == 2
    assert "'twice'" in message
    paths = {path, re.search(r"also in (\S+)\)", message).group(1)}  # type: ignore[union-attr]
    assert paths == {"docs/ko/deployment/twice.md", "docs/ko/usage/twice.md"}


def test_same_id_in_two_languages_is_not_a_duplicate(valid_kb: Path) -> None:
    assert only(check(), "duplicate-id") == []


def test_entry_of_default_language_missing_in_another(
    valid_kb: Path, make_entry: MakeEntry
) -> None:
    make_entry("ko", "usage", "gamma")
    report = check()
    [problem] = report.problems
    assert (problem.path, problem.line) == ("docs/ko/usage/gamma.md", 2)
    assert (problem.rule, problem.severity) == ("missing-translation", "warning")
    assert "'gamma'" in problem.message and "en" in problem.message
    assert report.ok  # readers of en get the ko entry until it is translated


def test_entry_missing_in_the_default_language(valid_kb: Path, make_entry: MakeEntry) -> None:
    make_entry("en", "usage", "english-only")
    report = check()
    [problem] = report.problems
    assert (problem.path, problem.line) == ("docs/en/usage/english-only.md", 2)
    assert (problem.rule, problem.severity) == ("missing-source", "error")
    assert "ko" in problem.message


def test_related_pointing_nowhere(kb: Path) -> None:
    text = (
        "---\nid: rel\nsection: usage\ntitle: t\nrelated:\n"
        "  - rel-target\n"  # 6
        "  - nowhere\n"  # 7
        "---\n\nanswer\n"
    )
    write(kb / "docs/ko/usage/rel.md", text)
    write(
        kb / "docs/ko/usage/rel-target.md",
        "---\nid: rel-target\nsection: usage\ntitle: u\n---\n\nx\n",
    )
    [(path, line, message)] = only(check(), "related")
    assert (path, line) == ("docs/ko/usage/rel.md", 7)
    assert "'nowhere'" in message


def test_stale_translation_is_a_warning(valid_kb: Path) -> None:
    source = valid_kb / "docs/ko/usage/alpha.md"
    source.write_text(source.read_text("utf-8").replace("알파 답변.", "바뀐 답변."), "utf-8")
    report = check()
    [problem] = report.problems
    assert (problem.path, problem.rule, problem.severity) == (
        "docs/en/usage/alpha.md",
        "stale",
        "warning",
    )
    assert problem.line == _line_of(valid_kb / "docs/en/usage/alpha.md", "source_hash:")
    assert "stale translation" in problem.message
    assert report.ok


def test_source_whitespace_changes_do_not_make_a_translation_stale(valid_kb: Path) -> None:
    source = valid_kb / "docs/ko/usage/alpha.md"
    source.write_text(
        source.read_text("utf-8").replace("알파 답변.", "알파 답변.   \n\n\n"), "utf-8"
    )
    assert check().problems == ()


def test_unstamped_translation_is_a_warning(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "alpha")
    make_entry("en", "usage", "alpha", translated_from="ko")
    report = check()
    assert found(report) == {("docs/en/usage/alpha.md", 5, "stale", "warning")}
    assert "source_hash" in report.problems[0].message


def test_translated_from_itself_is_an_error(kb: Path, make_entry: MakeEntry) -> None:
    make_entry("ko", "usage", "alpha", translated_from="ko", source_hash="0" * 16)
    assert [(p.rule, p.severity) for p in check().problems] == [("translated-from", "error")]


def _line_of(path: Path, prefix: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(prefix))


# ------------------------------------------------------------- files that are not entries


def test_non_utf8_file_reports_the_line_of_the_bad_byte(kb: Path) -> None:
    data = b"---\nid: latin\nsection: usage\ntitle: t\n---\n\ncaf" + b"\xe9\n"
    write(kb / "docs/ko/usage/latin.md", data)
    report = check()
    assert found(report) == {("docs/ko/usage/latin.md", 7, "encoding", "error")}
    assert "UTF-8" in report.problems[0].message


def test_binary_file(kb: Path) -> None:
    write(kb / "docs/ko/usage/image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    report = check()
    assert found(report) == {("docs/ko/usage/image.md", 1, "binary", "error")}


def test_huge_file_is_reported_not_read(kb: Path) -> None:
    head = "---\nid: huge\nsection: usage\ntitle: t\n---\n\n"
    write(kb / "docs/ko/usage/huge.md", head + "x" * (MAX_FILE_BYTES + 1))
    report = check()
    assert found(report) == {("docs/ko/usage/huge.md", 1, "file-size", "error")}
    assert str(MAX_FILE_BYTES) in report.problems[0].message


def test_file_at_the_size_limit_is_read(kb: Path) -> None:
    head = "---\nid: big\nsection: usage\ntitle: t\n---\n\n"
    write(kb / "docs/ko/usage/big.md", head + "x" * (MAX_FILE_BYTES - len(head) - 1) + "\n")
    assert (kb / "docs/ko/usage/big.md").stat().st_size == MAX_FILE_BYTES
    assert check().problems == ()


def test_utf8_bom_is_accepted(kb: Path) -> None:
    write(kb / "docs/ko/usage/bom.md", "\ufeff---\nid: bom\nsection: usage\ntitle: t\n---\n\nx\n")
    assert check().problems == ()


def test_one_bad_file_does_not_hide_the_others(kb: Path, make_entry: MakeEntry) -> None:
    write(kb / "docs/ko/usage/binary.md", b"\x00\x01\x02")
    make_entry("ko", "usage", "good")
    write(kb / "docs/ko/usage/noid.md", "---\nsection: usage\ntitle: t\n---\n\nx\n")
    report = check()
    assert {p.rule for p in report.problems} == {"binary", "missing-id"}
    assert (report.files, report.entries) == (3, 1)


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")


@needs_symlinks
def test_symlinked_file_pointing_outside_docs(kb: Path, tmp_path: Path) -> None:
    outside = write(tmp_path / "secret.md", "---\nid: link\nsection: usage\ntitle: t\n---\n\nx\n")
    link = kb / "docs/ko/usage/link.md"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    assert found(check()) == {("docs/ko/usage/link.md", 1, "symlink", "error")}


@needs_symlinks
def test_symlinked_section_folder_pointing_outside_docs(kb: Path, tmp_path: Path) -> None:
    write(tmp_path / "elsewhere/evil.md", "---\nid: evil\nsection: usage\ntitle: t\n---\n\nx\n")
    (kb / "docs/ko").mkdir(exist_ok=True)
    (kb / "docs/ko/usage").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert found(check()) == {("docs/ko/usage/evil.md", 1, "symlink", "error")}


@needs_symlinks
def test_symlink_inside_docs_is_fine(kb: Path) -> None:
    real = write(
        kb / "docs/_shared/alpha.md", "---\nid: alpha\nsection: usage\ntitle: t\n---\n\nx\n"
    )
    link = kb / "docs/ko/usage/alpha.md"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    assert check().problems == ()


# ------------------------------------------------------------------------ `faq validate`


def test_cli_clean_base_exits_0_with_a_summary(runner: CliRunner, valid_kb: Path) -> None:
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s) in 4 file(s)" in result.stderr


def test_cli_without_dir_uses_the_configured_docs(runner: CliRunner, valid_kb: Path) -> None:
    (valid_kb / "docs/ko/usage/alpha.md").write_text("no front matter\n", "utf-8")
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 1
    assert "docs/ko/usage/alpha.md:1: missing front matter" in result.stdout


def test_cli_error_exits_1_with_path_line_output(runner: CliRunner, valid_kb: Path) -> None:
    write(
        valid_kb / "docs/ko/usage/moved.md", "---\nid: moved\nsection: other\ntitle: t\n---\n\nx\n"
    )
    write(
        valid_kb / "docs/en/usage/moved.md", "---\nid: moved\nsection: usage\ntitle: t\n---\n\nx\n"
    )
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == ["docs/ko/usage/moved.md:3: section 'other' differs from the folder 'usage'"]
    assert "Traceback" not in result.output
    assert re.search(r"\b1 error\(s\), 0 warning\(s\) in 6 file\(s\)", result.stderr)


def test_cli_warnings_alone_exit_0(runner: CliRunner, valid_kb: Path) -> None:
    source = valid_kb / "docs/ko/usage/alpha.md"
    source.write_text(source.read_text("utf-8").replace("알파 답변.", "새 답변."), "utf-8")
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert re.fullmatch(r"docs/en/usage/alpha\.md:\d+: warning: stale translation: .+", line)
    assert "0 error(s), 1 warning(s)" in result.stderr


def test_cli_strict_makes_warnings_fail(runner: CliRunner, valid_kb: Path) -> None:
    source = valid_kb / "docs/ko/usage/alpha.md"
    source.write_text(source.read_text("utf-8").replace("알파 답변.", "새 답변."), "utf-8")
    assert runner.invoke(cli, ["validate", "--strict", "docs"]).exit_code == 1


def test_cli_every_problem_line_is_path_line_message(runner: CliRunner, kb: Path) -> None:
    write(kb / "docs/ko/usage/a.md", b"\x00")
    write(kb / "docs/ko/usage/b.md", "plain\n")
    write(kb / "docs/ko/usage/c.md", "---\nid: c\nsection: usage\ntitle: t\n---\n\n```\n")
    write(kb / "docs/ko/usage/d.md", "---\nid: d\nsection: usage\ntitle: [\n---\n\nx\n")
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert re.fullmatch(r"docs/ko/usage/[a-d]\.md:[1-9]\d*: (warning: )?\S.*", line), line


def test_cli_json_shape(runner: CliRunner, valid_kb: Path) -> None:
    write(
        valid_kb / "docs/ko/usage/moved.md", "---\nid: moved\nsection: other\ntitle: t\n---\n\nx\n"
    )
    result = runner.invoke(cli, ["validate", "--json", "docs"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"ok", "files", "entries", "languages", "errors", "warnings", "problems"}
    assert data["ok"] is False
    assert (data["files"], data["entries"], data["languages"]) == (5, 5, ["ko", "en"])
    severities = {p["rule"]: p["severity"] for p in data["problems"]}
    assert severities == {"section-folder": "error", "missing-translation": "warning"}
    assert (data["errors"], data["warnings"]) == (1, 1)
    for problem in data["problems"]:
        assert set(problem) == {"path", "line", "severity", "rule", "message"}
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert problem["severity"] in ("error", "warning")


def test_cli_json_clean(runner: CliRunner, valid_kb: Path) -> None:
    result = runner.invoke(cli, ["validate", "--json", "docs"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["problems"] == [] and data["warnings"] == 0


def test_cli_no_entry_files_fails_clearly(runner: CliRunner, kb: Path) -> None:
    result = runner.invoke(cli, ["validate", "docs"])
    assert result.exit_code == 1
    assert "no entry files found" in result.stderr


def test_cli_missing_folder(runner: CliRunner, kb: Path) -> None:
    result = runner.invoke(cli, ["validate", "nowhere"])
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: ")
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.output


def test_cli_absolute_dir_is_shown_relative_to_cwd(runner: CliRunner, valid_kb: Path) -> None:
    write(valid_kb / "docs/ko/usage/bad.md", "plain\n")
    result = runner.invoke(cli, ["validate", str(valid_kb / "docs")])
    assert result.exit_code == 1
    assert result.stdout.startswith("docs/ko/usage/bad.md:1: ")
