"""Reference links of imported answers: definitions carried, undefined ones as plain text."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from faq.cli import cli
from faq.import_plan import plan_import
from faq.ref_links import carry_references, page_definitions

PAGE = (
    "# FAQ\n\nThe app needs [the runtime][rt].\n\n[rt]: https://rt.example/get\n\n"
    "## Why does it crash on Windows?\n\nInstall [the runtime][RT] first; see [Docs][].\n\n"
    "## Is it free?\n\nYes, see [the licence][lic] and `[not][a link]`.\n\n"
    "[docs]: <https://app.example/docs> 'Docs'\n"
)


def test_definitions_of_the_page() -> None:
    lines = [*PAGE.split("\n"), "```", "[code]: https://no.example", "```"]
    assert page_definitions(lines) == {
        "rt": "[rt]: https://rt.example/get",
        "docs": "[docs]: <https://app.example/docs> 'Docs'",
    }


def test_an_answer_carries_the_definitions_it_uses() -> None:
    defs = page_definitions(PAGE.split("\n"))
    carried = carry_references("Install [the runtime][RT] first; see [Docs][].", defs)
    assert carried.text == (
        "Install [the runtime][RT] first; see [Docs][].\n\n"
        "[rt]: https://rt.example/get\n[docs]: <https://app.example/docs> 'Docs'"
    )
    assert carried.undefined == []
    # a reference defined nowhere reads as its text; code spans and fences stay as written
    carried = carry_references(
        "See [the licence][lic] and `[not][a link]`.\n```\n[x][y]\n```", defs
    )
    assert carried.text == "See the licence and `[not][a link]`.\n```\n[x][y]\n```"
    assert carried.undefined == ["[the licence][lic]"]
    # its own definition: nothing to add; an image's reference is left alone
    own = "Use [it][rt].\n\n![logo][rt]\n\n[rt]: https://own.example"
    assert carry_references(own, defs).text == own


def test_imported_entries_keep_their_links(tmp_path: Path) -> None:
    plan = plan_import(PAGE)
    crash, free = plan.entries
    assert crash.body.endswith(
        "[rt]: https://rt.example/get\n[docs]: <https://app.example/docs> 'Docs'"
    )
    # the definitions at the page's end are the last answer's text: they stay (and show nothing)
    assert free.body.startswith("Yes, see the licence and `[not][a link]`.\n")
    assert any("'[the licence][lic]' is defined nowhere" in w for w in plan.warnings)
    # a relative definition written as plain text takes its references with it
    page = tmp_path / "FAQ.md"
    page.write_text(PAGE.replace("https://rt.example/get", "../runtime.md"), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "kb"), "--lang", "en"]).exit_code == 0
    out = tmp_path / "kb" / "docs"
    result = runner.invoke(cli, ["import", str(page), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    answer = (out / "en" / "general" / "why-does-it-crash-on-windows.md").read_text("utf-8")
    assert "Install the runtime first; see [Docs][]." in answer
    assert "[docs]: <https://app.example/docs> 'Docs'" in answer
    assert "[rt]" not in answer and "[RT]" not in answer
