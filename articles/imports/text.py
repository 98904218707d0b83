"""Turn a web page's text, as copied or scraped, into an article's title and plain-text body.

Pages arrive with the site's own text around the story: a breadcrumb, a language switcher, the
name of whoever uploaded the copy, the headline repeated with the byline or a photo caption
glued on, and "You may also like" / "Leave a Comment" blocks at the end. `clean_page` removes
that by rule rather than by hand, so that the same rules apply to every import, and keeps the
story's own text exactly as received (translation slips included): quotes are later matched
character for character against the body it returns.

The rules, in order:

1. Newlines become LF, trailing spaces and indentation go, and the text is split into blocks
   at blank lines. Lines inside a block stay as they are (bullet lists keep one item a line).
2. Header: from the top, one-line blocks that are site text are dropped (`_header_rule`:
   breadcrumb, language switcher, "by <name>" line, photo caption). The first block that is
   none of these is the title. Blocks after it that repeat the title are dropped too, even
   when the site glued a byline or caption onto the repeat; a person's name found that way is
   kept as the byline. The header ends at the first block that is neither site text nor a
   title repeat, so the rules never reach into the story itself.
3. Footer: the first block that is a known end-of-story marker (`END_MARKERS`, e.g. "You may
   also like", "Leave a Comment") is dropped with everything after it.
4. The remaining blocks are the body, one blank line between paragraphs.
"""

import re
from dataclasses import dataclass

from articles.models import Article

# Whole-line markers after which a page holds only site text (compared case-insensitively,
# ignoring a trailing colon or full stop). Extend the set when a new site adds its own.
END_MARKERS = frozenset(
    {
        "you may also like",
        "you might also like",
        "leave a comment",
        "leave a reply",
        "related articles",
        "related posts",
        "related news",
        "comments",
    }
)

# Language codes as switchers print them ("ua en ru", "UA | EN", "Укр Eng").
LANGUAGE_CODES = frozenset(
    {
        *("ua", "uk", "en", "ru", "de", "fr", "pl", "es", "it", "pt", "ro", "tr", "zh", "ja"),
        *("ko", "ar", "he", "cs", "sk", "hu", "be", "ka", "lt", "lv", "et", "fi", "sv", "no"),
        *("da", "nl", "bg", "sr", "hr", "sl", "el", "kk", "az", "hy"),
        *("eng", "ukr", "rus", "укр", "рус"),
    }
)

# One-line blocks that are the site's furniture wherever they stand, header or body: skip links,
# advertisement labels, reading times, trust boxes, share/subscribe/"read also" lines, photo
# credits. Matched against the whole line, case-insensitively.
FURNITURE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in [
        r"skip to (?:main )?content|перейти до (?:основного )?(?:змісту|вмісту)",
        r"перейти к (?:основному )?содержанию",
        r"advertisement|реклама|ad|sponsored",
        r"(?:reading time|read time|час читання|время чтения)\s*:?\s*\d+\s*\S*(?: read)?",
        r"\d+\s*(?:min(?:ute)?s?|хв(?:илин[и]?)?|мин(?:ут[ы]?)?)\.?\s*(?:read|читання|чтения)",
        r"why you can trust .{1,40}",
        r"(?:read also|read more|see also|читайте також|читайте также|дивіться також)\b.*",
        r"(?:share|поділитися|поделиться)(?: this(?: article)?)?(?:\s*[:|].*)?",
        r"(?:subscribe|підписуйтесь|подписывайтесь|follow us|get access to)\b.*",
        r"\(?\s*(?:photo|фото|image|illustration|credit|source of photo|джерело фото)\s*[:/].*",
        r"\((?:ap|afp|reuters|getty images|epa|yonhap|kcna|тасс|риа новости|укрінформ)[^()]*\)",
        r"(?:ap|afp|reuters|getty images|epa|yonhap) ?(?:photo|images)?(?:\s*/\s*[^\n]{1,60})?",
    ]
]

# The first word of a breadcrumb trail ("Home » Politics » …").
BREADCRUMB_ROOTS = frozenset({"home", "main", "news", "головна", "главная", "новини", "новости"})

# A page with this many lines and no more than one blank line between blocks was copied with
# single newlines between its paragraphs.
SINGLE_NEWLINE_LINES = 4
# A title may end in a full stop when it is one short sentence (some sites print it so).
TITLE_SENTENCE_MAX_WORDS = 16

TITLE_REPEAT_SHARE = 0.8  # share of the title's words a repeat must contain
TITLE_REPEAT_EXTRA_WORDS = 12  # words a repeat may add (a byline, a caption)
TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length

_BREADCRUMB_SEPARATOR = re.compile(r"\s[»›]\s")
_BREADCRUMB_ROOT = re.compile(r"^([^\W\d_]+)\s*(?:»|›|>|→|/|\|)\s*\S")
_SWITCHER_SPLIT = re.compile(r"[\s|/·•,]+")
_BY_LINE = re.compile(
    r"^(?:by|posted by|written by|uploaded by|authors?:|автор(?:и|ы)?:)\s+(.+)$", re.I
)
_CAPTION = re.compile(r"^\(?\s*(?:photo|фото|image|illustration)\s*:", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?$")
_HANDLE = re.compile(r"^[\w.-]+$")
_WORD = re.compile(r"\w+")
_AUTHORS_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bі\b|\bи\b|\bта\b)\s*")
_SENTENCE_END = re.compile(r"[.…][\"”’»)]*$")


@dataclass(frozen=True)
class CleanedPage:
    """What `clean_page` kept of a page, and what it dropped and why."""

    title: str
    body: str
    byline: str = ""
    # (rule, text) pairs for every block that was dropped, so an editor can check them.
    removed: tuple[tuple[str, str], ...] = ()

    @property
    def paragraph_count(self):
        return len(self.body.split("\n\n")) if self.body else 0


def clean_page(raw):
    """Split raw page text into title, body and byline, dropping the site's own text."""
    blocks = _blocks(raw)
    removed = []
    title = ""
    byline = ""
    breadcrumb_title = ""
    position = 0

    while position < len(blocks):
        block = blocks[position]
        rule = _header_rule(block)
        if rule:
            removed.append((rule, block))
            if rule == "breadcrumb":
                breadcrumb_title = breadcrumb_title or _breadcrumb_leaf(block)
            elif rule == "byline":
                byline = byline or _BY_LINE.match(block).group(1).strip()
        elif not title and _can_be_title(block, _next_story_block(blocks, position)):
            title = block
        elif title and _repeats_title(block, title):
            removed.append(("title repeat", block))
            byline = byline or _glued_name(block, title)
        else:
            break
        position += 1

    if not title:
        # The page's only headline may be the breadcrumb's last step.
        title = breadcrumb_title

    body_blocks = []
    for index, block in enumerate(blocks[position:], start=position):
        if _is_end_marker(block):
            removed.extend(("trailing site text", rest) for rest in blocks[index:])
            break
        if _is_furniture(block):
            removed.append(("site text", block))
            continue
        body_blocks.append(block)

    return CleanedPage(
        title=title,
        body="\n\n".join(body_blocks),
        byline=byline,
        removed=tuple(removed),
    )


def _blocks(raw):
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks = []
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            lines.append(line)
        elif lines:
            blocks.append("\n".join(lines))
            lines = []
    if lines:
        blocks.append("\n".join(lines))
    if len(blocks) <= 2 and sum(block.count("\n") + 1 for block in blocks) >= SINGLE_NEWLINE_LINES:
        # A page copied with single newlines between paragraphs: each line is a block.
        return [line for block in blocks for line in block.split("\n")]
    return blocks


def _is_furniture(block):
    return "\n" not in block and any(pattern.fullmatch(block) for pattern in FURNITURE)


def _header_rule(block):
    """The name of the header rule `block` falls under, or "" when it may be story text."""
    if "\n" in block:
        return ""
    if _is_furniture(block):
        return "site text"
    if _BREADCRUMB_SEPARATOR.search(block):
        return "breadcrumb"
    root = _BREADCRUMB_ROOT.match(block)
    if root and root.group(1).lower() in BREADCRUMB_ROOTS:
        return "breadcrumb"
    tokens = [token for token in _SWITCHER_SPLIT.split(block) if token]
    if len(tokens) >= 2 and all(token.lower() in LANGUAGE_CODES for token in tokens):
        return "language switcher"
    by_line = _BY_LINE.match(block)
    if by_line and _looks_like_handle_or_name(by_line.group(1)):
        return "byline" if _is_person_name(by_line.group(1)) else "uploader"
    if _CAPTION.match(block):
        return "caption"
    return ""


def _breadcrumb_leaf(block):
    return re.split(r"\s*(?:»|›|>|→|/|\|)\s*", block)[-1].strip()


def _next_story_block(blocks, position):
    """[the first block after `position` that no header rule drops], or []."""
    return [block for block in blocks[position + 1 :] if not _header_rule(block)][:1]


def _can_be_title(block, following):
    """Whether `block` can be the headline; `following` holds the block after it, if any."""
    if "\n" in block or len(block) > TITLE_MAX_LENGTH:
        return False
    if not _ends_sentence(block):
        return True
    # One short sentence ("Putin and Kim sign a pact.") before a longer paragraph, not the
    # story's first paragraph.
    one_sentence = not re.search(r"[.!?…]\s+\S", block.rstrip(".…"))
    longer_next = bool(following) and len(following[0]) > len(block)
    return one_sentence and longer_next and len(block.split()) <= TITLE_SENTENCE_MAX_WORDS


def _repeats_title(block, title):
    """True when `block` is the title again, possibly reworded slightly or with text glued on."""
    if "\n" in block or _ends_sentence(block):
        return False
    title_words = _words(title)
    block_words = _words(block)
    if not title_words or len(block_words) > len(title_words) + TITLE_REPEAT_EXTRA_WORDS:
        return False
    distinct = set(title_words)
    return len(distinct & set(block_words)) / len(distinct) >= TITLE_REPEAT_SHARE


def _glued_name(block, title):
    """A person's name glued after a repeated title ("… the DPRK Victoria Grabovskaya"), or ""."""
    if block.lower().startswith(title.lower()):
        tail = block[len(title) :].strip()
        return tail if _is_person_name(tail) else ""
    title_words = set(_words(title))
    name = []
    for token in reversed(block.split()):
        if not _is_name_word(token) or token.lower().strip(".") in title_words:
            break
        name.insert(0, token)
    candidate = " ".join(name)
    return candidate if _is_person_name(candidate) else ""


def _looks_like_handle_or_name(text):
    """A site login ("alex", "j.smith") or a person's name, as "by …" lines carry."""
    return bool(_HANDLE.match(text)) or _is_person_name(text)


def _is_person_name(text):
    """Two to four capitalised words ("Victoria Grabovskaya"), or several such names joined by
    "and", "і", "и", "&" or commas ("Jane Doe and John Roe"); not an acronym like "DPRK"."""
    names = [name for name in _AUTHORS_SPLIT.split(text.strip()) if name]
    return bool(names) and all(_is_one_name(name) for name in names)


def _is_one_name(text):
    words = text.split()
    return 2 <= len(words) <= 4 and all(_is_name_word(word) for word in words)


def _is_name_word(word):
    letters = word.rstrip(".")
    is_acronym = len(letters) > 1 and letters.isupper()
    return bool(_NAME_WORD.match(word)) and word[0].isupper() and not is_acronym


def _is_end_marker(block):
    return "\n" not in block and block.lower().rstrip(":.").strip() in END_MARKERS


def _ends_sentence(text):
    return bool(_SENTENCE_END.search(text))


def _words(text):
    return [word.lower() for word in _WORD.findall(text)]
