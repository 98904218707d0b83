"""Where a quote's text stands in an article body: placing it, and finding it after an edit."""

import difflib
import html
import os
import re

from django.core.exceptions import ValidationError

# What a paste may differ in from the body it was copied from: typography a browser, a word
# processor or another copy of the story changes without changing a word. Each class of
# characters folds to one character (or, for the ellipsis, three); runs of whitespace fold to one
# space; soft hyphens and zero-width characters vanish.
TYPOGRAPHY = {
    **dict.fromkeys('"“”„‟«»‹›″〝〞＂', '"'),
    **dict.fromkeys("'‘’‚‛ʼʹ′`´", "'"),
    **dict.fromkeys("-‐‑‒–—―−", "-"),
    "…": "...",
}
VANISHING = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# The fewest words in common that make a passage of the body "the closest" to a refused paste.
CLOSEST_MIN_WORDS = 3

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


def fold(text):
    """`text` with its typography folded (TYPOGRAPHY, whitespace, VANISHING), and for each
    folded character the (start, end) of the characters of `text` it stands for."""
    folded, spans = [], []
    for index, char in enumerate(text):
        if char in VANISHING:
            continue
        if char.isspace():
            if folded and folded[-1] == " ":
                spans[-1] = (spans[-1][0], index + 1)
                continue
            char = " "
        for piece in TYPOGRAPHY.get(char, char):
            folded.append(piece)
            spans.append((index, index + 1))
    return "".join(folded), spans


def locate_forgiving(body, text, *, after=None, occurrence=None, folded=None):
    """(start, end) in `body` of the passage `text` was copied from, forgiving typography
    (quote marks, apostrophes, dashes, ellipses, spaces and line breaks, soft hyphens, HTML
    entities in the paste), or None. The caller stores the body's own text at those offsets."""
    wanted, _ = fold(html.unescape(text).strip())
    folded_body, spans = folded or fold(body)
    if not wanted:
        return None
    starts = [match.start() for match in re.finditer(f"(?={re.escape(wanted)})", folded_body)]
    if after:
        starts = [start for start in starts if spans[start][0] >= after]
    if occurrence is not None:
        starts = starts[occurrence - 1 : occurrence]
    if not starts:
        return None
    start = starts[0]
    return spans[start][0], spans[start + len(wanted) - 1][1]


def closest_passage(body, text, *, folded=None):
    """A message showing the passage of `body` closest to `text`, with the words that differ
    (typography aside) marked ⟦…⟧ on both sides; "" when none shares CLOSEST_MIN_WORDS words."""
    folded_body, spans = folded or fold(body)
    body_words = [match.span() for match in re.finditer(r"[^ ]+", folded_body)]
    pasted = html.unescape(text).split()
    words = [fold(word)[0] for word in pasted]
    starts = {start: index for index, (start, _) in enumerate(body_words)}
    for size in range(len(words), CLOSEST_MIN_WORDS - 1, -1):
        for first in range(len(words) - size + 1):
            found = folded_body.find(" ".join(words[first : first + size]))
            if found in starts:
                break
        else:
            continue
        break
    else:
        return ""
    # A few words more on each side than the paste needs, trimmed to what lines up with it.
    begin = max(0, starts[found] - first - 3)
    finish = min(len(body_words), starts[found] - first + len(words) + 3)
    passage = [body[spans[a][0] : spans[b - 1][1]] for a, b in body_words[begin:finish]]
    matcher = difflib.SequenceMatcher(
        None,
        [_bare(folded_body[a:b]) for a, b in body_words[begin:finish]],
        [_bare(word) for word in words],
        autojunk=False,
    )
    steps = matcher.get_opcodes()
    while steps and steps[0][0] == "delete":
        steps.pop(0)
    while steps and steps[-1][0] == "delete":
        steps.pop()
    theirs, ours = [], []
    for kind, a1, a2, b1, b2 in steps:
        if kind == "equal":
            theirs += passage[a1:a2]
            ours += pasted[b1:b2]
            continue
        if a2 > a1:
            theirs.append("⟦" + " ".join(passage[a1:a2]) + "⟧")
        if b2 > b1:
            ours.append("⟦" + " ".join(pasted[b1:b2]) + "⟧")
    return (
        f" The closest passage in the body reads “{' '.join(theirs)}”; the pasted text reads "
        f"“{' '.join(ours)}” (differing words marked ⟦ ⟧)."
    )


def _bare(word):
    """A folded word without the quote marks and punctuation at its edges, for comparing."""
    return word.strip("\"'.,;:!?()[]")


def locate(body, text, *, after=None, occurrence=None, where="the article"):
    """(start, end) of `text` in `body`, or a ValidationError naming `where`.

    The exact text is looked for first; failing that, the passage it was copied from with
    other typography (locate_forgiving), whose offsets are returned: the caller keeps the
    body's text. A refusal shows the closest passage with the differences marked.
    """
    if not text:
        raise ValidationError({"text": "A quote needs its text."})
    if occurrence is not None and occurrence < 1:
        raise ValidationError({"text": "Occurrences are counted from 1."})
    exact = _locate_exact(body, text, after=after, occurrence=occurrence, where=where)
    if not isinstance(exact, ValidationError):
        return exact
    folded = fold(body)  # once, for the search and for the refusal's closest passage
    forgiven = locate_forgiving(body, text, after=after, occurrence=occurrence, folded=folded)
    if forgiven is not None:
        return forgiven
    message = exact.message_dict["text"][0]
    raise ValidationError({"text": message + closest_passage(body, text, folded=folded)})


def _locate_exact(body, text, *, after, occurrence, where):
    """(start, end) of the exact `text`, or the ValidationError saying why not (returned)."""
    if occurrence is not None:
        starts = [m.start() for m in re.finditer(re.escape(text), body)]
        if len(starts) < occurrence:
            found = f"only {len(starts)} time(s)" if starts else "not at all"
            return ValidationError(
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
            return ValidationError(
                {
                    "text": f"This text is not found{detail} in the body of “{where}”. "
                    "A quote must be copied from the article: only quote marks, dashes, "
                    "spaces and line breaks may differ."
                }
            )
    return start, start + len(text)
