"""Read a saved web page, or a piece of HTML, into the plain text an article stores.

A saved page carries the site around the story: menus, language switchers, "You may also
like" boxes, footers. trafilatura finds the main text and the page's metadata (title, site
name, author, canonical address, publication date); the text it keeps is then sanitized with
nh3 and flattened to plain text, one blank line between paragraphs, as the article body is
stored. Every piece of HTML that becomes text here (a ninjs `body_html` too) goes through
`html_to_text`, so markup from outside never reaches a page unsanitized.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from articles.imports.items import ItemError, NewsItem, parse_date

# Tags kept by the sanitizer: enough structure to tell paragraphs and lines apart.
TEXT_TAGS = frozenset(
    {
        *("p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("blockquote", "pre", "div", "section", "article", "main", "hr"),
        *("table", "thead", "tbody", "tr", "td", "th"),
        *("a", "em", "strong", "b", "i", "u", "q", "cite", "span", "sub", "sup", "small"),
        *("abbr", "code", "mark", "time"),
    }
)
# Tags dropped with everything inside them: code, embeds, and captions, which are not story text;
# and the elements whose content a browser reads as text up to their end tag (a form's textarea,
# a stray title, xmp …), which would otherwise turn the markup after them into body text.
DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "template", "noscript", "iframe", "object", "figure", "svg", "math"),
        *("textarea", "title", "xmp", "noembed", "noframes", "plaintext"),
    }
)
BLOCK_TAGS = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre"),
        *("div", "section", "article", "main", "hr", "table", "tr", "body", "html"),
    }
)
LINE_TAGS = frozenset({"br", "li", "dt", "dd"})
# HTML collapses ASCII whitespace only; a no-break space is text and is kept.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_HTML_LANG = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.I
)
_OG_LOCALE = re.compile(
    r"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z_-]+)",
    re.I,
)
# Browsers note where a page came from when they save it: <!-- saved from url=(0042)https://… -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
# libxml2, which parses the page for trafilatura, stops at an element nested this deep and
# drops the rest of the page without failing: a page whose unclosed tags nest (a <div> or
# <font> never closed, again and again) came out cut to its first few thousand characters.
# Such a page is refused with the limit named instead.
PARSER_MAX_DEPTH = 256


def sanitize_html(html):
    """`html` with only the text-structure tags left and no attributes but links' href."""
    return nh3.clean(
        html or "",
        tags=set(TEXT_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    )


def html_to_text(html):
    """Plain text of `html` (sanitized first): blocks become paragraphs, <br> and list
    items become lines, runs of spaces collapse as a browser would show them."""
    collector = _TextCollector()
    collector.feed(sanitize_html(html))
    collector.close()
    return "\n\n".join(collector.blocks)


def read_html_page(data):
    """The story of a saved web page as a NewsItem (no ninjs uri; the page's address is its
    source URL). Raises ItemError naming what is missing."""
    import trafilatura  # loads lexicons and date parsers; only pay for it when a page comes

    if isinstance(data, str):
        data = data.encode("utf-8")
    _check_depth(data)
    extracted = trafilatura.extract(
        data,
        output_format="html",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        # Only dates the page states in its markup: a guess from a URL or a copyright line
        # would be stored as a precise publication day.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not extracted:
        raise ItemError("no story text found in the page.")
    meta = _MetaCollector()
    meta.feed(extracted)
    meta.close()
    head = meta.values

    title = _clean_line(head.get("title", ""))
    if not title:
        raise ItemError("the page has no title (no <title>, og:title or headline).")
    blocks = html_to_text(extracted).split("\n\n")
    # The headline usually opens the extracted text as well; the body starts after it.
    while blocks and _same_text(blocks[0], title):
        blocks.pop(0)
    body = "\n\n".join(block for block in blocks if block)

    raw = data[:200_000].decode("utf-8", errors="replace")
    source_url = head.get("url", "") or _first_match(_SAVED_FROM, raw)
    if source_url and urlsplit(source_url).scheme not in {"http", "https"}:
        source_url = ""
    published = None
    if head.get("date"):
        published = parse_date(head["date"], field="the page's date")
    language = _first_match(_HTML_LANG, raw) or _first_match(_OG_LOCALE, raw)
    return NewsItem(
        version="html",
        uri="",
        headline=title,
        body=body,
        language=language.replace("_", "-"),
        byline=_clean_line(head.get("author", "")),
        standfirst=_standfirst(head.get("description", ""), body),
        published_on=published,
        source_url=source_url,
        outlet_name=_clean_line(head.get("sitename", "")),
    )


def _check_depth(data):
    """ItemError when the HTML parser would stop reading `data` at PARSER_MAX_DEPTH."""
    from lxml import etree
    from lxml import html as lxml_html

    # The same parser settings as trafilatura's (trafilatura.utils.HTML_PARSER).
    parser = lxml_html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True
    )
    try:
        lxml_html.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return  # nothing to read: trafilatura reports it
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise ItemError(
            f"the page nests its HTML elements more than {PARSER_MAX_DEPTH} deep (usually tags "
            "that are never closed), and the HTML parser stops reading there: the rest of its "
            "text would be lost, so nothing was imported. Close the page's tags and import it "
            "again."
        )


def _standfirst(description, body):
    """The page's description, unless it only repeats the opening of the story."""
    description = _clean_line(description)
    if body.startswith(description.rstrip("….").rstrip()):
        return ""
    return description


def _first_match(pattern, text):
    match = pattern.search(text)
    return match.group(1) if match else ""


def _clean_line(value):
    return _HTML_SPACE.sub(" ", value or "").strip()


def _same_text(a, b):
    return _clean_line(a).casefold() == _clean_line(b).casefold()


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self._lines = []
        self._parts = []
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._end_block()
        elif tag in LINE_TAGS:
            self._end_line()
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in BLOCK_TAGS:
            self._end_block()
        elif tag in LINE_TAGS:
            self._end_line()

    def handle_data(self, data):
        if not self._pre:
            self._parts.append(data)
            return
        lines = data.split("\n")
        for index, line in enumerate(lines):
            if index:
                self._end_line()
            self._parts.append(line)

    def close(self):
        super().close()
        self._end_block()

    def _end_line(self):
        line = _HTML_SPACE.sub(" ", "".join(self._parts)).strip()
        if line:
            self._lines.append(line)
        self._parts = []

    def _end_block(self):
        self._end_line()
        if self._lines:
            self.blocks.append("\n".join(self._lines))
        self._lines = []


class _MetaCollector(HTMLParser):
    """The <meta name=… content=…> pairs trafilatura writes into its output's <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        attributes = dict(attrs)
        if attributes.get("name") and attributes.get("content"):
            self.values.setdefault(attributes["name"], attributes["content"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
