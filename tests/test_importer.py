"""faq.importer and `faq import`: the seed page, its traps, id maps, and never overwriting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from faq.cli import cli
from faq.errors import ImporterError
from faq.importer import import_page, plan_import, read_id_map
from faq.loader import parse_entry
from faq.text import ID_PATTERN

NGINX_BLOCK = """```nginx
# 캐시하지 않고, 스트리밍 출력 지원
proxy_cache off;  # 캐시 비활성화
proxy_buffering off;  # 프록시 버퍼링 비활성화
chunked_transfer_encoding on;  # 청크 전송 인코딩 활성화
tcp_nopush on;  # TCP NOPUSH 옵션 활성화, Nagle 알고리즘 금지
tcp_nodelay on;  # TCP NODELAY 옵션 활성화, 지연 ACK 알고리즘 금지
keepalive_timeout 300;  # keep-alive 타임아웃을 65초로 설정
```"""

WritePage = Callable[..., Path]

SECTION_TITLES = ("사용 관련 문제", "웹 서비스 관련 문제", "OpenAI 관련 질문", "배포 관련 질문")


def canonical(id_map: Path) -> list[tuple[str, str]]:
    """(id, section) of each row of the canonical id map, read here independently of faq."""
    rows = []
    for line in id_map.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append((cells[1], cells[2]))
    assert len(rows) == 30
    return rows


def entry_files(out: Path, lang: str = "ko") -> list[Path]:
    return sorted(p for p in (out / lang).glob("*/*.md") if p.name != "index.md")


def read(out: Path, section: str, entry_id: str) -> tuple[str, str]:
    """(title, body) of an imported entry, through the loader."""
    path = out / "ko" / section / f"{entry_id}.md"
    entry, problems = parse_entry(path, "ko", str(path))
    assert entry is not None and problems == [], problems
    return entry.title, entry.body


@pytest.fixture
def imported(tmp_path: Path, seed_page: Path, seed_ids: Path) -> Path:
    out = tmp_path / "out"
    import_page(seed_page, "ko", out, id_map=seed_ids)
    return out


@pytest.fixture
def page(tmp_path: Path) -> WritePage:
    """Write a page (or an id map) into tmp_path."""

    def write(text: str, name: str = "FAQ.md") -> Path:
        path = tmp_path / name
        path.write_text(text, "utf-8")
        return path

    return write


# ------------------------------------------------------------------------- the seed's traps


def test_trap_level2_section_titles_are_sections_not_questions(
    imported: Path, seed_page: Path
) -> None:
    titles = {read(imported, p.parent.name, p.stem)[0] for p in entry_files(imported)}
    assert not titles & set(SECTION_TITLES)
    for section, title in [("usage", "사용 관련 문제"), ("web-services", "웹 서비스 관련 문제")]:
        index = (imported / "ko" / section / "index.md").read_text("utf-8")
        assert f"title: {title}" in index
    # the same without an id map: they open sections, they are not questions
    plan = plan_import(seed_page.read_text("utf-8"))
    assert not {e.title for e in plan.entries} & set(SECTION_TITLES)
    assert set(SECTION_TITLES) <= {s.title for s in plan.sections}


def test_trap_hash_comment_in_code_block_is_code(imported: Path) -> None:
    title, body = read(imported, "deployment", "streaming-nginx")
    assert title == "왜 내 배포 버전에 스트리밍 응답이 없나요?"
    assert NGINX_BLOCK in body
    assert body.rstrip().endswith(
        "netlify에서 배포하는 경우, 이 문제는 아직 해결되지 않았습니다. 기다려 주십시오."
    )
    assert not list(imported.glob("ko/*/*스트리밍*"))


def test_trap_quoted_line_question_becomes_removechild_error(imported: Path) -> None:
    title, body = read(imported, "usage", "removechild-error")
    assert "NotFoundError" in title and "removeChild" in title
    assert not title.startswith("#")
    assert (
        body
        == "브라우저의 자체 자동 번역 기능을 비활성화하고 모든 자동 번역 플러그인을 닫아주세요."
    )
    # the previous entry ends before the quoted question
    _title, css = read(imported, "usage", "css-chunk-error")
    assert "NotFoundError" not in css and "removeChild" not in css
    assert css.rstrip().endswith("사용자가 직접 고려하시기 바랍니다.")


def test_trap_broken_pricing_table_is_kept_verbatim(imported: Path, seed_page: Path) -> None:
    seed_lines = seed_page.read_text("utf-8").splitlines()
    table = seed_lines[217:223]  # header, delimiter, 4 rows: one broken, then a duplicate
    assert table[0].startswith("|모델|") and table[-1].startswith("|GPT-4-32K|")
    _title, body = read(imported, "openai", "api-pricing")
    body_lines = body.splitlines()
    start = body_lines.index(table[0])
    assert body_lines[start : start + 6] == table
    assert body_lines[start + 6 :] == []
    # and the next question is its own entry, not swallowed by the table
    title, following = read(imported, "openai", "gpt35-snapshots")
    assert title.startswith("gpt-3.5-터보와")
    assert "|" not in following


def test_synthetic_traps_together(page: WritePage, tmp_path: Path) -> None:
    source = page(
        "# My FAQ\n\n"
        "## How do I start?\n\nRun this:\n\n```sh\n# not a heading\n## nor this\n```\n\n"
        "## Troubleshooting\n\n"
        '"## Error: it broke" appears.\nRestart it.\n\n'
        "## Why a table?\n\n|a|b|\n|--|--|\n|1|2| |3|\n|4\n"
    )
    plan = plan_import(source.read_text("utf-8"))
    assert [(e.section, e.title) for e in plan.entries] == [
        ("general", "How do I start?"),
        ("troubleshooting", '"Error: it broke" appears.'),
        ("troubleshooting", "Why a table?"),
    ]
    assert plan.entries[0].body.endswith("```sh\n# not a heading\n## nor this\n```")
    assert plan.entries[1].body == "Restart it."
    assert plan.entries[2].body == "|a|b|\n|--|--|\n|1|2| |3|\n|4"


# ---------------------------------------------------------------- the seed, end to end


def test_seed_with_ids_writes_the_30_canonical_entries(
    runner: CliRunner, tmp_path: Path, seed_page: Path, seed_ids: Path
) -> None:
    out = tmp_path / "kb"
    result = runner.invoke(
        cli, ["import", str(seed_page), "--lang", "ko", "--out", str(out), "--ids", str(seed_ids)]
    )
    assert result.exit_code == 0, result.output
    files = entry_files(out)
    assert len(files) == 30
    assert sorted((p.stem, p.parent.name) for p in files) == sorted(canonical(seed_ids))
    for path in files:
        text = path.read_text("utf-8")
        assert text.startswith("---\n")
        assert f"\nid: {path.stem}\n" in text
        assert f"\nsection: {path.parent.name}\n" in text
    assert read(out, "general", "get-help")[0] == "어떻게 빠르게 도움을 받을 수 있나요?"


def test_seed_import_then_validate_passes(
    runner: CliRunner,
    tmp_path: Path,
    seed_page: Path,
    seed_ids: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the shipped settings: four languages, Korean the source; only ko exists so far
    (tmp_path / "faq.toml").write_text(
        'languages = ["ko", "en", "zh", "ja"]\ndefault_language = "ko"\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    args = ["import", str(seed_page), "--lang", "ko", "--out", "kb", "--ids", str(seed_ids)]
    assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(cli, ["validate", "kb"])
    assert result.exit_code == 0, result.output
    # the seed page nests one answer's sub-bullets by 2 spaces, which the site does not nest:
    # the import moves them to 4, so nothing is left to say
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s) in 30 file(s)" in result.stderr
    body = (tmp_path / "kb/ko/openai/token-usage.md").read_text("utf-8").splitlines()
    assert body[14].startswith("    - ") and body[17].startswith("    - ")


def test_seed_without_ids_derives_ascii_slugs(
    runner: CliRunner, tmp_path: Path, seed_page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAQ_LANGUAGES", "ko")
    result = runner.invoke(cli, ["import", str(seed_page), "--lang", "ko", "--out", "kb"])
    assert result.exit_code == 0, result.output
    files = entry_files(tmp_path / "kb")
    assert len(files) == 30
    ids = [p.stem for p in files]
    assert len(set(ids)) == 30
    for entry_id in ids:
        assert entry_id.isascii() and ID_PATTERN.match(entry_id) and len(entry_id) <= 64
    for path in files:
        assert path.parent.name.isascii() and ID_PATTERN.match(path.parent.name)
    assert (tmp_path / "kb/ko/general").is_dir()  # the question before any section
    assert runner.invoke(cli, ["validate", "kb"]).exit_code == 0


def test_reports_what_it_wrote(
    runner: CliRunner, tmp_path: Path, seed_page: Path, seed_ids: Path
) -> None:
    out = tmp_path / "out"
    args = ["import", str(seed_page), "--lang", "ko", "--out", str(out), "--ids", str(seed_ids)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    wrote = [line.removeprefix("wrote ") for line in result.stdout.splitlines()]
    assert all(line.startswith("wrote ") for line in result.stdout.splitlines())
    on_disk = {str(p) for p in out.rglob("*.md")}
    assert set(wrote) == on_disk
    assert len(on_disk) == 36  # 30 entries + 5 section pages + the home page
    assert "30 entries imported" in result.stderr


def test_section_pages_carry_the_section_title_and_intro(imported: Path) -> None:
    deployment = (imported / "ko/deployment/index.md").read_text("utf-8")
    assert deployment.startswith("---\ntitle: 배포 관련 질문\n---\n")
    assert "각종 배포 방법에 대한 자세한 튜토리얼 참조" in deployment
    assert not (imported / "ko/general/index.md").read_text("utf-8").count("##")


# ------------------------------------------------------------------- overwriting, dry run


def _args(seed_page: Path, out: Path, seed_ids: Path, *extra: str) -> list[str]:
    return [
        "import",
        str(seed_page),
        "--lang",
        "ko",
        "--out",
        str(out),
        "--ids",
        str(seed_ids),
        *extra,
    ]


def test_never_overwrites_without_force(
    runner: CliRunner, tmp_path: Path, seed_page: Path, seed_ids: Path
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(cli, _args(seed_page, out, seed_ids)).exit_code == 0
    edited = out / "ko/general/get-help.md"
    edited.write_text("my own edits\n", "utf-8")
    removed = out / "ko/openai/api-pricing.md"
    removed.unlink()
    before = {p: p.read_bytes() for p in out.rglob("*.md")}

    result = runner.invoke(cli, _args(seed_page, out, seed_ids))
    assert result.exit_code != 0
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and "--force" in line and "nothing written" in line
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in out.rglob("*.md")} == before
    assert not removed.exists()


def test_force_overwrites(
    runner: CliRunner, tmp_path: Path, seed_page: Path, seed_ids: Path
) -> None:
    out = tmp_path / "out"
    runner.invoke(cli, _args(seed_page, out, seed_ids))
    edited = out / "ko/general/get-help.md"
    edited.write_text("my own edits\n", "utf-8")
    result = runner.invoke(cli, _args(seed_page, out, seed_ids, "--force"))
    assert result.exit_code == 0, result.output
    assert edited.read_text("utf-8").startswith("---\nid: get-help\n")
    assert f"wrote {edited}" in result.stdout


def test_existing_section_page_is_kept(runner: CliRunner, tmp_path: Path, page: WritePage) -> None:
    source = page("## Usage\n\n## Q1?\n\nA1\n")
    out = tmp_path / "out"
    custom = out / "ko/usage/index.md"
    custom.parent.mkdir(parents=True)
    custom.write_text("---\ntitle: Mine\n---\n", "utf-8")
    result = runner.invoke(cli, ["import", str(source), "--lang", "ko", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert custom.read_text("utf-8") == "---\ntitle: Mine\n---\n"
    assert f"kept existing {custom}" in result.stdout
    assert (out / "ko/usage/q1.md").is_file()


def test_dry_run_writes_nothing(
    runner: CliRunner, tmp_path: Path, seed_page: Path, seed_ids: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, _args(seed_page, out, seed_ids, "--dry-run"))
    assert result.exit_code == 0, result.output
    assert not out.exists()
    head, _rule, *rows = result.stdout.splitlines()
    assert head.split() == ["title", "id", "section", "answer", "errors"]
    assert len(rows) == 30
    assert any(row.split()[-4:-2] == ["streaming-nginx", "deployment"] for row in rows)
    assert "30 entries would be imported" in result.stderr
    # after an import, a dry run still shows the plan (it stopped at the files that exist)
    assert runner.invoke(cli, _args(seed_page, out, seed_ids)).exit_code == 0
    result = runner.invoke(cli, _args(seed_page, out, seed_ids, "--dry-run"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["title", "id", "section", "answer", "errors"]
    assert "streaming-nginx" in result.stdout
    assert "30 file(s) already exist" in result.stderr and "without --force" in result.stderr


# ---------------------------------------------------------------------- id maps and errors


def test_tab_separated_id_map(page: WritePage, tmp_path: Path) -> None:
    source = page("# FAQ\n\n## First question?\n\nOne.\n\n## Second question?\n\nTwo.\n")
    ids = page("First question?\tfirst\tbasics\nSecond…\tsecond\n", name="ids.txt")
    out = tmp_path / "out"
    report = import_page(source, "en", out, id_map=ids)
    assert report.warnings == []
    assert (out / "en/basics/first.md").is_file()
    assert (out / "en/general/second.md").is_file()


def test_id_map_mismatches_are_warned(runner: CliRunner, page: WritePage, tmp_path: Path) -> None:
    source = page("## Known?\n\nYes.\n\n## Not in the map?\n\nStill imported.\n")
    ids = page("Known?\tknown\nGone?\tgone\n", name="ids.txt")
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["import", str(source), "--lang", "en", "--out", str(out), "--ids", str(ids)]
    )
    assert result.exit_code == 0, result.output
    assert "'gone'" in result.stderr and "matched no heading" in result.stderr
    assert "Not in the map?" in result.stderr
    assert {p.stem for p in entry_files(out, "en")} == {"known", "not-in-the-map"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("| # | slug | heading |\n|---|---|---|\n| 1 | a | A? |\n", "no 'id' column"),
        ("| id | section |\n|---|---|\n| a | usage |\n", "no heading/question column"),
        ("| id | heading |\n|---|---|\n| Not_Valid | A? |\n", "ill-formed id 'Not_Valid'"),
        ("just some prose, no table\n", "no id map found"),
        ("| id | section | heading |\n|---|---|---|\n| a |\n", "too few cells"),
    ],
    ids=["no-id-column", "no-heading-column", "bad-id", "no-table", "short-row"],
)
def test_bad_id_map_is_a_clear_error(
    runner: CliRunner,
    tmp_path: Path,
    seed_page: Path,
    page: WritePage,
    content: str,
    message: str,
) -> None:
    ids = page(content, name="ids.md")
    out = tmp_path / "out"
    result = runner.invoke(cli, _args(seed_page, out, ids))
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line
    assert "Traceback" not in result.output
    assert not out.exists()
    with pytest.raises(ImporterError, match="id"):
        read_id_map(ids)


def test_missing_id_map(runner: CliRunner, tmp_path: Path, seed_page: Path) -> None:
    result = runner.invoke(cli, _args(seed_page, tmp_path / "out", tmp_path / "nope.md"))
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: ") and "nope.md" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.md", "not found"),
        (lambda d: _bytes(d / "latin1.md", b"## Caf\xe9?\n\nyes\n"), "cannot read"),
        (lambda d: _bytes(d / "flat.md", b"no headings here\n"), "nothing to import"),
    ],
    ids=["missing", "not-utf8", "no-headings"],
)
def test_bad_page_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    source = make(tmp_path)
    result = runner.invoke(
        cli, ["import", str(source), "--lang", "ko", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line
    assert not (tmp_path / "o").exists()


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_invalid_language_code(runner: CliRunner, tmp_path: Path, seed_page: Path) -> None:
    result = runner.invoke(
        cli, ["import", str(seed_page), "--lang", "Korean!", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: ") and "Korean!" in result.stderr


def test_without_out_writes_into_the_configured_docs(
    runner: CliRunner, kb: Path, seed_page: Path, seed_ids: Path
) -> None:
    result = runner.invoke(cli, ["import", str(seed_page), "--lang", "ko", "--ids", str(seed_ids)])
    assert result.exit_code == 0, result.output
    assert len(entry_files(kb / "docs")) == 30


# ------------------------------------------------------------------------- plan details


def test_level1_only_page_makes_each_heading_a_question(page: WritePage) -> None:
    plan = plan_import(page("# One?\n\nA.\n\n# Two?\n\nB.\n").read_text("utf-8"))
    assert [(e.id, e.section, e.body) for e in plan.entries] == [
        ("one", "general", "A."),
        ("two", "general", "B."),
    ]


def test_derived_ids_are_unique_and_never_empty(page: WritePage) -> None:
    text = "## Same?\n\nA.\n\n## Same?\n\nB.\n\n## ???\n\nC.\n"
    plan = plan_import(page(text).read_text("utf-8"))
    assert [e.id for e in plan.entries] == ["same", "same-2", "entry-3"]
    assert [e.line for e in plan.entries] == [1, 5, 9]


def test_heading_without_body_opens_a_section(page: WritePage) -> None:
    text = "## With answer?\n\nYes.\n\n## Section\n\n## Another?\n\nNo.\n"
    plan = plan_import(page(text).read_text("utf-8"))
    assert [e.title for e in plan.entries] == ["With answer?", "Another?"]
    assert [s.title for s in plan.sections if s.slug == "section"] == ["Section"]


def test_seed_import_validates_from_a_folder_without_settings(
    runner: CliRunner, seed_page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's recipe: `faq import SEED --lang ko --out /tmp/kb` then `faq validate /tmp/kb`,
    run where no faq.toml says the languages: validate checks the language folders it finds."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "kb"
    imported = runner.invoke(cli, ["import", str(seed_page), "--lang", "ko", "--out", str(out)])
    assert imported.exit_code == 0, imported.output
    entries = [p for p in (out / "ko").glob("*/*.md") if p.name != "index.md"]
    assert len(entries) == 30
    assert all("\nid: " in p.read_text("utf-8") for p in entries)
    checked = runner.invoke(cli, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "in 30 file(s), ko" in checked.output
