"""Admin pieces shared by the apps."""

from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from config.services import save_stamped

STAMP_FIELDS = ("created", "updated", "updated_by")

# forms.URLField warns until Django 6.0 unless told which scheme a bare "example.org" gets.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class StampedAdmin(SimpleHistoryAdmin):
    """Shows the stamps read-only and records who saved a record or its inlines."""

    formfield_overrides = URL_FIELD_OVERRIDES

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *STAMP_FIELDS)

    def save_model(self, request, obj, form, change):
        save_stamped(obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if hasattr(instance, "updated_by_id"):
                instance.updated_by = request.user
            instance.save()
        formset.save_m2m()
