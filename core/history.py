"""Recorded versions (django-simple-history rows) read as changes a person can follow.

A version is compared field by field with the one before it, or with the record as it stands:
labels are the fields' verbose names, choices show their labels, links show the linked record,
and long texts show only the words that changed, with a little context around them.
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

# Stamps change on every save; the version's own user and date already say who and when.
STAMP_FIELDS = ("created", "updated", "updated_by")
# Publication state moves only through the workflow's transitions, never by a revert.
WORKFLOW_FIELDS = ("status",)

EMPTY = "—"
# Values up to this long (and on one line) are shown whole, old → new.
SHORT_VALUE = 80
# Unchanged text kept around a change in a long text diff, in characters.
CONTEXT = 40
# Removed or added text longer than this is cut in the diff (the version page has it whole).
LONG_CHANGE = 600
# Word-diffing two passages costs about the product of their lengths in words.
MAX_WORD_DIFF = 250_000
# HistoricalRecords stores the change reason in a CharField(max_length=100).
REASON_LENGTH = 100

WORDS = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """One field's change, ready to show: `diff` is set (escaped HTML) for long texts."""

    field: str
    label: str
    old: str
    new: str
    diff: SafeString | None = None


def shown_fields(model):
    """The fields a history shows: every recorded field except the key and the stamps."""
    history_model = get_history_model_for_model(model)
    recorded = {field.name for field in history_model._meta.fields}
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in STAMP_FIELDS and field.name in recorded
    ]
    return fields + list(history_model._history_m2m_fields)


def revertable_fields(model):
    """The names a revert restores: the editable fields, not the workflow's state."""
    return [
        field.name
        for field in shown_fields(model)
        if field.editable and field.name not in WORKFLOW_FIELDS
    ]


def revert_restored_fields(model):
    """Fields outside the change form that a revert restores as its starting point, as the
    model names them in `revert_restores` (a quote's anchoring)."""
    return list(getattr(model, "revert_restores", ()))


def changes_between(model, old, new):
    """What differs from `old` to `new` (versions or records of `model`), in field order."""
    changes = []
    for field in shown_fields(model):
        if field.many_to_many:
            old_ids, new_ids = _related_ids(field, old), _related_ids(field, new)
            if old_ids != new_ids:
                changes.append(
                    Change(
                        field.name,
                        _label(field),
                        _m2m_display(field, old_ids),
                        _m2m_display(field, new_ids),
                    )
                )
            continue
        old_value, new_value = getattr(old, field.attname), getattr(new, field.attname)
        if old_value == new_value:
            continue
        old_text, new_text = display_value(field, old), display_value(field, new)
        diff = None
        if _is_long_text(field, old_value, new_value):
            diff = text_diff(old_value or "", new_value or "")
        changes.append(Change(field.name, _label(field), old_text, new_text, diff))
    return changes


def snapshot(model, holder):
    """[(label, value)] of every shown field of `holder` (a version or a record)."""
    rows = []
    for field in shown_fields(model):
        if field.many_to_many:
            value = _m2m_display(field, _related_ids(field, holder))
        else:
            value = display_value(field, holder)
        rows.append((_label(field), value))
    return rows


def display_value(field, holder):
    """The value of `field` on `holder` as a reader would name it."""
    value = getattr(holder, field.attname)
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        try:
            return str(getattr(holder, field.name))
        except ObjectDoesNotExist:
            return _("%(model)s #%(pk)s (deleted)") % {
                "model": field.related_model._meta.verbose_name,
                "pk": value,
            }
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def version_values(version, names):
    """{name: value} of `version` for `names`, as a form takes them (links as ids)."""
    model = version.instance_type
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(_related_ids(field, version))
        else:
            values[name] = getattr(version, field.attname)
    return values


def revert_reason(version, user):
    """The change reason a revert records, within the column's 100 characters."""
    when = f"{timezone.localtime(version.history_date):%Y-%m-%d %H:%M}"
    reason = _("Reverted to version of %(when)s by %(user)s") % {
        "when": when,
        "user": user.get_username(),
    }
    return Truncator(reason).chars(REASON_LENGTH)


def text_diff(old, new):
    """Escaped HTML of `old` → `new`: changed lines, then the changed words within them,
    in <del>/<ins>, with CONTEXT characters of unchanged text around each change."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            parts.append(("=", before))
        elif tag == "replace":
            parts.extend(_word_diff(before, after))
        elif tag == "delete":
            parts.append(("-", before))
        else:
            parts.append(("+", after))
    return _render(_merge(_join_changes(parts)))


def _word_diff(old, new):
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    if len(old_words) * len(new_words) > MAX_WORD_DIFF:
        return [("-", old), ("+", new)]
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("=", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", "".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("+", "".join(new_words[j1:j2])))
    return parts


def _join_changes(parts):
    """Fold a lone space between two changes into them: "<del>a b</del><ins>c d</ins>",
    not four fragments."""
    joined, removed, added = [], [], []

    def flush():
        if removed:
            joined.append(("-", "".join(removed)))
        if added:
            joined.append(("+", "".join(added)))
        removed.clear()
        added.clear()

    for index, (op, text) in enumerate(parts):
        between_changes = (
            0 < index < len(parts) - 1 and parts[index - 1][0] != "=" and parts[index + 1][0] != "="
        )
        if op == "=" and text.isspace() and between_changes:
            removed.append(text)
            added.append(text)
        elif op == "=":
            flush()
            joined.append((op, text))
        elif op == "-":
            removed.append(text)
        else:
            added.append(text)
    flush()
    return joined


def _merge(parts):
    merged = []
    for op, text in parts:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _render(parts):
    html = []
    last = len(parts) - 1
    for index, (op, text) in enumerate(parts):
        if op == "=":
            html.append(escape(_context(text, first=index == 0, last=index == last)))
        else:
            tag = "del" if op == "-" else "ins"
            html.append(f"<{tag}>{escape(_cut(text))}</{tag}>")
    return mark_safe("".join(html))  # noqa: S308 - every piece is escaped above


def _context(text, *, first, last):
    """Unchanged text between changes, shortened to the words next to them."""
    kept = (0 if first else CONTEXT) + (0 if last else CONTEXT)
    if len(text) <= kept + 1:
        return text
    head = "" if first else _words_from_start(text[:CONTEXT])
    tail = "" if last else _words_to_end(text[-CONTEXT:])
    return f"{head}…{tail}"


def _words_from_start(text):
    cut = re.search(r"\s\S*$", text)
    return text[: cut.start() + 1] if cut and cut.start() else text


def _words_to_end(text):
    cut = re.search(r"^\S*\s", text)
    return text[cut.end() - 1 :] if cut and cut.end() < len(text) else text


def _cut(text):
    if len(text) <= LONG_CHANGE:
        return text
    return Truncator(text).chars(LONG_CHANGE)


def _is_long_text(field, old, new):
    if not isinstance(field, models.CharField | models.TextField):
        return False
    texts = [old or "", new or ""]
    return any(len(text) > SHORT_VALUE or "\n" in text for text in texts)


def _label(field):
    return capfirst(field.verbose_name)


def prefetch_related_ids(model, versions):
    """Load the many-to-many ids of `versions` of `model` in one query per field."""
    history_model = get_history_model_for_model(model)
    for field in history_model._history_m2m_fields:
        rows = getattr(history_model, field.name).model._default_manager
        target = f"{get_m2m_reverse_field_name(field)}_id"
        ids = {version.history_id: set() for version in versions}
        pairs = rows.filter(history__in=list(ids)).values_list("history_id", target)
        for history_id, related_id in pairs:
            ids[history_id].add(related_id)
        for version in versions:
            if not hasattr(version, "_related_ids"):
                version._related_ids = {}
            version._related_ids[field.name] = ids[version.history_id]


def _related_ids(field, holder):
    """The ids linked through many-to-many `field` on a version or on a record."""
    prefetched = getattr(holder, "_related_ids", {})
    if field.name in prefetched:
        return prefetched[field.name]
    if hasattr(holder, "history_id"):
        target = get_m2m_reverse_field_name(field)
        return set(getattr(holder, field.name).values_list(f"{target}_id", flat=True))
    return set(getattr(holder, field.name).values_list("pk", flat=True))


def _m2m_display(field, ids):
    if not ids:
        return EMPTY
    related = field.related_model._default_manager.filter(pk__in=ids)
    names = sorted(str(obj) for obj in related)
    missing = len(ids) - len(names)
    if missing:
        names.append(_("%(count)d deleted") % {"count": missing})
    return ", ".join(names)
