from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from articles.highlight import highlight_quotes, paragraph_spans

VOID = {"br"}


class Outline(HTMLParser):
    """The parts of rendered HTML a test looks at; fails on badly nested tags."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.ids = []
        self.marks = []  # (id or None, text, href, classes) per <mark>
        self.tags = []
        self.paragraphs = []
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed {self.stack}"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "p":
            self.paragraphs.append("")
        if tag == "mark":
            self.marks.append([attrs.get("id"), "", None, attrs.get("class", "")])
        if tag == "a" and self.stack and self.stack[-1] == "mark":
            self.marks[-1][2] = attrs["href"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        if "p" in self.stack:
            self.paragraphs[-1] += data
        if "mark" in self.stack:
            self.marks[-1][1] += data


def quote(pk, claim_id=None):
    return SimpleNamespace(pk=pk, claim_id=claim_id or pk + 100)


def span_of(body, text, pk, claim_id=None):
    start = body.index(text)
    return (start, start + len(text), quote(pk, claim_id))


def render(body, quotes):
    html = highlight_quotes(body, quotes)
    return html, Outline(html)


def test_paragraphs_split_on_blank_lines_keep_offsets():
    body = "One.\n\nTwo.\n  \nThree."
    assert [body[a:b] for a, b in paragraph_spans(body)] == ["One.", "Two.", "Three."]


def test_body_without_quotes_is_escaped_paragraphs():
    html, outline = render("First line\nsecond line.\n\nNext paragraph.", [])
    assert html == "<p>First line<br>\nsecond line.</p>\n<p>Next paragraph.</p>"
    assert outline.paragraphs == ["First line\nsecond line.", "Next paragraph."]


def test_quote_is_wrapped_in_a_mark_with_its_id_and_a_link_to_its_claim():
    body = "He said China could stop it, then left."
    html, outline = render(body, [span_of(body, "China could stop it", 12, claim_id=7)])
    assert outline.marks == [["quote-12", "China could stop it", "/claims/7/", "quote-highlight"]]
    assert '<mark class="quote-highlight" id="quote-12"><a href="/claims/7/">' in html


def test_text_around_quotes_is_kept_in_order():
    body = "Alpha beta gamma delta.\n\nEpsilon zeta."
    _, outline = render(body, [span_of(body, "beta", 1), span_of(body, "zeta", 2)])
    assert outline.paragraphs == ["Alpha beta gamma delta.", "Epsilon zeta."]
    assert [m[0] for m in outline.marks] == ["quote-1", "quote-2"]


def test_script_in_body_stays_escaped():
    body = "<script>alert(1)</script>\n\nSafe & sound <b>bold</b>"
    html, outline = render(body, [span_of(body, "<script>alert(1)</script>", 3)])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert outline.tags.count("b") == 0
    assert outline.marks[0][1] == "<script>alert(1)</script>"


def test_attribute_breaking_characters_in_body_stay_text():
    body = 'He said "yes" \' onmouseover=alert(1) x="'
    html, outline = render(body, [(0, len(body), quote(4))])
    assert "onmouseover" not in "".join(outline.tags)
    assert outline.marks[0][1] == body
    assert "&quot;yes&quot;" in html


def test_quote_spanning_a_paragraph_break_is_reopened_without_repeating_its_id():
    body = "Start here. The quote begins\n\nand ends here. After."
    start = body.index("The quote")
    end = body.index(" After")
    _, outline = render(body, [(start, end, quote(5))])
    assert [(m[0], m[1]) for m in outline.marks] == [
        ("quote-5", "The quote begins"),
        (None, "and ends here."),
    ]
    assert outline.ids == ["quote-5"]
    assert {m[2] for m in outline.marks} == {"/claims/105/"}


def test_quote_across_three_paragraphs_marks_each_part():
    body = "A one\n\nB two\n\nC three"
    _, outline = render(body, [(2, len(body) - 6, quote(1))])
    assert [m[1] for m in outline.marks] == ["one", "B two", "C"]
    assert outline.ids == ["quote-1"]


def test_quotes_at_the_very_start_and_end():
    body = "Opening words and closing words"
    _, outline = render(body, [span_of(body, "Opening", 1), span_of(body, "closing words", 2)])
    assert [(m[0], m[1]) for m in outline.marks] == [
        ("quote-1", "Opening"),
        ("quote-2", "closing words"),
    ]
    assert outline.paragraphs == [body]


def test_quote_covering_the_whole_body():
    body = "Everything is quoted."
    _, outline = render(body, [(0, len(body), quote(9))])
    assert outline.marks == [["quote-9", body, "/claims/109/", "quote-highlight"]]


def test_non_ascii_text_is_highlighted_by_character_offsets():
    body = "Олександр Мусієнко: «Китай має важелі» — 中国 🇺🇦 kept."
    _, outline = render(body, [span_of(body, "«Китай має важелі»", 1), span_of(body, "🇺🇦", 2)])
    assert [m[1] for m in outline.marks] == ["«Китай має важелі»", "🇺🇦"]
    assert outline.paragraphs == [body]


def test_nested_quote_splits_the_outer_one_and_both_ids_exist():
    body = "One two three four five"
    outer = span_of(body, "two three four", 1)
    inner = span_of(body, "three", 2)
    _, outline = render(body, [outer, inner])
    assert [(m[0], m[1], m[2]) for m in outline.marks] == [
        ("quote-1", "two ", "/claims/101/"),
        ("quote-2", "three", "/claims/102/"),
        (None, " four", "/claims/101/"),
    ]
    assert outline.paragraphs == [body]


def test_overlapping_pieces_are_marked_as_overlap():
    body = "aaa bbb ccc ddd"
    _, outline = render(body, [span_of(body, "aaa bbb", 1), span_of(body, "bbb ccc", 2)])
    assert [(m[0], m[1], m[3]) for m in outline.marks] == [
        ("quote-1", "aaa ", "quote-highlight"),
        ("quote-2", "bbb", "quote-highlight quote-highlight--overlap"),
        (None, " ccc", "quote-highlight"),
    ]


def test_quotes_starting_at_the_same_place_both_get_an_id():
    body = "Same start, different ends."
    _, outline = render(body, [span_of(body, "Same start, different", 1), span_of(body, "Same", 2)])
    assert sorted(outline.ids) == ["quote-1", "quote-2"]
    # The shorter (inner) quote owns the shared text; the other is anchored at its start.
    assert outline.marks[0][0] == "quote-2"
    assert "span" in outline.tags


def test_identical_quotes_of_two_claims_both_get_an_id():
    body = "Twice quoted."
    _, outline = render(body, [(0, 5, quote(3)), (0, 5, quote(4))])
    assert sorted(outline.ids) == ["quote-3", "quote-4"]
    assert outline.marks[0][2] == "/claims/103/"


def test_result_does_not_depend_on_input_order():
    body = "aaa bbb ccc ddd eee"
    quotes = [span_of(body, "aaa bbb", 1), span_of(body, "bbb ccc ddd", 2), span_of(body, "c", 3)]
    assert highlight_quotes(body, quotes) == highlight_quotes(body, list(reversed(quotes)))


def test_same_quote_given_twice_is_highlighted_once():
    body = "Only once."
    _, outline = render(body, [(0, 4, quote(1)), (0, 4, quote(1))])
    assert outline.ids == ["quote-1"]


@pytest.mark.parametrize("start,end", [(-5, 4), (5, 500), (400, 500), (3, 3)])
def test_offsets_outside_the_body_still_leave_a_target(start, end):
    body = "Short body."
    _, outline = render(body, [(start, end, quote(6))])
    assert outline.ids == ["quote-6"]
    assert outline.paragraphs == [body]


def test_quote_lying_in_the_blank_between_paragraphs_gets_an_anchor():
    body = "First.\n\n   Second."
    _, outline = render(body, [(8, 11, quote(2))])
    assert outline.ids == ["quote-2"]
    assert outline.marks == []


def test_line_break_inside_a_quote_stays_inside_its_mark():
    body = "Line one\nline two"
    html, outline = render(body, [(0, len(body), quote(1))])
    assert '<a href="/claims/101/">Line one<br>\nline two</a>' in html
    assert outline.marks[0][1] == body


def test_empty_body_gives_empty_html():
    assert highlight_quotes("", []) == ""


def test_many_overlapping_quotes_give_well_formed_html_with_every_id():
    body = " ".join(f"w{i}" for i in range(200)) + "\n\n" + "tail " * 50
    quotes = [(i * 7 % 600, i * 7 % 600 + 40 + i % 90, quote(i)) for i in range(1, 150)]
    _, outline = render(body, quotes)
    assert sorted(outline.ids) == sorted(f"quote-{i}" for i in range(1, 150))
    assert "".join(outline.paragraphs) == body.replace("\n\n", "")
