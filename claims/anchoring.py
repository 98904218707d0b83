"""Where a quote's text stands in an article body: placing it, and finding it after an edit."""

import os
import re

from django.core.exceptions import ValidationError


def find_again(body, *, text, prefix="", suffix="", near=0):
    """Where `text` starts in an edited `body`, or None when the exact text is gone.

    Among repeats, the occurrence whose surroundings match most of `prefix` (just before it)
    and `suffix` (just after) wins; a tie goes to the one nearest the old offset `near`.
    Only the exact text counts: look-alike text is never taken.
    """
    starts = []
    start = body.find(text)
    while start != -1:
        starts.append(start)
        start = body.find(text, start + 1)
    if not starts:
        return None

    def fit(start):
        before = body[max(0, start - len(prefix)) : start]
        after = body[start + len(text) : start + len(text) + len(suffix)]
        matched = len(os.path.commonprefix([before[::-1], prefix[::-1]])) + len(
            os.path.commonprefix([after, suffix])
        )
        return matched, -abs(start - near)

    return max(starts, key=fit)


def locate(body, text, *, after=None, occurrence=None, where="the article"):
    """(start, end) of `text` in `body`, or a ValidationError naming `where`."""
    if not text:
        raise ValidationError({"text": "A quote needs its text."})
    if occurrence is not None:
        if occurrence < 1:
            raise ValidationError({"text": "Occurrences are counted from 1."})
        starts = [m.start() for m in re.finditer(re.escape(text), body)]
        if len(starts) < occurrence:
            found = f"only {len(starts)} time(s)" if starts else "not at all"
            raise ValidationError(
                {
                    "text": f"This text appears {found} in the body of “{where}”, "
                    f"so occurrence {occurrence} does not exist."
                }
            )
        start = starts[occurrence - 1]
    else:
        start = body.find(text, after or 0)
        if start == -1:
            detail = f" after character {after}" if after else ""
            raise ValidationError(
                {
                    "text": f"This text is not found{detail} in the body of “{where}”. "
                    "A quote must be copied exactly as it appears in the article."
                }
            )
    return start, start + len(text)
