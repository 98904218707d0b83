"""Import articles from ninjs files and saved web pages: the services behind the
`import_articles` command and the admin's upload page.

Each file is one transaction: every item in it is created or updated, or, when anything in
the file fails, nothing of it is written (an outlet it would have created included) and the
file is reported with the reason. An item is matched to an article by its ninjs `uri` (kept
in `Article.external_uri`) or by its web address (`source_url`), so importing it again never
makes a second article: what the file says that differs from the article is written (a body
through `article_update_body`, which re-anchors the article's quotes), and an item that says
nothing new leaves the article untouched. New articles are drafts; an updated article keeps
its status. The options an editor gives fill what a file leaves out on creation (language,
published date) or choose the outlet of new articles; they never change an existing article.

Every item asks core.workflow's one rule for the article it would write: a user who may not
edit the matching article in its state (a contributor, and an article submitted for review
or public) fails the file with "needs an editor: article #N “…” is published", writing nothing
of it. `user=None` is the system (the command run without --user): it may write anything.

Bounds: a file over ARTICLE_IMPORT_MAX_BYTES or a body over ARTICLE_BODY_MAX_CHARS fails;
an upload from the admin (articles_import_upload) over ARTICLE_IMPORT_MAX_REQUEST_BYTES or
holding more than ARTICLE_IMPORT_MAX_ITEMS items is refused whole before anything is read
into the database, so no request holds a long transaction open.
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.text import slugify

from articles import services
from articles.html_import import read_html_page
from articles.models import Article, Language, Outlet, body_max_chars
from articles.ninjs import OWN_URI_PREFIX, ItemError, parse_json
from core.models import DatePrecision, PublicationStatus
from core.services import save_stamped
from core.workflow import edit_refusal
from experts.names import CYRILLIC

# Language codes a file may give (the primary subtag of a BCP 47 tag, any case), and what
# the article stores: "ua" is the country code often written for Ukrainian, "und" (BCP 47's
# "undetermined") is how an export writes the articles filed under "other".
LANGUAGE_CODES = {"en": "en", "uk": "uk", "ua": "uk", "ru": "ru", "und": Language.OTHER}
READERS = {".json": "ninjs", ".html": "html", ".htm": "html"}
DEFAULT_FILE_MAX_BYTES = 10_000_000
DEFAULT_REQUEST_MAX_BYTES = 5_000_000
DEFAULT_MAX_ITEMS = 500


class Outcome(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class ImportFailed(Exception):
    """A file that wrote nothing; the message is the reason, for the editor."""


class ImportRefused(Exception):
    """An upload refused whole, before any of it was imported; the message names the limit."""


@dataclass(frozen=True)
class ImportOptions:
    """What an editor gives for a batch: the outlet of new articles, and the language and
    published date of new articles whose file states none."""

    outlet: Outlet | None = None
    language: str = ""
    published_on: datetime.date | None = None
    published_precision: str = DatePrecision.DAY


@dataclass(frozen=True)
class ItemResult:
    outcome: str
    article: Article
    changed: tuple[str, ...] = ()


@dataclass
class FileResult:
    name: str
    items: list[ItemResult] = field(default_factory=list)
    error: str = ""

    @property
    def failed(self):
        return bool(self.error)


@dataclass
class ImportSummary:
    files: list[FileResult] = field(default_factory=list)

    @property
    def counts(self):
        """{outcome: number}: articles created, updated and unchanged, and files failed."""
        counts = dict.fromkeys(Outcome.values, 0)
        for result in self.files:
            if result.failed:
                counts[Outcome.FAILED] += 1
            for item in result.items:
                counts[item.outcome] += 1
        return counts

    @property
    def failures(self):
        return [result for result in self.files if result.failed]

    def __str__(self):
        return ", ".join(f"{outcome} {number}" for outcome, number in self.counts.items())


def file_max_bytes():
    """The largest file any import reads (ARTICLE_IMPORT_MAX_BYTES)."""
    return getattr(settings, "ARTICLE_IMPORT_MAX_BYTES", DEFAULT_FILE_MAX_BYTES)


def request_max_bytes():
    """The most bytes one admin upload may carry, all files together
    (ARTICLE_IMPORT_MAX_REQUEST_BYTES)."""
    return getattr(settings, "ARTICLE_IMPORT_MAX_REQUEST_BYTES", DEFAULT_REQUEST_MAX_BYTES)


def max_items():
    """The most news items one admin upload may hold (ARTICLE_IMPORT_MAX_ITEMS)."""
    return getattr(settings, "ARTICLE_IMPORT_MAX_ITEMS", DEFAULT_MAX_ITEMS)


def find_import_files(paths):
    """The files to import from `paths`: files as given, directories walked (sorted) for
    *.json, *.html and *.htm."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
            )
        else:
            found.append(path)
    return found


def read_items(*, data, name):
    """The news items of one file's content, read by its suffix; ItemError when unreadable."""
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        raise ItemError("not a .json (ninjs) or .html (saved web page) file.")
    if len(data) > file_max_bytes():
        raise ItemError(f"the file is larger than the limit of {file_max_bytes():,} bytes.")
    if reader == "ninjs":
        return parse_json(data)
    return [read_html_page(data)]


def articles_import_file(*, path=None, data=None, name=None, items=None, user=None, options=None):
    """Import every news item of one file (a path, `data` bytes or its read `items`, with its
    file `name`) in one transaction; returns its ItemResults or raises ImportFailed having
    written nothing."""
    options = options or ImportOptions()
    name = name or str(path)
    try:
        if items is None:
            if data is None:
                data = _read(Path(path))
            items = read_items(data=data, name=name)
        with transaction.atomic():
            results = []
            for number, item in enumerate(items, start=1):
                where = "" if len(items) == 1 else f"item {number}: "
                try:
                    results.append(_import_item(item, where=where, user=user, options=options))
                except ValidationError as error:
                    raise ItemError(f"{where}{describe_validation_error(error)}") from error
            return results
    except ItemError as error:
        raise ImportFailed(str(error)) from error
    except DatabaseError as error:
        # A row written at the same moment by another import, caught by a constraint.
        raise ImportFailed(f"the database refused it: {error}") from error


def articles_import_files(*, files, user=None, options=None, progress=None):
    """Import each of `files` ((name, path) or (name, bytes) pairs) on its own; returns the
    ImportSummary. `progress(position, total, FileResult)` is called after each file."""
    files = list(files)
    summary = ImportSummary()
    for position, (name, source) in enumerate(files, start=1):
        result = FileResult(name=name)
        source_kwargs = {"data": source} if isinstance(source, bytes) else {"path": source}
        try:
            result.items = articles_import_file(
                name=name, user=user, options=options, **source_kwargs
            )
        except ImportFailed as error:
            result.error = str(error)
        summary.files.append(result)
        if progress is not None:
            progress(position, len(files), result)
    return summary


def articles_import_upload(*, uploads, user=None, options=None):
    """Import the files of one admin upload ((name, file) pairs; each file has `size` and
    `read()`, as Django's UploadedFile) and return the ImportSummary.

    Refused whole with ImportRefused, nothing imported, when the files together are over
    request_max_bytes() or hold more than max_items() news items: a request never runs an
    import of unbounded size (the command has no item limit). Otherwise each file is imported
    on its own, as articles_import_files does.
    """
    total = sum(upload.size for _, upload in uploads)
    if total > request_max_bytes():
        raise ImportRefused(
            f"These files come to {total:,} bytes, over the limit of {request_max_bytes():,} "
            "bytes for one upload (ARTICLE_IMPORT_MAX_REQUEST_BYTES); nothing was imported. "
            "Upload them in smaller batches, or have them imported with "
            "`manage.py import_articles`."
        )
    read = []
    for name, upload in uploads:
        try:
            # One byte past the limit at most: enough for read_items to refuse the file.
            read.append((name, read_items(data=upload.read(file_max_bytes() + 1), name=name), ""))
        except ItemError as error:
            read.append((name, None, str(error)))
    count = sum(len(items) for _, items, _ in read if items)
    if count > max_items():
        raise ImportRefused(
            f"These files hold {count:,} articles, over the limit of {max_items():,} for one "
            "upload (ARTICLE_IMPORT_MAX_ITEMS); nothing was imported. Upload them in smaller "
            "batches, or have them imported with `manage.py import_articles`."
        )
    summary = ImportSummary()
    for name, items, error in read:
        result = FileResult(name=name, error=error)
        if items is not None:
            try:
                result.items = articles_import_file(
                    name=name, items=items, user=user, options=options
                )
            except ImportFailed as failure:
                result.error = str(failure)
        summary.files.append(result)
    return summary


def describe_validation_error(error):
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


def _read(path):
    try:
        with path.open("rb") as file:
            # One byte past the limit at most: enough for read_items to refuse the file.
            return file.read(file_max_bytes() + 1)
    except FileNotFoundError as error:
        raise ItemError("no such file.") from error
    except IsADirectoryError as error:
        raise ItemError("a directory, not a file.") from error
    except OSError as error:
        raise ItemError(f"cannot be read: {error.strerror}.") from error


def _import_item(item, *, where, user, options):
    if len(item.body) > body_max_chars():
        raise ItemError(
            f"{where}the body has {len(item.body):,} characters, over the limit of "
            f"{body_max_chars():,} (ARTICLE_BODY_MAX_CHARS)."
        )
    if not item.uri and not item.source_url:
        raise ItemError(
            f"{where}the page gives no address (no canonical link, og:url or “saved from” "
            "note), so importing it again could not find this article."
        )
    language = _language(item.language, where)
    article = _matching_article(item, where)
    if article is not None:
        # Asked before anything is compared: an article the user may not edit is not theirs
        # to import over, whether or not the file would change it.
        _check_may_write(user, article, where)
        return _update(article, item, language=language, user=user)
    _check_may_write(user, Article(status=PublicationStatus.DRAFT), where)
    return _create(item, language=language, where=where, user=user, options=options)


def _check_may_write(user, record, where):
    """ItemError with core.workflow's sentence when `user` may not write `record`."""
    refusal = edit_refusal(user, record)
    if refusal:
        raise ItemError(f"{where}{refusal[0].lower()}{refusal[1:]}")


def _language(code, where):
    """The article language of a BCP 47 tag ("en-GB" → "en"), "" when none is given."""
    if not code:
        return ""
    primary = code.replace("_", "-").split("-")[0].lower()
    if primary not in LANGUAGE_CODES:
        known = ", ".join(sorted(c for c in LANGUAGE_CODES if c != "und"))
        raise ItemError(f"{where}unknown language code “{code}” (known: {known}).")
    return LANGUAGE_CODES[primary]


def _matching_article(item, where):
    """The article this item was imported as before: by its uri, else by its web address.

    An export of this database names an article that has neither a uri nor a web address by
    its slug (OWN_URI_PREFIX); such an item matches that article when its outlet is the
    same, so exporting and importing again into the same database duplicates nothing.
    """
    by_uri = by_url = None
    articles = Article.objects.select_for_update()
    if item.uri:
        by_uri = articles.filter(external_uri=item.uri).first()
    if by_uri is None and item.uri.startswith(OWN_URI_PREFIX):
        by_uri = articles.filter(
            slug=item.uri.removeprefix(OWN_URI_PREFIX),
            external_uri="",
            source_url="",
            outlet__name=item.outlet.get("name") or item.outlet_name,
        ).first()
    if item.source_url:
        by_url = articles.filter(source_url=item.source_url).first()
    if by_uri and by_url and by_uri != by_url:
        raise ItemError(
            f"{where}its uri is that of article #{by_uri.pk} but its address that of "
            f"article #{by_url.pk}; fix one of them first."
        )
    return by_uri or by_url


def _external_uri(item, article=None):
    """The uri to keep for the item: not when it only repeats its web address, nor when it
    is this database's own name for `article`."""
    if item.uri == item.source_url:
        return ""
    if article is not None and item.uri == f"{OWN_URI_PREFIX}{article.slug}":
        return article.external_uri
    return item.uri


def _create(item, *, language, where, user, options):
    language = language or options.language
    if not language:
        raise ItemError(f"{where}no language given; choose the language of the file's articles.")
    if item.published_on:
        published_on = item.published_on
        precision = _precision(item.published_precision)
    elif options.published_on:
        published_on, precision = options.published_on, options.published_precision
    else:
        raise ItemError(f"{where}no publication date found; give the date the article appeared.")
    outlet = options.outlet or _outlet(item, language=language, where=where, user=user)
    article = Article(
        title=item.headline,
        slug=_unique_slug(Article, item.slugline or item.headline, fallback="article"),
        outlet=outlet,
        byline=item.byline,
        source_url=item.source_url,
        external_uri=_external_uri(item),
        published_on=published_on,
        published_precision=precision,
        language=language,
        standfirst=item.standfirst,
        body=item.body,
        status=PublicationStatus.DRAFT,
    )
    save_stamped(article, user=user)
    topics = _matching_topics(item.subjects)
    if topics:
        article.topics.add(*topics)
    return ItemResult(Outcome.CREATED, article)


def _update(article, item, *, language, user):
    """Write what the item says differently from the article, in one save; a new body is
    saved through article_update_body, which re-anchors the article's quotes."""
    wanted = {
        "title": item.headline,
        "byline": item.byline,
        "standfirst": item.standfirst,
        "language": language,
        "source_url": item.source_url,
    }
    if not article.external_uri:
        # An article keeps the first uri it was imported under; one it lacks is filled in.
        wanted["external_uri"] = _external_uri(item, article)
    if item.published_on:
        wanted["published_on"] = item.published_on
        wanted["published_precision"] = _precision(item.published_precision)
    # What the item leaves out (an empty byline, no standfirst) keeps the article's value.
    changed = [name for name, value in wanted.items() if value and getattr(article, name) != value]
    for name in changed:
        setattr(article, name, wanted[name])
    if item.body != article.body:
        changed.append("body")
        # Saves the other changes too, and re-anchors the quotes in the same transaction.
        services.article_update_body(article=article, body=item.body, user=user)
    elif changed:
        save_stamped(article, user=user)
    outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
    return ItemResult(outcome, article, tuple(changed))


def _precision(value):
    return value if value in DatePrecision.values else DatePrecision.DAY


def _outlet(item, *, language, where, user):
    """The outlet the item names (the `kb:outlet` extension, copyright holder, provider or
    site name), matched by name, then by web domain; created when none matches."""
    described = item.outlet
    name = str(described.get("name") or item.outlet_name or "").strip()
    home_url = str(described.get("home_url") or "")
    domain = _domain(home_url or item.source_url)
    if name:
        outlet = Outlet.objects.filter(name__iexact=name).order_by("pk").first()
        if outlet is not None:
            return outlet
    if domain:
        candidates = Outlet.objects.filter(home_url__icontains=domain).order_by("pk")
        for outlet in candidates:
            if _domain(outlet.home_url) == domain:
                return outlet
    if not name and not domain:
        raise ItemError(
            f"{where}no outlet: the file names no copyright holder, provider or site and has "
            "no web address; choose the outlet."
        )
    outlet = Outlet(
        name=name or domain,
        slug=_unique_slug(Outlet, str(described.get("slug") or name or domain), fallback="outlet"),
        home_url=home_url or (f"https://{domain}/" if domain else ""),
        country=str(described.get("country") or ""),
        language=described.get("language")
        if described.get("language") in Language.values
        else language,
    )
    _check_may_write(user, outlet, where)
    return save_stamped(outlet, user=user)


def _domain(url):
    host = (urlsplit(url).hostname or "") if url else ""
    return host.lower().removeprefix("www.")


def _unique_slug(model, text, *, fallback):
    """A slug for `text` (Cyrillic transliterated) that no row of `model` has yet."""
    max_length = model._meta.get_field("slug").max_length - 4  # room for "-999"
    latin = "".join(CYRILLIC.get(char, char) for char in text.lower())
    base = slugify(latin)[:max_length].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _matching_topics(subjects):
    """The existing topics among an item's subjects, by slug or title; none is created."""
    from claims.models import Topic

    conditions = [
        condition
        for name, code in subjects
        for condition in (
            models.Q(slug=code) if code else None,
            models.Q(title__iexact=name) if name else None,
        )
        if condition is not None
    ]
    if not conditions:
        return []
    return list(Topic.objects.filter(reduce(or_, conditions)))
