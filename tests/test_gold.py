"""Gold questions and gold-less knowledge bases (test and dev): well-formed, no copies, disjoint
parts.

The copy rule (a similarity bound, not an exact-copy check) is defined once, in `gold_rules`;
the split into `tests/gold/calibration/` and `tests/gold/test/` is `tests/gold/split.py`'s.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from faq.config import load_settings
from faq.evaluate import gold_files
from faq.import_plan import plan_import
from faq.loader import load
from faq.models import Entry
from faq.text import ID_PATTERN, MAX_QUERY_CHARS, norm_key
from gold_rules import BOUND, Text, copies, entry_texts, similar_pairs

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
PARTS = ("calibration", "test")
LANGS = ("ko", "en", "zh", "ja")
MIN_PER_ENTRY = 5  # questions per entry and reader language (not counting cross-lingual ones)
MIN_OFF_TOPIC = 0.10  # share of off-topic questions, per part and reader language

Line = dict[str, object]


@cache
def entries() -> tuple[Entry, ...]:
    settings = load_settings(ROOT / "faq.toml", env={})
    return load(settings.docs, settings.languages).entries


@cache
def part(name: str) -> tuple[tuple[str, int, Line], ...]:
    """`(file name, line number, line)` of every line of one part."""
    out = []
    for path in sorted((GOLD / name).glob("*.jsonl")):
        for number, text in enumerate(path.read_text("utf-8").splitlines(), 1):
            out.append((path.name, number, json.loads(text)))
    return tuple(out)


def lines(name: str) -> list[Line]:
    return [g for _, _, g in part(name)]


def test_both_parts_exist_one_file_per_language() -> None:
    for name in PARTS:
        assert sorted(p.name for p in (GOLD / name).glob("*.jsonl")) == sorted(
            f"{lang}.jsonl" for lang in LANGS
        )
    assert not list(GOLD.glob("*.jsonl")), "gold lines belong in calibration/ or test/"


@pytest.mark.parametrize("name", PARTS)
def test_lines_are_well_formed(name: str) -> None:
    for file, number, g in part(name):
        where = f"{name}/{file}:{number}"
        assert set(g) <= {"q", "lang", "expect", "qlang"}, where
        assert isinstance(g["q"], str) and g["q"].strip(), where
        assert len(g["q"]) <= MAX_QUERY_CHARS, where
        assert g["lang"] in LANGS and file == f"{g['lang']}.jsonl", where
        assert g["expect"] is None or (
            isinstance(g["expect"], str) and ID_PATTERN.match(g["expect"])
        ), where
        if "qlang" in g:
            assert isinstance(g["qlang"], str) and g["qlang"] != g["lang"], where


def test_every_expected_entry_exists_in_every_language() -> None:
    have = Counter(e.id for e in entries())
    expected = {g["expect"] for name in PARTS for g in lines(name) if g["expect"] is not None}
    assert {i: have[i] for i in expected if have[i] != len(LANGS)} == {}


def test_no_question_twice() -> None:
    keys = Counter(norm_key(str(g["q"])) for name in PARTS for g in lines(name))
    assert [k for k, n in keys.items() if n > 1] == []


def test_no_gold_question_copies_an_entry_text() -> None:
    """The bound: see `gold_rules` for the rule (ratio, titles, pasted errors with context)."""
    texts = entry_texts(entries())
    bad = [
        f"{name}/{file}:{number}: {reason}"
        for name in PARTS
        for file, number, g in part(name)
        for reason in copies(str(g["q"]), texts)
    ]
    assert bad == []


def test_the_parts_share_no_entry_and_no_near_paraphrase() -> None:
    calibration, test = lines("calibration"), lines("test")
    ids = [{g["expect"] for g in p if g["expect"] is not None} for p in (calibration, test)]
    assert ids[0] & ids[1] == set()
    assert ids[0] | ids[1] == {e.id for e in entries()}
    assert abs(len(ids[0]) - len(ids[1])) <= 1
    keys = [[norm_key(str(g["q"])) for g in p] for p in (calibration, test)]
    close = [
        (calibration[i]["q"], test[j]["q"], round(r, 2))
        for i, j, r in similar_pairs(keys[0], keys[1], BOUND)
    ]
    assert close == []


@pytest.mark.parametrize("name", PARTS)
def test_every_entry_of_a_part_is_asked_in_every_language(name: str) -> None:
    mine = lines(name)
    ids = {g["expect"] for g in mine if g["expect"] is not None}
    per = Counter((g["lang"], g["expect"]) for g in mine if g["expect"] and "qlang" not in g)
    thin = {(lang, i): per[(lang, i)] for lang in LANGS for i in ids}
    assert {k: n for k, n in thin.items() if n < MIN_PER_ENTRY} == {}
    cross = {g["lang"] for g in mine if "qlang" in g}
    assert cross == set(LANGS)


@pytest.mark.parametrize("name", PARTS)
def test_each_part_has_enough_off_topic_questions(name: str) -> None:
    for lang in LANGS:
        mine = [g for g in lines(name) if g["lang"] == lang]
        off = sum(g["expect"] is None for g in mine)
        assert off / len(mine) >= MIN_OFF_TOPIC, (name, lang, off, len(mine))


def test_the_split_is_as_split_py_writes_it() -> None:
    """Edit either part by hand, then run `tests/gold/split.py`: this fails until you do."""
    sys.path.insert(0, str(GOLD))
    try:
        import split
    finally:
        sys.path.remove(str(GOLD))
    stale = [
        str(path.relative_to(ROOT))
        for path, text in split.expected_files().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    assert stale == []


def test_the_split_does_not_depend_on_the_order_of_the_lines() -> None:
    """Moving lines between the files, or reordering them, must not move them between parts."""
    sys.path.insert(0, str(GOLD))
    try:
        import split
    finally:
        sys.path.remove(str(GOLD))
    sections, _order = split.knowledge_base()
    lines = split.read()

    def parts(lines: list[dict[str, object]]) -> dict[str, set[str]]:
        return {p: {str(g["q"]) for g in got} for p, got in split.split(lines, sections).items()}

    assert parts(lines) == parts(lines[::-1])


def test_build_calibrates_on_one_part_and_eval_reports_the_other() -> None:
    settings = load_settings(ROOT / "faq.toml", env={})
    calibration = set(gold_files(settings.root, settings.gold))
    test = set(gold_files(settings.root, settings.gold_test))
    assert calibration == {p.resolve() for p in (GOLD / "calibration").glob("*.jsonl")}
    assert test == {p.resolve() for p in (GOLD / "test").glob("*.jsonl")}
    assert calibration and test and not calibration & test


BYO = ROOT / "tests" / "data" / "byo"
BYO_PAGES = sorted(p for p in BYO.glob("*.md") if p.name != "README.md")
_HEADING = re.compile(r"^### (.+?)\s*$", re.M)


def test_there_are_byo_pages_in_english_and_a_cjk_language() -> None:
    assert len(BYO_PAGES) >= 2
    langs = {json.loads(line)["lang"] for p in BYO_PAGES for line in _questions(p).splitlines()}
    assert "en" in langs and langs & {"ko", "zh", "ja"}


@pytest.mark.parametrize("page", BYO_PAGES, ids=lambda p: p.stem)
def test_byo_questions_cover_every_heading_without_copying_it(page: Path) -> None:
    """A flat page (`##` sections, `###` questions) and its reader questions: at least 3 per
    heading, 20 off-topic, and none above the gold bound against any heading."""
    text = page.read_text("utf-8")
    assert text.startswith("# ") and "\n## " in text
    headings = _HEADING.findall(text)
    assert len(headings) >= 20
    asked: Counter[str] = Counter()
    off = 0
    keys = [norm_key(h) for h in headings]
    for number, line in enumerate(_questions(page).splitlines(), 1):
        g = json.loads(line)
        where = f"{page.name}:{number}"
        assert set(g) == {"q", "lang", "expect_title"}, where
        assert isinstance(g["q"], str) and g["q"].strip() and len(g["q"]) <= MAX_QUERY_CHARS
        if g["expect_title"] is None:
            off += 1
        else:
            assert g["expect_title"] in headings, where
            asked[g["expect_title"]] += 1
        q = norm_key(g["q"])
        for key in keys:
            assert key.strip(" ?？.。!！") not in q, (where, key)
        assert list(similar_pairs([q], keys, BOUND)) == [], where
    assert {h: asked[h] for h in headings if asked[h] < 3} == {}
    assert off >= 20


def _questions(page: Path) -> str:
    return page.with_suffix(".questions.jsonl").read_text("utf-8")


BYO_DEV = ROOT / "bench" / "data" / "byo-dev"
BYO_DEV_PAGES = sorted(p for p in BYO_DEV.glob("*.md") if p.name != "README.md")


def test_the_byo_dev_pages_are_other_pages_in_other_languages() -> None:
    assert len(BYO_DEV_PAGES) >= 2
    assert not {p.name for p in BYO_DEV_PAGES} & {p.name for p in BYO_PAGES}
    langs = {json.loads(_questions(p).splitlines()[0])["lang"] for p in BYO_DEV_PAGES}
    assert "en" in langs and langs & {"ko", "zh", "ja"}


@pytest.mark.parametrize("page", BYO_DEV_PAGES, ids=lambda p: p.stem)
def test_byo_dev_questions_cover_every_entry_without_copying_it(page: Path) -> None:
    """A dev page in any shape `faq import` reads, and its reader questions: every
    `expect_title` an imported entry's title, at least 3 per entry, 25 off-topic, and none a
    copy of an entry's title or error string by the gold rule (`gold_rules.copies`)."""
    lines = [json.loads(line) for line in _questions(page).splitlines()]
    lang = lines[0]["lang"]
    plan = plan_import(page.read_text("utf-8"), lang=lang)
    titles = [e.title for e in plan.entries]
    assert 20 <= len(titles) <= 30 and len(set(titles)) == len(titles)
    texts = [Text("title", norm_key(e.title), e.id) for e in plan.entries] + [
        Text("error", norm_key(error), e.id) for e in plan.entries for error in e.errors
    ]
    asked: Counter[str] = Counter()
    off = cross = 0
    for number, g in enumerate(lines, 1):
        where = f"{page.name}:{number}"
        assert {"q", "lang", "expect_title"} <= set(g) <= {"q", "lang", "expect_title", "qlang"}
        assert isinstance(g["q"], str) and g["q"].strip() and len(g["q"]) <= MAX_QUERY_CHARS
        assert g["lang"] == lang, where
        if "qlang" in g:
            assert g["qlang"] != lang, where
            cross += g["expect_title"] is not None
        if g["expect_title"] is None:
            off += 1
        else:
            assert g["expect_title"] in titles, where
            asked[g["expect_title"]] += 1
        assert list(copies(g["q"], texts)) == [], where
    assert {t: asked[t] for t in titles if asked[t] < 3} == {}
    assert off >= 25
    assert cross >= 0.05 * sum(asked.values())
    keys = Counter(norm_key(g["q"]) for g in lines)
    assert [k for k, n in keys.items() if n > 1] == []
