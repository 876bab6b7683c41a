"""Content tabs (`=== "Label"`, pymdownx.tabbed) in imported answers become plain Markdown."""

from __future__ import annotations

from faq.content_tabs import flatten_content_tabs
from faq.import_plan import plan_import


def test_tabs_become_bold_labels_over_unindented_text() -> None:
    text = (
        'Pick one:\n\n=== "Old"\n    ```ini tab="app.ini"\n    x = 1\n    ```\n\n'
        '===+ "New"\n    Run:\n\n    ```\n    app run\n    ```\n\nDone.'
    )
    assert flatten_content_tabs(text) == (
        "Pick one:\n\n**Old**\n\n`app.ini`\n\n```ini\nx = 1\n```\n\n"
        "**New**\n\nRun:\n\n```\napp run\n```\n\nDone."
    )


def test_text_without_tabs_and_tabs_inside_fences_stay() -> None:
    text = '```\n=== "Not a tab"\n    kept\n```\n\n    indented code\n\nA == B'
    assert flatten_content_tabs(text) == text
    nested = '=== "Linux"\n    === "apt"\n        apt install app'
    assert flatten_content_tabs(nested) == "**Linux**\n\n**apt**\n\napt install app"


def test_an_imported_answer_with_tabs() -> None:
    text = '## How do I install it?\n\n=== "pip"\n    ```\n    pip install app\n    ```\n'
    (entry,) = plan_import(text).entries
    assert entry.body == "**pip**\n\n```\npip install app\n```"
