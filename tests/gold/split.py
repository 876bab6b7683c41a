"""Split the gold questions into a calibration part and a frozen test part, with no leak between.

    .venv/bin/python tests/gold/split.py          # re-split tests/gold/{calibration,test}/*.jsonl
    .venv/bin/python tests/gold/split.py --check  # exit 1 if the files are not what it would write

`faq build` calibrates on `tests/gold/calibration/*.jsonl` (setting `gold`); `faq eval` reports
`tests/gold/test/*.jsonl` (setting `gold_test`), which `faq build` never reads. An honest test
asks about entries whose questions calibration never saw, so the split is by entry, not by line:

1. Answerable questions are grouped by their expected entry id: every question about one entry,
   in every language, cross-lingual ones included, goes to the same part. The 30 entries are
   dealt out section by section (sections in name order; inside a section, entries in the order
   of `sha256(id)`), alternating between the parts; each section starts with the part that has
   fewer entries so far (calibration on a tie). That gives 15 + 15 entries, each section split
   as evenly as it can be.
2. Off-topic questions (`expect: null`) are grouped into clusters of near-paraphrases, so that
   no cluster straddles the parts: two of them are linked when their character similarity
   (`gold_rules.above`) is above `CLUSTER_BOUND` (lower than the copy bound, to be safe), or when
   they share a Latin-script term (a product, error or file name such as `librechat` or `webdav`)
   that occurs in at least two languages but in at most one off-topic question per language:
   that is how translations of one question are caught, since their characters differ.
   Clusters are dealt out in the order of the smallest `sha256` of their questions, each to the
   part with fewer off-topic questions so far.

Nothing is random: the same lines always give the same parts. Lines are written one file per
reader language (`lang`), ordered by entry (the order of the knowledge base's ids), then
cross-lingual last, then by text; off-topic ones at the end. Edit the files by hand (add, fix
or remove lines in either part), then run this script to re-split; `tests/test_gold.py` fails
when the files are not as this script writes them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # tests/, for gold_rules

from faq.config import load_settings  # noqa: E402
from faq.loader import load  # noqa: E402
from faq.text import norm_key  # noqa: E402
from gold_rules import above  # noqa: E402

PARTS = ("calibration", "test")
CLUSTER_BOUND = 0.6  # off-topic questions more alike than this stay in one part
_TERM = re.compile(r"[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*")
# terms too common in this domain to mean two questions are one
_COMMON = {"api", "the", "and", "for", "how", "can", "not", "with", "chatgpt", "openai", "gpt"}

Line = dict[str, object]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(directory: Path = HERE) -> list[Line]:
    """Every gold line of both parts, as parsed JSON objects."""
    lines: list[Line] = []
    for part in PARTS:
        for path in sorted((directory / part).glob("*.jsonl")):
            for text in path.read_text("utf-8").splitlines():
                if text.strip():
                    lines.append(json.loads(text))
    return lines


def entry_parts(sections: dict[str, str]) -> dict[str, str]:
    """Entry id -> part: each section's entries alternate, starting with the smaller part."""
    by_section: dict[str, list[str]] = defaultdict(list)
    for entry_id, section in sections.items():
        by_section[section].append(entry_id)
    count = dict.fromkeys(PARTS, 0)
    out: dict[str, str] = {}
    for section in sorted(by_section):
        first = min(PARTS, key=lambda p: (count[p], PARTS.index(p)))
        order = (first, *(p for p in PARTS if p != first))
        for i, entry_id in enumerate(sorted(by_section[section], key=_sha)):
            part = order[i % 2]
            out[entry_id] = part
            count[part] += 1
    return out


def off_topic_clusters(questions: list[tuple[str, str]]) -> list[list[int]]:
    """Indexes of `(lang, question)` pairs grouped into clusters of near-paraphrases and
    translations (see the module docstring)."""
    keys = [norm_key(q) for _, q in questions]
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            if above(keys[i], keys[j], CLUSTER_BOUND):
                join(i, j)
    users: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for term in set(_TERM.findall(key)):
            if len(term) >= 3 and term not in _COMMON:
                users[term].append(i)
    for members in users.values():
        langs = [questions[i][0] for i in members]
        if len(set(langs)) == len(langs) > 1:  # once per language, in several languages
            for j in members[1:]:
                join(members[0], j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        clusters[root(i)].append(i)
    # ordered by their members' smallest hash: the order the lines are read in changes nothing
    return sorted(clusters.values(), key=lambda c: min(_sha(keys[i]) for i in c))


def split(lines: list[Line], sections: dict[str, str]) -> dict[str, list[Line]]:
    """Part -> its lines (see the module docstring for the rule)."""
    parts: dict[str, list[Line]] = {p: [] for p in PARTS}
    of_entry = entry_parts(sections)
    off = [g for g in lines if g["expect"] is None]
    for g in lines:
        if g["expect"] is not None:
            parts[of_entry[str(g["expect"])]].append(g)
    count = dict.fromkeys(PARTS, 0)
    for cluster in off_topic_clusters([(str(g["lang"]), str(g["q"])) for g in off]):
        part = min(PARTS, key=lambda p: (count[p], PARTS.index(p)))
        parts[part].extend(off[i] for i in cluster)
        count[part] += len(cluster)
    return parts


def render(lines: list[Line], order: list[str]) -> dict[str, str]:
    """File name -> content for one part: one file per reader language, in a stable order."""
    position = {entry_id: i for i, entry_id in enumerate(order)}

    def key(g: Line) -> tuple[int, str, str]:
        expect = g["expect"]
        at = position[str(expect)] if expect is not None else len(order)
        return at, str(g.get("qlang") or ""), str(g["q"])

    files: dict[str, list[Line]] = defaultdict(list)
    for g in lines:
        files[f"{g['lang']}.jsonl"].append(g)
    return {
        name: "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in sorted(group, key=key))
        for name, group in sorted(files.items())
    }


def knowledge_base() -> tuple[dict[str, str], list[str]]:
    """The shipped entries' sections by id, and the ids in the knowledge base's order."""
    settings = load_settings(ROOT / "faq.toml", env={})
    entries = load(settings.docs, settings.languages).entries
    first = [e for e in entries if e.lang == settings.default_language]
    table = (ROOT / "tests" / "data" / "faq-entry-ids.md").read_text("utf-8")
    order = re.findall(r"^\|\s*\d+\s*\|\s*([a-z0-9-]+)\s*\|", table, re.M)
    return {e.id: e.section for e in first}, order


def expected_files(directory: Path = HERE) -> dict[Path, str]:
    """Every part file as this script would write it from the lines there now."""
    sections, order = knowledge_base()
    parts = split(read(directory), sections)
    return {
        directory / part / name: text
        for part in PARTS
        for name, text in render(parts[part], order).items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args()
    wanted = expected_files()
    present = {p for part in PARTS for p in (HERE / part).glob("*.jsonl")}
    stale = sorted(p for p in present | set(wanted) if p not in wanted or _read(p) != wanted[p])
    if args.check:
        for path in stale:
            print(f"not as split.py writes it: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path in present - set(wanted):
        path.unlink()
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    for part in PARTS:
        n = sum(t.count("\n") for p, t in wanted.items() if p.parent.name == part)
        print(f"{part}: {n} lines")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text("utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
