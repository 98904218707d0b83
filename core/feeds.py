"""RSS 2.0 written as the RSS Advisory Board's Best Practices Profile asks, each field escaped once.

An item's description is HTML (the one element readers render as such): it goes out as a
CDATA section, so the HTML's own escaping (`&amp;`, `&lt;` around quoted text) is the only
one, instead of being escaped again as XML (`&amp;amp;`). Every other element is plain text:
"&", "<" and ">" go out as the hexadecimal references the profile recommends, which the most
readers show as the characters themselves.
"""

import re

from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError

PLAIN_TEXT_REFERENCES = {"&": "&#x26;", "<": "&#x3C;", ">": "&#x3E;"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


def _refuse_control_characters(content):
    # As Django's generator does: XML 1.0 cannot carry them.
    if CONTROL_CHARACTERS.search(content):
        raise UnserializableContentError("Control characters are not supported in XML 1.0")


class ProfileXMLGenerator(SimplerXMLGenerator):
    def characters(self, content):
        if not content:
            return
        _refuse_control_characters(content)
        # Written as is: the references are the escaping (ignorableWhitespace adds none).
        self.ignorableWhitespace(
            re.sub("[&<>]", lambda match: PLAIN_TEXT_REFERENCES[match.group()], content)
        )

    def cdata(self, content):
        """`content` as one CDATA section (a "]]>" inside it split across two)."""
        _refuse_control_characters(content)
        self.ignorableWhitespace(f"<![CDATA[{content.replace(']]>', ']]]]><![CDATA[>')}]]>")


class ProfileRssFeed(Rss201rev2Feed):
    """Django's RSS 2.0 feed with plain-text fields and an HTML description escaped once."""

    def write(self, outfile, encoding):
        handler = ProfileXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.startElement("description", {})
            handler.cdata(str(item["description"]))
            handler.endElement("description")
