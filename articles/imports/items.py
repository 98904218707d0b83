"""What every source format reads an article into: a NewsItem, or an ItemError saying why not.

The readers (ninjs.py, html.py) return NewsItems; files.py and upsert.py write them as articles.
The dates helpers read what files and editors write: ISO 8601 in a file, YYYY[-MM[-DD]] typed
by an editor.
"""

import datetime
import re
from dataclasses import dataclass, field

from core.models import DatePrecision


class ItemError(ValueError):
    """A file's news item cannot become an article; the message says why."""


@dataclass(frozen=True)
class NewsItem:
    """What a ninjs item or a saved page says about one article, in plain text."""

    version: str  # "1", "2" or "html"
    uri: str
    headline: str
    body: str
    language: str = ""  # as given (BCP 47); mapped to the article's languages on import
    byline: str = ""
    standfirst: str = ""
    published_on: datetime.date | None = None
    # Whether `published_on` says when the story first appeared (ninjs `firstcreated`, a page's
    # stated date), so an update may correct it; a version's date (`versioncreated`) may not.
    first_published: bool = True
    published_precision: str = ""  # from the `kb:published_precision` extension
    located: str = ""
    slugline: str = ""
    subjects: tuple[tuple[str, str], ...] = ()  # (name, code or literal)
    source_url: str = ""
    outlet_name: str = ""
    outlet: dict = field(default_factory=dict)  # the `kb:outlet` extension


def parse_date(value, *, field="the date"):
    """The calendar day of an ISO 8601 date or date-time, in the offset it is written in."""
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value).date()
    except ValueError as error:
        raise ItemError(f"{field} “{value}” is not an ISO 8601 date or date-time.") from error


def parse_partial_date(value):
    """`2024` → (1 Jan 2024, year); `2024-06` → (1 Jun 2024, month); `2024-06-20` → day.

    Raises ValueError with a message an editor can act on.
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", (value or "").strip())
    if not match:
        raise ValueError(f"“{value}” is not a date; use YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        date = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"“{value}” is not a valid date: {error}.") from error
    return date, precision
