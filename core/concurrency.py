"""No lost updates in the admin: a change form remembers which version of the record it was
opened on and refuses to save over a version saved since.

The form carries the record's `updated` stamp (core.models.Stamped) as it was loaded, in a
hidden field. On submit the form locks the record's row (SELECT … FOR UPDATE, held until the
admin's transaction ends) and compares the stamp stored now with the one it was opened on: if
another editor saved in between, the form fails with an error naming them, and the admin saves
nothing, inlines included. Two editors submitting at the same moment are serialised by the
lock, so the second always sees the first one's stamp.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst

# The hidden field's name; not a model field, so it never clashes with one.
OPENED_VERSION_FIELD = "opened_version"


class OpenedVersionField(forms.CharField):
    """The hidden stamp: a marker of what was loaded, never a change to the record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


def version_stamp(updated):
    """The `updated` stamp as the hidden field carries it (UTC, to the microsecond)."""
    return updated.astimezone(datetime.UTC).isoformat()


class EditConflictCheck:
    """Mixin for the ModelForm of a Stamped record's change form (see with_edit_conflict_check)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.updated is not None:
            self.initial.setdefault(OPENED_VERSION_FIELD, version_stamp(self.instance.updated))

    def clean(self):
        cleaned = super().clean()
        opened = self.cleaned_data.get(OPENED_VERSION_FIELD)
        # Left out only by code that fills the form itself (a revert), never by the page.
        if opened and self.instance.pk is not None:
            self.check_unchanged_since(opened)
        return cleaned

    def check_unchanged_since(self, opened):
        model = type(self.instance)
        with transaction.atomic(using=router.db_for_write(model)):
            stored = (
                model._base_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated", "updated_by")
                .first()
            )
        name = capfirst(model._meta.verbose_name)
        if stored is None:
            raise ValidationError(
                f"This {model._meta.verbose_name} was deleted after you opened it; nothing was "
                "saved.",
                code="edit_conflict",
            )
        updated, updated_by = stored
        if version_stamp(updated) == opened:
            return
        user = get_user_model()._base_manager.filter(pk=updated_by).first()
        who = user.get_username() if user is not None else "someone else"
        when = formats.date_format(timezone.localtime(updated), "DATETIME_FORMAT")
        raise ValidationError(
            f"{name} “{self.instance}” was changed by {who} at {when} after you opened it; "
            "reload to see their changes. Nothing was saved.",
            code="edit_conflict",
        )


def with_edit_conflict_check(form_class, *, drop=()):
    """`form_class` with the hidden opened-version field and the check on save; the declared
    fields named in `drop` are left out (as the admin does for read-only fields)."""
    attrs = {
        OPENED_VERSION_FIELD: OpenedVersionField(),
        **dict.fromkeys(name for name in drop if name in form_class.declared_fields),
    }
    return type(form_class)(form_class.__name__, (EditConflictCheck, form_class), attrs)
