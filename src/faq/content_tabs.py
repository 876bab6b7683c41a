"""An imported answer's content tabs (pymdownx.tabbed, as mkdocs pages write them) as plain
Markdown: each tab's label in bold over its text, moved back to the answer's margin.

`=== "Setuptools"` over a block indented by four spaces is a tab only with the `tabbed`
extension, which a faq site doesn't load: without it the marker line swallowed the block's
first lines into a paragraph and showed the rest as an indented code block, fences and all.
A code fence's legacy `tab="setup.py"` attribute (the older `superfences` tabs) becomes the
same kind of label. Text inside code fences is left as it is.
"""

from __future__ import annotations

import re

__all__ = ["flatten_content_tabs"]

# `=== "Label"`, `===+ "Label"` (selected), `===! "Label"` (a new tab group): pymdownx.tabbed
_TAB = re.compile(r'^(?P<indent>[ ]{0,3})===[!+]{0,2}[ ]+"(?P<label>[^"\n]+)"[ ]*$')
_FENCE = re.compile(r"^[ ]{0,3}(?P<mark>`{3,}|~{3,})")
_TAB_ATTR = re.compile(r'[ ]+tab="(?P<name>[^"\n]*)"')
TAB_INDENT = 4  # pymdownx.tabbed: a tab's content is indented by four spaces


def flatten_content_tabs(text: str) -> str:
    """`text` (Markdown) with every content tab outside code fences written as a bold label
    line, a blank line and the tab's content unindented by TAB_INDENT; nested tabs likewise.
    Text without tabs comes back unchanged."""
    lines = text.split("\n")
    out: list[str] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if fence:
            out.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group("mark")
            attr = _TAB_ATTR.search(line)
            if attr is not None and attr.group("name").strip():
                out += [f"`{attr.group('name').strip()}`", ""]
                line = line[: attr.start()] + line[attr.end() :]
            out.append(line)
            continue
        tab = _TAB.match(line)
        if tab is None:
            out.append(line)
            continue
        width = len(tab.group("indent")) + TAB_INDENT
        block: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" " * width)):
            block.append(lines[i][width:])
            i += 1
        while block and not block[-1].strip():
            block.pop()
        out += [f"**{tab.group('label').strip()}**", "", flatten_content_tabs("\n".join(block))]
        if i < len(lines):
            out.append("")
    return "\n".join(out)
