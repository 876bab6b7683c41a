"""The admin page's UI strings: English msgids for pybabel, exported per locale for its script
(as faq.widget_strings does for the ask widget)."""

from __future__ import annotations

from faq.i18n import N_, gettext

STRINGS: tuple[str, ...] = (
    N_("faq administration"),
    N_("What readers asked and didn't find"),
    N_("Admin token"),
    N_("Open"),
    N_("Forget the token"),
    N_("The token is kept in this browser tab only (sessionStorage)."),
    N_("Period"),
    N_("Language"),
    N_("All languages"),
    N_("Show"),
    N_("Loading…"),
    N_("Searches per day"),
    N_("Answered rate"),
    N_("Questions"),
    N_("Topics, largest first"),
    N_("Readers"),
    N_("Languages"),
    N_("Examples"),
    N_("Nearest entry"),
    N_("Closeness"),
    N_("Suggestion"),
    N_("No searches in this period."),
    N_("No unanswered questions, down-votes or missing-answer reports in this period."),
    N_("The query log is off (log_queries): only votes and reports are counted."),
    N_("The token was refused."),
    N_("Administration is disabled on this server (no admin_token)."),
    N_("The server cannot be reached."),
    N_("last 24 hours"),
    N_("last 7 days"),
    N_("last 30 days"),
    N_("last 90 days"),
    N_("answered"),
    # the suggestions, the same sentences as `faq gaps` prints
    N_("add these as alternate questions of {id}"),
    N_("review {id}: readers who got it voted it unhelpful"),
    N_("a new entry is needed"),
)


def export(locale: str) -> dict[str, str]:
    """msgid → text in `locale` (the English msgid where there is no translation)."""
    return {message: gettext(message, locale) for message in STRINGS}
