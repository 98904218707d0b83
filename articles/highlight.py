"""An article body as HTML paragraphs with its quotes highlighted in place.

The body is plain text from an import or an editor, so every piece of it is escaped here; the
only markup in the result is the paragraphs, line breaks, highlights and anchors built below.
"""

import re
from dataclasses import dataclass
from itertools import pairwise

from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

# Paragraphs are separated by a blank line (which may hold stray spaces).
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def paragraph_spans(body):
    """(start, end) of each paragraph of `body`, as offsets into the body itself."""
    spans = []
    position = 0
    for match in PARAGRAPH_BREAK.finditer(body):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < len(body):
        spans.append((position, len(body)))
    return spans


def claim_link(quote):
    """Where a highlight leads: the page of the quote's claim."""
    return reverse("claims:detail", kwargs={"pk": quote.claim_id})


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    quote_id: int
    url: str

    @property
    def precedence(self):
        # Where quotes overlap, the innermost one (latest start, then shortest) owns the text.
        return (self.start, -self.end, -self.quote_id)


def highlight_quotes(body, quotes, *, link=claim_link):
    """`body` as escaped HTML paragraphs, each of `quotes` wrapped in a linked <mark>.

    `quotes` holds (start, end, quote) triples: character offsets into `body` and an object with
    a `pk` (and whatever `link` needs; by default its `claim_id`). Each highlight is
    `<mark class="quote-highlight" id="quote-<pk>"><a href="<link>">…</a></mark>`.

    - A quote that runs over a paragraph break is closed and reopened in the next paragraph;
      only its first part carries the id.
    - Overlapping or nested quotes are cut at every quote boundary; each piece links to the
      innermost quote covering it and is marked `quote-highlight--overlap`. A quote that starts
      where another owns the text gets an empty `<span class="quote-anchor" id="quote-<pk>">`
      at its start, so every `#quote-<pk>` link still has a target.
    - Offsets outside the body are clipped; a quote left with no text of its own (or lying in
      the blank between paragraphs) gets an anchor where it would have been.
    """
    body = body or ""
    spans = _spans(body, quotes, link)
    paragraphs = paragraph_spans(body)
    cuts = sorted({0, len(body)} | {p for s in spans for p in (s.start, s.end)})
    placed = set()
    active = []
    waiting = iter(spans)
    upcoming = next(waiting, None)
    rendered = []

    for first, last in paragraphs:
        parts = []
        inside = sorted({first, last} | {c for c in cuts if first < c < last})
        for start, end in pairwise(inside):
            while upcoming is not None and upcoming.start <= start:
                active.append(upcoming)
                upcoming = next(waiting, None)
            ended = [s for s in active if s.end <= start]
            active = [s for s in active if s.end > start]
            parts.extend(_anchor(s, placed) for s in ended if s.quote_id not in placed)
            parts.append(_piece(body[start:end], active, placed))
        rendered.append(parts)

    leftovers = [s for s in active if s.quote_id not in placed]
    if upcoming is not None:
        leftovers += [upcoming, *waiting]
    if leftovers:
        if not rendered:
            rendered.append([])
        rendered[-1].extend(_anchor(s, placed) for s in leftovers if s.quote_id not in placed)

    return format_html_join("\n", "<p>{}</p>", ((mark_safe("".join(p)),) for p in rendered))


def _spans(body, quotes, link):
    """The quotes as spans clipped to the body, in reading order, each quote once."""
    length = len(body)
    seen = set()
    spans = []
    for start, end, quote in quotes:
        if quote.pk in seen:
            continue
        seen.add(quote.pk)
        start = min(max(start, 0), length)
        end = min(max(end, start), length)
        spans.append(_Span(start, end, quote.pk, link(quote)))
    return sorted(spans, key=lambda s: (s.start, -s.end, s.quote_id))


def _text(text):
    return mark_safe(escape(text).replace("\n", "<br>\n"))


def _anchor(span, placed):
    placed.add(span.quote_id)
    return format_html('<span class="quote-anchor" id="quote-{}"></span>', span.quote_id)


def _piece(text, covering, placed):
    """Plain text, or a highlight linking to the innermost of the quotes `covering` it."""
    if not covering:
        return _text(text)
    owner = max(covering, key=lambda s: s.precedence)
    id_attribute = ""
    if owner.quote_id not in placed:
        placed.add(owner.quote_id)
        id_attribute = format_html(' id="quote-{}"', owner.quote_id)
    anchors = [_anchor(s, placed) for s in covering if s.quote_id not in placed]
    classes = "quote-highlight"
    if len(covering) > 1:
        classes += " quote-highlight--overlap"
    return format_html(
        '<mark class="{}"{}>{}<a href="{}">{}</a></mark>',
        classes,
        id_attribute,
        mark_safe("".join(anchors)),
        owner.url,
        _text(text),
    )
