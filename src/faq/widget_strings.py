"""The ask widget's UI strings: English msgids for pybabel, exported per locale for the JS."""

from __future__ import annotations

from faq.i18n import N_, gettext

STRINGS: tuple[str, ...] = (
    N_("Ask"),
    N_("Ask a question"),
    N_("Ask a question in any language…"),
    N_("Search the FAQ"),
    N_("Close"),
    N_("Searching…"),
    N_("Best answers"),
    N_("No good answer found. The closest entries are:"),
    N_("No entries."),
    N_("Report a missing answer"),
    N_("Thanks! The question was reported as missing."),
    N_("Open the page"),
    N_("Back to the results"),
    N_("Was this helpful?"),
    N_("Helpful"),
    N_("Not helpful"),
    N_("Thanks for your feedback!"),
    N_("The FAQ service cannot be reached."),
    N_("Something went wrong. Please try again."),
    N_("↑↓ to move, Enter to open, Esc to close"),
    N_("Shown in its original language: no translation yet."),
    N_("Results"),
)


def export(locale: str) -> dict[str, str]:
    """msgid → text in `locale` (the English msgid where there is no translation)."""
    return {message: gettext(message, locale) for message in STRINGS}
