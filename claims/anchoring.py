"""Where a quote's text stands in an article body: placing it, and finding it after an edit."""

import os
import re

from django.core.exceptions import ValidationError

# The words around a quote that must still stand beside its text for the quote to follow it:
# about two words on one side (or all the context it had, when it stood nearer the body's edge).
CONTEXT_TO_FOLLOW = 12


def find_again(body, *, text, prefix="", suffix="", near=0, previous_body=None):
    """Where `text` starts in an edited `body`, or None when the quote's own passage is gone.

    The quote follows its exact text only where the words around it (`prefix` just before,
    `suffix` just after) still stand on at least one side; among several such places, the best
    match wins, and a tie goes to the one nearest the old offset `near`. Where no occurrence
    keeps its context, the text is followed only when the passage plainly moved: it stood once
    in `previous_body` and stands once in `body`. Anything else is look-alike text, never taken:
    the same sentence elsewhere is another passage, whatever its words.
    """
    starts = []
    start = body.find(text)
    while start != -1:
        starts.append(start)
        start = body.find(text, start + 1)
    if not starts:
        return None

    def context(start):
        """(characters of prefix kept, characters of suffix kept) at `start`."""
        before = body[max(0, start - len(prefix)) : start]
        after = body[start + len(text) : start + len(text) + len(suffix)]
        kept_before = len(os.path.commonprefix([before[::-1], prefix[::-1]]))
        kept_after = len(os.path.commonprefix([after, suffix]))
        # A quote that began (or ended) the body has no context on that side: it keeps it
        # only by still beginning (or ending) the body.
        if not prefix:
            kept_before = CONTEXT_TO_FOLLOW if start == 0 else 0
        if not suffix:
            kept_after = CONTEXT_TO_FOLLOW if start + len(text) == len(body) else 0
        return kept_before, kept_after

    def keeps_context(start):
        kept_before, kept_after = context(start)
        return kept_before >= min(len(prefix) or CONTEXT_TO_FOLLOW, CONTEXT_TO_FOLLOW) or (
            kept_after >= min(len(suffix) or CONTEXT_TO_FOLLOW, CONTEXT_TO_FOLLOW)
        )

    def fit(start):
        return sum(context(start)), -abs(start - near)

    followed = [start for start in starts if keeps_context(start)]
    if followed:
        return max(followed, key=fit)
    if previous_body is not None and len(starts) == 1 and previous_body.count(text) == 1:
        return starts[0]
    return None


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
