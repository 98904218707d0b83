"""Import files of news items (ninjs .json, saved web pages .html): the services behind the
`import_articles` command and the admin's upload page.

Each file is one transaction: every item in it is written by upsert.article_upsert (created,
or the article imported from it before updated), or, when anything in the file fails, nothing
of it is written (an outlet it would have created included) and the file is reported with
the reason, e.g. "needs an editor: article #N “…” is published" when the user may not edit
the article the file would change. `user=None` is the system (the command run without --user).

Bounds: a file over ARTICLE_IMPORT_MAX_BYTES or a body over ARTICLE_BODY_MAX_CHARS fails;
an upload from the admin (articles_import_upload) over ARTICLE_IMPORT_MAX_REQUEST_BYTES or
holding more than ARTICLE_IMPORT_MAX_ITEMS items is refused whole before anything is read
into the database, so no request holds a long transaction open.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction

from articles.imports.html import read_html_page
from articles.imports.items import ItemError, NewsItem
from articles.imports.ninjs import parse_json
from articles.imports.upsert import ImportOptions, ItemResult, Outcome, article_upsert

READERS = {".json": "ninjs", ".html": "html", ".htm": "html"}
DEFAULT_FILE_MAX_BYTES = 10_000_000
DEFAULT_REQUEST_MAX_BYTES = 5_000_000
DEFAULT_MAX_ITEMS = 500


class ImportFailed(Exception):
    """A file that wrote nothing; the message is the reason, for the editor."""


class ImportRefused(Exception):
    """An upload refused whole, before any of it was imported; the message names the limit."""


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


def articles_import_file(
    *,
    path: Path | str | None = None,
    data: bytes | None = None,
    name: str | None = None,
    items: list[NewsItem] | None = None,
    user=None,
    options: ImportOptions | None = None,
) -> list[ItemResult]:
    """Import every news item of one file (a path, `data` bytes or its read `items`, with its
    file `name`) in one transaction; returns its ItemResults or raises ImportFailed having
    written nothing."""
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
                    results.append(
                        article_upsert(item=item, where=where, user=user, options=options)
                    )
                except ValidationError as error:
                    raise ItemError(f"{where}{describe_validation_error(error)}") from error
            return results
    except ItemError as error:
        raise ImportFailed(str(error)) from error
    except DatabaseError as error:
        # A row written at the same moment by another import, caught by a constraint.
        raise ImportFailed(f"the database refused it: {error}") from error


# What one file of a batch is: its path, its content, the items already read from it, or the
# ItemError its reading raised.
Source = Path | str | bytes | list[NewsItem] | ItemError


def articles_import_files(
    *,
    files: Iterable[tuple[str, Source]],
    user=None,
    options: ImportOptions | None = None,
    progress: Callable[[int, int, "FileResult"], None] | None = None,
) -> ImportSummary:
    """Import each of `files` ((name, source) pairs, a source being a path, bytes, read items or
    the ItemError reading it raised) on its own; returns the ImportSummary.
    `progress(position, total, FileResult)` is called after each file."""
    files = list(files)
    summary = ImportSummary()
    for position, (name, source) in enumerate(files, start=1):
        result = FileResult(name=name)
        if isinstance(source, ItemError):
            result.error = str(source)
        else:
            kwargs = (
                {"data": source}
                if isinstance(source, bytes)
                else {"items": source}
                if isinstance(source, list)
                else {"path": source}
            )
            try:
                result.items = articles_import_file(name=name, user=user, options=options, **kwargs)
            except ImportFailed as error:
                result.error = str(error)
        summary.files.append(result)
        if progress is not None:
            progress(position, len(files), result)
    return summary


def articles_import_upload(
    *, uploads: list[tuple[str, UploadedFile]], user=None, options: ImportOptions | None = None
) -> ImportSummary:
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
            read.append((name, read_items(data=upload.read(file_max_bytes() + 1), name=name)))
        except ItemError as error:
            read.append((name, error))
    count = sum(len(items) for _, items in read if isinstance(items, list))
    if count > max_items():
        raise ImportRefused(
            f"These files hold {count:,} articles, over the limit of {max_items():,} for one "
            "upload (ARTICLE_IMPORT_MAX_ITEMS); nothing was imported. Upload them in smaller "
            "batches, or have them imported with `manage.py import_articles`."
        )
    return articles_import_files(files=read, user=user, options=options)


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
