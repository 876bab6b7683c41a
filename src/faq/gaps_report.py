"""The content-gap report of a period: topics from the database's signals (faq.gaps), the
nearest entries' titles, the searches per day; as text for `faq gaps`, as data for `--json` and
the admin page; and `apply`, which writes the add-questions suggestions into the entry files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from faq.db import Database
from faq.errors import NotFoundError
from faq.gaps import Topic, find_gaps
from faq.i18n import _, format_number
from faq.readerlog import DayStats, cutoff, daily_stats, load_signals, parse_since, purge
from faq.scrub import CREDENTIALS, EMAIL, IP, KEY

if TYPE_CHECKING:
    from pathlib import Path

    from faq.service import FaqService


PLACEHOLDERS = (EMAIL, KEY, IP, CREDENTIALS)


class TopicOut(TypedDict):
    """One topic as `faq gaps --json` and GET /api/admin/gaps give it."""

    readers: int
    languages: dict[str, int]
    kinds: dict[str, int]
    examples: list[str]
    questions: list[dict[str, str]]  # {"lang", "q"}
    nearest: str | None
    title: str | None  # the nearest entry's title (in the first language of the topic)
    closeness: float  # 0-1
    helpful_votes: int
    unhelpful_votes: int
    suggestion: str  # add-questions | review-entry | new-entry
    advice: str  # the suggestion as a sentence, in the UI language


@dataclass(frozen=True)
class GapReport:
    """The report of one period: `since` is the stored-text cutoff (UTC)."""

    since: str
    lang: str | None
    logging: bool  # log_queries is on
    signals: int
    topics: tuple[Topic, ...]
    titles: tuple[str | None, ...]  # of each topic's nearest entry, in the topic's language

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "lang": self.lang,
            "log_queries": self.logging,
            "signals": self.signals,
            "topics": [
                topic_out(t, title) for t, title in zip(self.topics, self.titles, strict=True)
            ],
        }


def advice(topic: Topic) -> str:
    """The suggestion as a sentence."""
    if topic.suggestion == "add-questions":
        return _("add these as alternate questions of {id}").format(id=topic.nearest)
    if topic.suggestion == "review-entry":
        return _("review {id}: readers who got it voted it unhelpful").format(id=topic.nearest)
    return _("a new entry is needed")


def topic_out(topic: Topic, title: str | None) -> TopicOut:
    data = topic.as_dict()
    return {
        **data,  # type: ignore[typeddict-item]
        "title": title,
        "advice": advice(topic),
    }


def gap_report(
    service: FaqService, database: Database, since: str = "30d", lang: str | None = None
) -> GapReport:
    """The topics of the signals since `since` (`30d`, `12h`, `2w`), largest first; old rows
    are deleted first (`query_log_days`). Raises QueryError for a bad period or language,
    DatabaseError when the database cannot be read."""
    settings = service.settings
    start = cutoff(parse_since(since))
    lang = service.check_lang(lang)
    purge(database, settings.query_log_days)
    signals = load_signals(database, start, lang)
    topics = find_gaps(signals, service)
    titles: list[str | None] = []
    for topic in topics:
        title = None
        if topic.nearest:
            first = next(iter(topic.languages), settings.default_language)
            reader = first if first in settings.languages else settings.default_language
            try:
                title = service.entry_for(topic.nearest, reader)[0].title
            except NotFoundError:  # the entry went away since the search
                pass
        titles.append(title)
    return GapReport(start, lang, settings.log_queries, len(signals), tuple(topics), tuple(titles))


class StatsOut(TypedDict):
    since: str
    lang: str | None
    log_queries: bool
    days: list[DayStats]


def stats(
    service: FaqService, database: Database, since: str = "30d", lang: str | None = None
) -> StatsOut:
    """Searches per day and language since `since` (for the admin page's chart)."""
    start = cutoff(parse_since(since))
    lang = service.check_lang(lang)
    return {
        "since": start,
        "lang": lang,
        "log_queries": service.settings.log_queries,
        "days": daily_stats(database, start, lang),
    }


def render(report: GapReport) -> str:
    """The report as text for `faq gaps`."""
    if not report.topics:
        if not report.logging and not report.signals:
            return _(
                "Nothing is logged: searches are stored only with log_queries = true (faq.toml, "
                "or FAQ_LOG_QUERIES=1), then restart `faq serve`. Readers' votes and reports "
                "are used as soon as there are some."
            )
        return _(
            "No unanswered questions, down-votes or missing-answer reports since {since}."
        ).format(since=report.since)
    lines = [
        _("{count} topics from {signals} signals since {since}, largest first:").format(
            count=format_number(len(report.topics)),
            signals=format_number(report.signals),
            since=report.since,
        )
    ]
    for number, (topic, title) in enumerate(zip(report.topics, report.titles, strict=True), 1):
        langs = ", ".join(f"{lang} {count}" for lang, count in topic.languages.items())
        lines.append("")
        lines.append(
            _("{number}. {readers} readers ({languages})").format(
                number=number, readers=format_number(topic.readers), languages=langs
            )
        )
        for example in topic.examples:
            lines.append(f"     - {example}")
        if topic.nearest:
            lines.append(
                "   "
                + _("nearest entry: {id} – {title} (closeness {closeness:.2f})").format(
                    id=topic.nearest,
                    title=title or "?",
                    closeness=topic.closeness,
                )
            )
        lines.append("   → " + advice(topic))
    if not report.logging:
        lines.append("")
        lines.append(
            _("(log_queries is off: only votes and reports are counted, not unanswered searches)")
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Applied:
    """What `apply` wrote (or could not)."""

    written: tuple[tuple[str, str, Path, tuple[str, ...]], ...]  # id, lang, file, questions
    missing: tuple[tuple[str, str], ...]  # (id, lang) with no entry file in that language


def apply(report: GapReport, docs: Path) -> Applied:
    """Add the questions of every add-questions topic to its entry, each question to the entry
    file of its own language where there is one. Raises QueryError for a file that cannot be
    edited safely (faq.questions)."""
    from faq.questions import add_questions, find_entry_file

    written: list[tuple[str, str, Path, tuple[str, ...]]] = []
    missing: list[tuple[str, str]] = []
    for topic in report.topics:
        if topic.suggestion != "add-questions" or not topic.nearest:
            continue
        by_lang: dict[str, list[str]] = {}
        for lang, question in topic.questions:
            # a question with a scrubbed secret in it is not how readers ask: left out
            if lang and not any(mark in question for mark in PLACEHOLDERS):
                by_lang.setdefault(lang, []).append(question)
        for lang, texts in by_lang.items():
            try:
                path = find_entry_file(docs, topic.nearest, lang)
            except NotFoundError:
                missing.append((topic.nearest, lang))
                continue
            added = add_questions(path, texts)
            if added.added:
                written.append((topic.nearest, lang, path, added.added))
    return Applied(tuple(written), tuple(missing))
