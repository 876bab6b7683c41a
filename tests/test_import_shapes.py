"""The FAQ shapes of issue #11, one small snippet each: the right entries, ids, titles, answers
and errors; and a page mixing them imported into a fresh `faq init` folder that builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from faq import slugs
from faq.cli import cli
from faq.errors import ImporterError
from faq.import_plan import ImportPlan, plan_import

DATA = Path(__file__).parent / "data" / "byo-importer"


def shape(plan: ImportPlan) -> list[tuple[str, str, str, str]]:
    return [(e.section, e.id, e.title, e.body) for e in plan.entries]


def test_questions_below_level_2_under_a_section() -> None:
    text = (
        "# FAQ\n\n## Accounts\n\n### How do I reset my password?\n\nRun `app reset`.\n\n"
        "### Can I rename my account?\n\nNo.\n"
    )
    plan = plan_import(text)
    assert shape(plan) == [
        (
            "accounts",
            "how-do-i-reset-my-password",
            "How do I reset my password?",
            "Run `app reset`.",
        ),
        ("accounts", "can-i-rename-my-account", "Can I rename my account?", "No."),
    ]
    assert plan.title == "FAQ"
    # without the `##` line: the questions are still questions
    plan = plan_import(text.replace("## Accounts\n\n", ""))
    assert [e.title for e in plan.entries] == [
        "How do I reset my password?",
        "Can I rename my account?",
    ]
    # with front matter instead of `# FAQ`
    plan = plan_import("---\ntitle: Help\n---\n\nIntro.\n\n" + text.replace("# FAQ\n\n", ""))
    assert [(e.section, e.title) for e in plan.entries][0] == (
        "accounts",
        "How do I reset my password?",
    )
    assert (plan.title, plan.intro) == ("Help", "Intro.")


def test_section_intro_goes_to_the_section_page() -> None:
    plan = plan_import("## Billing\n\nAll about money.\n\n### Is it free?\n\nYes.\n")
    [section] = plan.sections
    assert (section.slug, section.title, section.intro) == (
        "billing",
        "Billing",
        "All about money.",
    )
    assert shape(plan) == [("billing", "is-it-free", "Is it free?", "Yes.")]


def test_setext_headings() -> None:
    text = (
        "How do I reset my password?\n---------------------------\n\nRun `app reset`.\n\n"
        "Is it free?\n-----------\n\nYes.\n"
    )
    assert shape(plan_import(text)) == [
        (
            "general",
            "how-do-i-reset-my-password",
            "How do I reset my password?",
            "Run `app reset`.",
        ),
        ("general", "is-it-free", "Is it free?", "Yes."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Q1: How do I reset my password?\n\nA1: Run app reset.\n\nQ2: Is it free?\n\nA2: Yes.\n",
        "Q: How do I reset my password?\nA: Run app reset.\n\nQ: Is it free?\nA: Yes.\n",
        "**Q:** How do I reset my password?\n**A:** Run app reset.\n\n"
        "**Q: Is it free?**\n\n**A:** Yes.\n",
        "***Q***: How do I reset my password?\n\n***A***: Run app reset.\n\n"
        "**Q**: Is it free?\n\n*A*: Yes.\n",
        "***Q: How do I reset my password?***\n\n***A:*** Run app reset.\n\n"
        "__Q__: Is it free?\n\n__A__: Yes.\n",
    ],
    ids=["numbered", "plain", "bold", "letter-emphasised", "bold-italic"],
)
def test_plain_q_and_a_lines(text: str) -> None:
    assert shape(plan_import(text)) == [
        ("general", "how-do-i-reset-my-password", "How do I reset my password?", "Run app reset."),
        ("general", "is-it-free", "Is it free?", "Yes."),
    ]


def test_q_line_answered_by_the_headings_under_it() -> None:
    # the answer of "Q: How do I move?" is the two headings under it, up to "## Speed"
    text = (
        "# FAQ\n\n## Moving\n\n**Q**: Is it free?\n\n**A**: Yes.\n\n"
        "**Q**: How do I move from the old tool?\n\n### Config\n\nRename `old.ini`.\n\n"
        "### Tests\n\nRun `app test`.\n\n## Speed\n\nQ: Why is it fast?\n\nA: Caching.\n"
    )
    plan = plan_import(text)
    assert shape(plan) == [
        ("moving", "is-it-free", "Is it free?", "Yes."),
        (
            "moving",
            "how-do-i-move-from-the-old-tool",
            "How do I move from the old tool?",
            "### Config\n\nRename `old.ini`.\n\n### Tests\n\nRun `app test`.",
        ),
        ("speed", "why-is-it-fast", "Why is it fast?", "Caching."),
    ]
    # a heading under it that asks is a question of its own: the Q-line is no answer's title
    asked = text.replace("### Tests", "### How do I run the tests?")
    plan = plan_import(asked)
    assert "line 9: question 'How do I move from the old tool?' has no answer: left out" in (
        plan.warnings
    )
    assert [e.id for e in plan.entries] == [
        "is-it-free",
        "config",
        "how-do-i-run-the-tests",
        "why-is-it-fast",
    ]


def test_details_summary_blocks() -> None:
    text = (
        "## Basics\n\n<details>\n<summary>How do I reset my password?</summary>\n\n"
        "Run `app reset`.\n\n- then log in\n\n</details>\n\n"
        "<details><summary><b>Is it free?</b></summary>\nYes.\n</details>\n"
    )
    plan = plan_import(text)
    assert shape(plan) == [
        (
            "basics",
            "how-do-i-reset-my-password",
            "How do I reset my password?",
            "Run `app reset`.\n\n- then log in",
        ),
        ("basics", "is-it-free", "Is it free?", "Yes."),
    ]
    assert not any("<" in e.body for e in plan.entries)


def test_details_blocks_back_to_back() -> None:
    # "</details>" and the next "<details>" on consecutive lines make one HTML block: the
    # second question was lost, every other one of a list of them
    text = (
        "## Install\n\n<details><summary>How do I install with npm?</summary><br>\n\n"
        "Run `npm i app`.\n\n</details>\n<details><summary>How do I install with yarn?</summary>"
        "<br>\n\nRun `yarn add app`.\n\n</details>\n<details><summary>And with pnpm?</summary>\n"
        "\nRun `pnpm add app`.\n</details><details><summary>Is Deno supported?</summary>\n"
        "Yes.\n</details>\n"
    )
    assert shape(plan_import(text)) == [
        ("install", "how-do-i-install-with-npm", "How do I install with npm?", "Run `npm i app`."),
        (
            "install",
            "how-do-i-install-with-yarn",
            "How do I install with yarn?",
            "Run `yarn add app`.",
        ),
        ("install", "and-with-pnpm", "And with pnpm?", "Run `pnpm add app`."),
        ("install", "is-deno-supported", "Is Deno supported?", "Yes."),
    ]


def test_mkdocs_material_collapsible_blocks_are_questions() -> None:
    text = (
        '# Widget FAQ\n\n## Basics\n\n??? question "How do I reset my password?"\n\n'
        "    Run `widget reset`.\n\n    ```sh\n    widget reset --all\n    ```\n\n"
        '???+ faq "Is it free?"\n    Yes.\n\n??? note\n    Not a question.\n\n'
        '!!! question "Not collapsible"\n    An admonition is text.\n'
    )
    plan = plan_import(text, lang="en")
    assert [(e.id, e.title) for e in plan.entries] == [
        ("how-do-i-reset-my-password", "How do I reset my password?"),
        ("is-it-free", "Is it free?"),
    ]
    assert plan.entries[0].body == "Run `widget reset`.\n\n```sh\nwidget reset --all\n```"
    assert plan.entries[1].body == "Yes."
    # what follows the blocks belongs to no question: it stays on the section page
    assert "An admonition is text." in plan.sections[0].intro


def test_q_headings_with_a_answers_and_rules() -> None:
    text = (
        "# FAQ\n\n## Q: How do I reset my password?\n\nA: Run `app reset`.\n\n---\n\n"
        "## Q: Is it free?\n\n**A:** Yes.\n\n---\n\nThanks for reading!\n"
    )
    plan = plan_import(text)
    assert shape(plan) == [
        (
            "general",
            "how-do-i-reset-my-password",
            "How do I reset my password?",
            "Run `app reset`.",
        ),
        ("general", "is-it-free", "Is it free?", "Yes."),
    ]
    assert plan.outro == "Thanks for reading!"


def test_front_matter_without_a_heading_keeps_title_and_intro() -> None:
    text = "---\ntitle: Widget FAQ\n---\n\nRead this first.\n\n## Is it free?\n\nYes.\n"
    plan = plan_import(text)
    assert (plan.title, plan.intro) == ("Widget FAQ", "Read this first.")
    assert shape(plan) == [("general", "is-it-free", "Is it free?", "Yes.")]


def test_question_with_sub_headings_keeps_them_in_its_answer() -> None:
    text = "## How do I install it?\n\nPick your system.\n\n### Linux\n\napt\n\n### macOS\n\nbrew\n"
    [entry] = plan_import(text).entries
    assert entry.title == "How do I install it?"
    assert entry.body.endswith("### macOS\n\nbrew")


def test_ids_keep_whole_words_in_order() -> None:
    def first_id(title: str) -> str:
        return plan_import(f"## {title}\n\nBecause.\n").entries[0].id

    long = "Why do I get null in the controlled components of antd when I use a form with defaults?"
    assert first_id(long) == "why-do-i-get-null-in-the-controlled-components-of-antd-when-i"
    version = "Select cannot be cleared any more after upgrading from version v4.12 to v4.13.1"
    # "v4.13.1" does not fit whole: it is left out, not cut into "…-v4-13" or "…-1"
    assert first_id(version) == "select-cannot-be-cleared-any-more-after-upgrading-from-version"
    assert first_id("Upgrading to v4.13.1 breaks it") == "upgrading-to-v4-13-1-breaks-it"
    assert slugs.fit_words(["aaa", "v4-13-1"], 8) == "aaa"


def test_japanese_ids_without_pykakasi(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slugs, "_kakasi", lambda: None)
    text = (
        "## Dockerでデプロイした後にネットワークエラーが出ます\n\n再起動してください。\n\n"
        "## 設定方法\n\nこちら。\n"
    )
    first, second = plan_import(text, lang="ja").entries
    assert first.id.startswith("docker-depuroi-nettowaakueraa-") and len(first.id) == 36
    assert len(second.id) == 6  # kanji only: six hex digits of the title's hash, stable
    assert plan_import(text, lang="ja").entries[1].id == second.id
    assert slugs._romanise_kana("キャッシュ ジャンプ フォルダー") == "kyasshu janpu forudaa"
    # ウ + a small vowel is w + the vowel; the middle dot separates words
    assert slugs._romanise_kana("ウィジェット ウェブ ソフトウェア") == "wijetto webu sofutowea"
    assert slugs.slug("アカウント・ログイン", fallback="x") == "akaunto-roguin"
    # the maintainer is told why the ids are hashes, and how to get readable ones
    (hint,) = [w for w in plan_import(text, lang="ja").warnings if "faq[ja]" in w]
    assert hint.startswith("2 Japanese title(s)")
    monkeypatch.setattr(slugs, "_kakasi", lambda: str)
    assert not [w for w in plan_import(text, lang="ja").warnings if "faq[ja]" in w]
    assert not plan_import("## 如何安装？\n\n运行。\n", lang="zh").warnings


def test_error_messages_are_extracted() -> None:
    text = (
        "## TypeError: x is not a function\n\nUpdate.\n\n"
        "## Login fails\n\n> ERROR: invalid token\n\nLog in again.\n\n"
        "## Why does the build fail?\n\nI get this error:\n\n```\n"
        'Traceback (most recent call last):\n  File "b.py", line 1\n'
        "ModuleNotFoundError: No module named 'yaml'\n```\n\nInstall it.\n\n"
        "## 启动报错\n\n```\nconnect ECONNREFUSED 127.0.0.1:5432\n```\n\n启动数据库。\n\n"
        "## How do I start?\n\n```sh\n# Error: not an error, a comment in code\napp start\n```\n"
        '## "TLS handshake error: remote error: tls: bad certificate"\n\nRe-add it.\n\n'
        '## The installer fails with "permission denied"\n\nUse sudo.\n\n'
        "## 同步时报错 “401 Unauthorized” 是什么原因？\n\n密码错误。\n\n"
        '## I see "conflict" copies of my files\n\nEdit on one device.\n'
    )
    errors = [e.errors for e in plan_import(text).entries]
    assert errors == [
        ("TypeError: x is not a function",),
        ("ERROR: invalid token",),
        ("ModuleNotFoundError: No module named 'yaml'",),
        ("connect ECONNREFUSED 127.0.0.1:5432",),
        (),
        ("TLS handshake error: remote error: tls: bad certificate",),
        ("permission denied",),
        ("401 Unauthorized",),
        (),  # a quote, but the question is not about an error
    ]


def test_links_into_the_original_site(tmp_path: Path, runner: CliRunner) -> None:
    page = tmp_path / "FAQ.md"
    page.write_text(
        "## How do I reset?\n\n"
        "See [the commands](Commands.md#reset) and [renaming](#can-i-rename).\n\n"
        "## Can I rename?\n\nNo.\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["import", str(page), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "line 3: link 'Commands.md#reset'" in result.stderr and "--base-url" in result.stderr
    body = (out / "en/general/how-do-i-reset.md").read_text("utf-8")
    assert "See the commands and [renaming](can-i-rename.md)." in body
    result = runner.invoke(
        cli,
        [
            "import",
            str(page),
            "--lang",
            "en",
            "--out",
            str(out),
            "--force",
            "--base-url",
            "https://example.org/docs/faq.html",
        ],
    )
    assert result.exit_code == 0 and "warning" not in result.stderr
    body = (out / "en/general/how-do-i-reset.md").read_text("utf-8")
    assert "[the commands](https://example.org/docs/Commands.md#reset)" in body


def test_link_warnings_name_each_links_own_line_in_page_order(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A link a text repeats was reported at its first line each time (three "line 5"), and
    the warnings came entries first, then sections: not in the page's order."""
    page = tmp_path / "FAQ.md"
    page.write_text(
        "## Building\n\nSee [setup](setup.md).\n\n### Why does it fail?\n\n"  # lines 1-5
        "Use [hooks](opts.md#hooks) or [other hooks](opts.md#hooks).\n\n"  # line 7
        "Then [hooks](opts.md#hooks) again, and [repair](opts.md#repair).\n",  # line 9
        "utf-8",
    )
    args = ["import", str(page), "--lang", "en", "--out", str(tmp_path / "out"), "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    found = [
        line.split(": link ")[0] + " " + line.split("'")[1]
        for line in result.stderr.splitlines()
        if ": link " in line
    ]
    assert found == [
        "warning: line 3 setup.md",
        "warning: line 7 opts.md#hooks",
        "warning: line 7 opts.md#hooks",
        "warning: line 9 opts.md#hooks",
        "warning: line 9 opts.md#repair",
    ]


def test_a_restructuredtext_page_says_to_convert_it(tmp_path: Path, runner: CliRunner) -> None:
    """An .rst FAQ was read as Markdown without a word: its "Why?\\n++++" questions became
    the text of one entry."""
    page = tmp_path / "faq.rst"
    page.write_text(
        "FAQ\n---\n\nWhy is it slow?\n+++++++++++++++\n\nIt warms up.\n\n"
        "Can I stop it?\n++++++++++++++\n\nPress Ctrl-C.\n",
        "utf-8",
    )
    args = ["import", str(page), "--lang", "en", "--out", str(tmp_path / "out"), "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "warning: faq.rst is reStructuredText and faq import reads Markdown" in result.stderr
    assert "pandoc -f rst -t gfm -o FAQ.md faq.rst" in result.stderr
    # a page with no question it can read: the error says why, in one line
    page.write_text("Why is it slow?\n+++++++++++++++\n\nIt warms up.\n", "utf-8")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "no questions found" in result.stderr and "pandoc" in result.stderr
    assert "Traceback" not in result.output


def test_mkdocs_includes_are_named(tmp_path: Path, runner: CliRunner) -> None:
    """A mkdocs page's `{% include "x.yml" %}` came into the answer without a word."""
    page = tmp_path / "faq.md"
    page.write_text(
        "## How do I run it on CI?\n\nUse this workflow:\n\n"
        '```yaml\n{% include "../examples/ci.yml" %}\n```\n\n'
        '## Which options are there?\n\n--8<-- "docs/options.md"\n',
        "utf-8",
    )
    args = ["import", str(page), "--lang", "en", "--out", str(tmp_path / "out"), "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "includes a file" in line]
    assert [w.split(":")[1] for w in warnings] == [" line 6", " line 11"]
    assert "'{% include \"../examples/ci.yml\" %}'" in warnings[0]


def test_dry_run_prints_a_table(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "import",
            str(DATA / "mixed-en.md"),
            "--lang",
            "en",
            "--out",
            str(tmp_path / "o"),
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "o").exists()
    head, rule, *rows = result.stdout.splitlines()
    assert head.split() == ["title", "id", "section", "answer", "errors"]
    assert set(rule) <= {"-", " "}
    assert len(rows) == 9
    assert rows[2].split()[-4:] == ["typeerror-x-is-not-a-function", "errors", "39", "1"]


def test_init_then_import_builds_with_no_edits(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kb"
    result = runner.invoke(cli, ["init", str(folder), "--name", "Frob FAQ", "--lang", "en"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(folder)
    result = runner.invoke(cli, ["import", str(DATA / "mixed-en.md"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert not (folder / "docs/en/general/add-a-question.md").exists()  # the placeholder
    checked = runner.invoke(cli, ["validate"])
    assert checked.exit_code == 0 and "0 error(s), 0 warning(s) in 9 file(s)" in checked.stderr
    built = runner.invoke(cli, ["build", "--embedder", "fake"])
    assert built.exit_code == 0, built.output
    home = (folder / "build/site/index.html").read_text("utf-8")
    assert "Frob FAQ" in home and "Frobnicator FAQ" in home and "Thanks for reading!" in home
    assert (folder / "build/site/errors/why-does-the-build-fail/index.html").is_file()


def test_init_refuses_to_overwrite(tmp_path: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    toml = tmp_path / "faq.toml"
    toml.write_text("mine\n", "utf-8")
    result = runner.invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code != 0 and "--force" in result.stderr
    assert toml.read_text("utf-8") == "mine\n"
    assert runner.invoke(cli, ["init", str(tmp_path), "--force"]).exit_code == 0
    assert 'site_name = "FAQ"' in toml.read_text("utf-8")
    bad = runner.invoke(cli, ["init", str(tmp_path / "x"), "--lang", "Korean!"])
    assert bad.exit_code != 0 and "Korean!" in bad.stderr and "Traceback" not in bad.output


def test_korean_and_chinese_ids_and_numbered_headings() -> None:
    text = (
        "## 1. 어떻게 빠르게 도움을 받을 수 있나요?\n\n답.\n\n"
        "## 2、如何使用 Docker 部署？\n\n答。\n\n## 3) 알림을 끄려면?\n\n설정.\n"
    )
    plan = plan_import(text)
    assert [(e.id, e.title) for e in plan.entries] == [
        ("eotteohge-ppareuge-doumeul-badeul-su-itnayo", "어떻게 빠르게 도움을 받을 수 있나요?"),
        ("ru-he-shi-yong-docker-bu-shu", "如何使用 Docker 部署？"),
        ("allimeul-kkeuryeomyeon", "알림을 끄려면?"),
    ]


def test_latin_words_next_to_chinese_stay_words_of_their_own() -> None:
    # text-unidecode puts a space after each Han syllable, none before: "Wget下载" once gave
    # "wgetxia-zai", "v3.2版本" "v3-2ban-ben"
    assert slugs.slug("用Wget下载", fallback="x") == "yong-wget-xia-zai"
    assert slugs.slug("v3.2版本的CSV导出", fallback="x") == "v3-2-ban-ben-de-csv-dao-chu"
    assert slugs.slug("Redis 缓存", fallback="x") == "redis-huan-cun"


def test_page_anchors_point_to_the_entry_or_section(tmp_path: Path) -> None:
    from faq.importer import import_page

    page = tmp_path / "FAQ.md"
    page.write_text(
        "# FAQ\n\n* [Billing](#billing)\n\n## Billing\n\n### Is it free?\n\nYes.\n", "utf-8"
    )
    import_page(page, "en", tmp_path / "out")
    home = (tmp_path / "out/en/index.md").read_text("utf-8")
    assert "* [Billing](billing/index.md)" in home
    # an anchor percent-encoded, as GitHub writes those of non-ASCII headings
    page.write_text(
        "# FAQ\n\n## 設定\n\n`a: 1` と書きます。\n\n## 保存できない\n\n"
        "[設定](#%E8%A8%AD%E5%AE%9A)を見てください。\n",
        "utf-8",
    )
    report = import_page(page, "ja", tmp_path / "ja")
    answer = report.plan.entries[1]
    text = (tmp_path / "ja/ja" / answer.section / f"{answer.id}.md").read_text("utf-8")
    assert f"[設定]({report.plan.entries[0].id}.md)を見てください。" in text


def test_chinese_numbered_sections_get_clean_slugs() -> None:
    text = (
        "## 一、安装与启动\n\nQ1：支持哪些系统？\nA：都支持。\n\n"
        "## 十二、其他\n\nQ2：免费吗？\nA：免费。\n"
    )
    plan = plan_import(text)
    assert [(s.slug, s.title) for s in plan.sections] == [
        ("an-zhuang-yu-qi-dong", "安装与启动"),
        ("qi-ta", "其他"),
    ]


def test_home_and_section_pages_list_the_page_order(tmp_path: Path, runner: CliRunner) -> None:
    """The site's navigation follows these links (faq.site_nav), so it keeps the page's order
    instead of sorting by file name; the section page of `faq init` goes when unused."""
    folder = tmp_path / "kb"
    assert runner.invoke(cli, ["init", str(folder), "--lang", "en"]).exit_code == 0
    page = tmp_path / "FAQ.md"
    page.write_text(
        "# FAQ\n\nIntro, see [Zebra](#zebra).\n\n## Zebra\n\n### Does `a*b_c` match?\n\nFun.\n\n"
        "### Are [they] real?\n\nYes.\n\n## Apes\n\n### Bananas?\n\nMany.\n",
        "utf-8",
    )
    args = ["import", str(page), "--lang", "en", "--out", str(folder / "docs")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    home = (folder / "docs/en/index.md").read_text("utf-8")
    assert "Intro, see [Zebra](zebra/index.md)." in home  # linked already: not listed again
    assert home.count("zebra/index.md") == 1
    assert home.rstrip().endswith("- [Apes](apes/index.md)")
    zebra = (folder / "docs/en/zebra/index.md").read_text("utf-8")
    assert zebra.index("(does-a-b-c-match.md)") < zebra.index("(are-they-real.md)")
    assert r"- [Does a\*b\_c match?](does-a-b-c-match.md)" in zebra
    assert r"- [Are \[they\] real?](are-they-real.md)" in zebra
    assert not (folder / "docs/en/general").exists()  # the placeholder section of `faq init`
    assert "removed placeholder" in result.stdout
    checked = runner.invoke(cli, ["--config", str(folder / "faq.toml"), "validate"])
    assert checked.exit_code == 0, checked.output


def test_import_into_an_unconfigured_language_warns(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "kb"
    assert runner.invoke(cli, ["init", str(folder), "--lang", "en"]).exit_code == 0
    page = tmp_path / "FAQ.md"
    page.write_text("# FAQ\n\n## Est-ce gratuit ?\n\nOui.\n", "utf-8")
    config = ["--config", str(folder / "faq.toml")]
    result = runner.invoke(cli, [*config, "import", str(page), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "'fr' is not one of the configured languages (en)" in result.stderr
    assert (folder / "docs/fr/general/est-ce-gratuit.md").is_file()
    checked = runner.invoke(cli, [*config, "validate"])
    assert "docs/fr:1: warning: 'fr' is not one of the configured languages" in checked.stdout
    fine = runner.invoke(cli, [*config, "import", str(page), "--lang", "en", "--dry-run"])
    assert "configured languages" not in fine.stderr


def test_github_wiki_links(tmp_path: Path, runner: CliRunner) -> None:
    """`[[Page]]` / `[[Text|Page name]]` of a GitHub wiki page were left as literal brackets."""
    page = tmp_path / "Troubleshooting.md"
    page.write_text(
        "## Where is the config?\n\n"
        "See [[Configuration#GUI]] and [[the setup guide|Getting Started]].\n\n"
        "```bash\nif [[ -f config.xml ]]; then echo ok; fi\n```\n",
        "utf-8",
    )
    out = tmp_path / "out"
    args = ["import", str(page), "--lang", "en", "--out", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "line 3: link 'Getting-Started'" in result.stderr
    body = (out / "en/general/where-is-the-config.md").read_text("utf-8")
    assert "See Configuration and the setup guide." in body
    assert "if [[ -f config.xml ]]; then" in body  # code
    wiki = "https://github.com/acme/acme/wiki/Troubleshooting"
    result = runner.invoke(cli, [*args, "--force", "--base-url", wiki])
    assert result.exit_code == 0 and "warning" not in result.stderr
    body = (out / "en/general/where-is-the-config.md").read_text("utf-8")
    assert (
        "See [Configuration](https://github.com/acme/acme/wiki/Configuration#gui) and"
        " [the setup guide](https://github.com/acme/acme/wiki/Getting-Started)." in body
    )


def test_bold_question_lines() -> None:
    """A common README shape: each question a bold line; it was one entry named after the page."""
    text = (
        "# FAQ\n\n## Install\n\n**How do I install it?**\nRun `pip install foo`.\n\n"
        "**1. Does it work on Windows?**\n\nYes, since 2.0.\n\n## Speed\n\n"
        "__Why is it slow?__\n\nTurn on the cache.\n\n**Note**\n\nIt is still young.\n"
    )
    assert shape(plan_import(text)) == [
        ("install", "how-do-i-install-it", "How do I install it?", "Run `pip install foo`."),
        ("install", "does-it-work-on-windows", "Does it work on Windows?", "Yes, since 2.0."),
        (
            "speed",
            "why-is-it-slow",
            "Why is it slow?",
            "Turn on the cache.\n\n**Note**\n\nIt is still young.",
        ),
    ]


def test_bold_lines_inside_answers_stay_there() -> None:
    text = "## How do I install?\n\n**Why pip?**\n\nBecause.\n\n**Why not conda?**\n\nAlso.\n"
    [entry] = plan_import(text).entries
    assert entry.title == "How do I install?" and "**Why not conda?**" in entry.body
    one = "# FAQ\n\nIntro.\n\n**Is it free?**\n\nYes.\n"  # one bold line: not enough to tell
    with pytest.raises(ImporterError, match="no questions found"):
        plan_import(one)


def test_a_page_without_questions_is_refused() -> None:
    """Its title was imported as the one entry ("FAQ", answer: the whole page)."""
    for text in ("# FAQ\n\nJust some text.\n", "Just some text.\n"):
        with pytest.raises(ImporterError, match="no questions found"):
            plan_import(text)
    [entry] = plan_import("# How do I reset my password?\n\nClick reset.\n").entries
    assert (entry.id, entry.body) == ("how-do-i-reset-my-password", "Click reset.")


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path, runner: CliRunner) -> None:
    page = tmp_path / "FAQ.md"
    page.write_text("## Is it free?\n\nYes.\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "en").write_text("a file where the language folder goes", "utf-8")
    result = runner.invoke(cli, ["import", str(page), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("Error: cannot write ") and "is-it-free.md" in line


def test_init_keeps_a_test_part_of_the_gold_questions_apart(tmp_path: Path) -> None:
    from faq.config import load_settings
    from faq.evaluate import gold_files
    from faq.scaffold import init_knowledge_base

    init_knowledge_base(tmp_path, "Frob FAQ", ("en",))
    (tmp_path / "gold/test").mkdir()
    for rel in ("gold/tune.jsonl", "gold/test/held-out.jsonl"):
        (tmp_path / rel).write_text('{"q": "x", "lang": "en", "expect": null}\n', "utf-8")
    settings = load_settings(config=tmp_path / "faq.toml")
    # what `faq build` tunes on and what `faq eval` reports never overlap
    assert gold_files(settings.root, settings.gold) == [tmp_path / "gold/tune.jsonl"]
    assert gold_files(settings.root, settings.gold_test) == [tmp_path / "gold/test/held-out.jsonl"]
    assert "gold/test/*.jsonl" in (tmp_path / "gold/README.md").read_text("utf-8")


def test_sections_keep_their_text_and_same_titles_are_told_apart() -> None:
    text = (
        "# Widget\n\n## Reference\n\n### Load\n\nCall `load()` first.\n\n#### Options\n\n"
        "##### strict\n\nFail on unknown keys.\n\n### Dump\n\nCall `dump()`.\n\n#### Options\n\n"
        "##### indent\n\nSpaces per level.\n\n## Options\n\n### colour\n\nOn by default.\n"
    )
    plan = plan_import(text, lang="en")
    assert [(s.slug, s.title) for s in plan.sections] == [
        ("load", "Load"),  # its own text stays, on its section page
        ("options", "Options"),
        ("dump", "Dump"),
        ("dump-options", "Options (Dump)"),
        ("options-2", "Options"),
    ]
    assert [(e.id, e.section) for e in plan.entries] == [
        ("strict", "options"),
        ("indent", "dump-options"),
        ("colour", "options-2"),
    ]
    assert "Call `load()` first." in plan.sections[0].intro


@pytest.mark.parametrize(
    ("own", "answers"),
    [
        ("Install it with pip:\n\n```sh\npip install widget\n```", True),
        ("- Python 3.10 or newer\n- a C compiler", True),
        (
            "Widget runs on Linux, macOS and Windows. On Windows, put its folder on PATH first.",
            True,
        ),
        ("在 Windows 上先把安装目录加入 PATH。然后重新打开终端。", True),
        ("Questions about installing:", False),
        ("Widget's API serves these endpoints.", False),
        ("Questions about installing. See below.", False),
        ("API 服务提供了以下接口：", False),
        (
            "See [the guide](https://example.org/install) and [the FAQ](https://example.org/faq).",
            False,
        ),
    ],
)
def test_a_sections_own_text_that_answers_is_also_its_first_entry(own: str, answers: bool) -> None:
    text = f"# Widget\n\n## Installation\n\n{own}\n\n### Why does pip fail?\n\nUpgrade pip.\n"
    plan = plan_import(text, lang="en")
    question = ("installation", "why-does-pip-fail", "Why does pip fail?", "Upgrade pip.")
    if answers:
        assert shape(plan) == [("installation", "installation", "Installation", own), question]
    else:  # a lead-in stays on the section page
        assert shape(plan) == [question]
    assert [(s.slug, s.intro) for s in plan.sections] == [("installation", "" if answers else own)]


@pytest.mark.parametrize(
    "heading", ["FAQ", "❓ 常见问题", "よくある質問", "자주 묻는 질문", "Troubleshooting"]
)
def test_bold_labels_listed_under_a_faq_heading_are_questions(heading: str) -> None:
    text = (
        "# Widget\n\n## Features\n\n- **Fast**\n  Starts in 10 ms.\n- **Small**\n  One file.\n\n"
        f"## {heading}\n\n1. **Slow first start**  \n   The model loads once; reuse the object.\n"
        "   ```python\n   w = Widget()\n   ```\n2. **Blurry output**\n   Raise `scale` to 2.\n"
    )
    plan = plan_import(text, lang="en")
    assert [(e.title, e.body) for e in plan.entries] == [
        ("Features", "- **Fast**\n  Starts in 10 ms.\n- **Small**\n  One file."),
        (
            "Slow first start",
            "The model loads once; reuse the object.\n```python\nw = Widget()\n```",
        ),
        ("Blurry output", "Raise `scale` to 2."),
    ]


def test_a_numbered_faq_list_goes_on_after_an_answers_paragraph() -> None:
    text = (
        "## FAQ\n\n1. **Slow first start**\n   Reuse the object.\n2. **Blurry output**\n"
        "   Raise `scale`:\n\n```sh\nwidget --scale 2\n```\n\n"
        "3. **Wrong colours**\n   Set `srgb`.\n\n"
        "- **Linux**\n  apt install widget\n- **macOS**\n  brew install widget\n"
    )
    plan = plan_import(text, lang="en")
    assert [e.title for e in plan.entries] == [
        "Slow first start",
        "Blurry output",
        "Wrong colours",
    ]
    assert "widget --scale 2" in plan.entries[1].body
    assert plan.entries[2].body.endswith("- **macOS**\n  brew install widget")


def test_the_first_level_1_heading_names_the_page_even_when_it_is_a_question() -> None:
    text = "# widget\n\nA tool that frobs.\n\n# Installation\n\nRun the installer.\n"
    plan = plan_import(text, lang="en")
    assert plan.title == "widget"
    assert [e.title for e in plan.entries] == ["widget", "Installation"]


def test_a_first_level_1_heading_after_the_pages_own_text_does_not_name_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A README that opens with what it is, then "# News": the site's home page read "News"."""
    links = "[English](README.md) | [中文](README.zh.md)\n\n"
    text = (
        f"<!-- Licensed under the MIT licence -->\n\n{links}"
        "Widget frobs the knobs of every file you give it, quickly and safely.\n\n"
        "# News\n\n- 2.0 frobs twice as fast.\n\n# Installation\n\nRun the installer.\n"
    )
    plan = plan_import(text, lang="en")
    assert plan.title == ""
    assert [e.title for e in plan.entries] == ["News", "Installation"]
    # links to its translations are no text of its own: "# widget" still names the page
    text = f"{links}# widget\n\nA tool that frobs.\n\n# Installation\n\nRun the installer.\n"
    assert plan_import(text, lang="en").title == "widget"
    # without a title, the home page takes the site's name (`faq init --name`)
    assert runner.invoke(cli, ["init", str(tmp_path), "--name", "Widget FAQ"]).exit_code == 0
    page = tmp_path / "README.md"
    page.write_text(
        "Widget frobs the knobs of every file, quickly and safely, " * 2 + "\n\n"
        "# News\n\n- 2.0 frobs twice as fast.\n\n# Usage\n\nRun it.\n",
        "utf-8",
    )
    args = ["--config", str(tmp_path / "faq.toml"), "import", str(page), "--lang", "en"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    home = (tmp_path / "docs/en/index.md").read_text("utf-8")
    assert home.startswith("---\ntitle: Widget FAQ\n---\n")


def test_questions_with_the_same_title_are_told_apart_by_their_section() -> None:
    text = (
        "# Widget\n\n## Server\n\n### timeout\n\nSeconds before a request fails.\n\n"
        "### port\n\nWhere it listens.\n\n## Client\n\n### timeout\n\nSeconds to wait.\n"
    )
    plan = plan_import(text, lang="en")
    assert [(e.id, e.section, e.title) for e in plan.entries] == [
        ("timeout-server", "server", "timeout (Server)"),
        ("port", "server", "port"),  # a title of its own stays as it is
        ("timeout-client", "client", "timeout (Client)"),
    ]
    # under a section told apart itself ("Options (Dump)"), without nested brackets
    text = (
        "# Widget\n\n## Load\n\n### Options\n\n#### strict\n\nFail on unknown keys.\n\n"
        "## Dump\n\n### Options\n\n#### strict\n\nFail on values it cannot write.\n"
    )
    titles = [e.title for e in plan_import(text, lang="en").entries]
    assert titles == ["strict (Options)", "strict (Options, Dump)"]


def test_mkdocs_attr_list_anchors_stay_out_of_titles_and_ids() -> None:
    """mkdocs pages write `### Title {: #anchor}`: the anchor was kept in titles, ids, sections."""
    text = (
        "# Widget tips\n\n## Speed {: #speed }\n\nIt caches.\n\n### Warm the cache {: #warm}\n\n"
        "Run `widget warm`.\n\n## Why is it slow? {#slow}\n\nThe first run fills the cache.\n"
    )
    plan = plan_import(text, lang="en")
    assert [(s.slug, s.title) for s in plan.sections] == [
        ("speed", "Speed"),
        ("general", "General"),
    ]
    assert [(e.id, e.section, e.title) for e in plan.entries] == [
        ("warm-the-cache", "speed", "Warm the cache"),
        ("why-is-it-slow", "general", "Why is it slow?"),
    ]


def test_double_brackets_in_an_indented_fence_are_code_not_wiki_links(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A TOML `[[tool.x]]` in a fence inside an admonition lost its brackets, with a warning."""
    page = tmp_path / "faq.md"
    page.write_text(
        '## How do I pin a version per Python?\n\n!!! tab "pip"\n    Add an override:\n\n'
        '    ```toml\n    [[tool.widget.overrides]]\n    select = "cp3*"\n    ```\n\n'
        "- Or in a list:\n\n    ```toml\n    [[tool.widget.overrides]]\n    ```\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(cli, ["import", str(page), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    body = (out / "en/general/how-do-i-pin-a-version-per-python.md").read_text("utf-8")
    assert body.count("    [[tool.widget.overrides]]") == 2
