"""Admin pieces shared by the apps."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.forms.models import _get_foreign_key, model_to_dict
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model, get_history_model_for_model

from core.cache import schedule_public_purge
from core.concurrency import OPENED_VERSION_FIELD, with_edit_conflict_check
from core.history import (
    changes_between,
    prefetch_related_ids,
    revert_reason,
    revert_restored_fields,
    revertable_fields,
    shown_fields,
    snapshot,
    version_values,
)
from core.services import save_stamped, shown_to_readers
from core.workflow import check_edit, edit_refusal

STAMP_FIELDS = ("created", "updated", "updated_by")

# forms.URLField warns until Django 6.0 unless told which scheme a bare "example.org" gets.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def set_version_changes(model, versions):
    """Set `history_delta_changes` on each version of one record (newest first): what it
    changed from the version before."""
    prefetch_related_ids(model, versions)
    for version, older in zip(versions, [*versions[1:], None], strict=True):
        version.history_delta_changes = []
        if version.history_type != "~":
            continue
        older = older or version.prev_record
        if older is not None:
            version.history_delta_changes = changes_between(model, older, version)


def describe(version):
    """str() of the record as of `version`; its links may point at deleted rows."""
    instance = version.instance
    for field in instance._meta.concrete_fields:
        # Links the version's query selected need no query of their own.
        if field.many_to_one and field.is_cached(version):
            field.set_cached_value(instance, field.get_cached_value(version))
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{capfirst(instance._meta.verbose_name)} #{instance.pk}"


class VersionHistoryAdmin(SimpleHistoryAdmin):
    """History pages that show each version's changes field by field, the changes of the rows
    edited inline, and a revert that saves through the change form, as an edit would."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/version_list.html"
    object_history_form_template = "admin/history/version.html"
    # Changes of inline rows listed on the parent's history page, newest first.
    history_inline_limit = 100

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        set_version_changes(self.model, list(historical_records))

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_template:
            context["inline_histories"] = self.inline_histories(request, context["object"])
        return super().render_history_view(request, template, context, **kwargs)

    def inline_histories(self, request, obj):
        """For each recorded inline (a claim's quotes, an expert's name variants, …): its
        rows' latest versions with their changes, and links to rows that have an admin."""
        sections = []
        for inline in self.get_inline_instances(request, obj):
            model = inline.model
            if not hasattr(model._meta, "simple_history_manager_attribute"):
                continue
            parent = _get_foreign_key(self.model, model, fk_name=inline.fk_name)
            links = [field.name for field in shown_fields(model) if field.many_to_one]
            versions = list(
                get_history_manager_for_model(model)
                .filter(**{parent.attname: obj.pk})
                .select_related("history_user", *links)
                .order_by("-history_date", "-history_id")[: self.history_inline_limit + 1]
            )
            truncated = len(versions) > self.history_inline_limit
            versions = versions[: self.history_inline_limit]
            by_row = defaultdict(list)
            for version in versions:
                by_row[version.id].append(version)
            for row_versions in by_row.values():
                set_version_changes(model, row_versions)
            linked = self.admin_site.is_registered(model)
            existing = set()
            if linked:
                existing = set(
                    model._default_manager.filter(pk__in=by_row).values_list("pk", flat=True)
                )
            opts = model._meta
            for version in versions:
                version.row_label = describe(version)
                version.row_history_url = (
                    reverse(
                        f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                        args=[quote(version.id)],
                    )
                    if version.id in existing
                    else None
                )
            sections.append(
                {
                    "title": opts.verbose_name_plural,
                    "versions": versions,
                    "truncated": truncated,
                }
            )
        return sections

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version: what a revert to it would change; a POST reverts (change permission)."""
        request.current_app = self.admin_site.name
        opts = self.model._meta
        object_id = unquote(object_id)
        try:
            version = get_object_or_404(
                get_history_model_for_model(self.model)._default_manager,
                **{opts.pk.attname: object_id, "history_id": version_id},
            )
        except (ValueError, ValidationError) as error:  # an id that is not a number
            raise Http404 from error
        obj = self.get_object(request, object_id)
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        can_revert = (
            obj is not None
            and self.has_change_permission(request, obj)
            and not self.revert_disabled(request, obj)
        )
        if request.method == "POST":
            if not can_revert:
                raise PermissionDenied
            return self.revert(request, obj, version)

        restored = set()
        if can_revert:
            restored = {*self.get_revert_fields(request, obj), *revert_restored_fields(self.model)}
        # Read as "from the record as it is now to this version": what a revert would change.
        changes = changes_between(self.model, obj, version) if obj is not None else []
        when = formats.date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Version of %(when)s") % {"when": when},
            "subtitle": describe(version),
            "opts": opts,
            "object": obj if obj is not None else version.instance,
            "version": version,
            "differences": changes,
            "changes": [change for change in changes if change.field in restored],
            "kept_changes": [change for change in changes if change.field not in restored],
            "snapshot": snapshot(self.model, version),
            "can_revert": can_revert,
            "is_deleted": obj is None,
            "history_url": self.history_url(object_id),
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)

    def history_url(self, object_id):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
            args=[quote(object_id)],
        )

    def get_revert_fields(self, request, obj):
        """The fields a revert restores: those this user may edit in the change form, less
        the workflow's state (see core.history.revertable_fields)."""
        form_fields = self.get_form(request, obj, change=True).base_fields
        return [name for name in revertable_fields(self.model) if name in form_fields]

    def revert(self, request, obj, version):
        """Save `version`'s values through the change form and save_model, as an edit would:
        the same validation, the same side effects, recorded with the user and a reason."""
        form_class = self.get_form(request, obj, change=True)
        values = model_to_dict(obj, fields=form_class.base_fields)
        values.update(version_values(version, self.get_revert_fields(request, obj)))
        anchoring = {name: getattr(version, name) for name in revert_restored_fields(self.model)}
        moves = any(getattr(obj, name) != value for name, value in anchoring.items())
        for name, value in anchoring.items():
            setattr(obj, name, value)
        form = form_class(form_data(form_class, values), instance=obj)
        history_url = self.history_url(obj.pk)
        if not form.is_valid():
            return self.refuse_revert(request, form_errors(form))
        if not form.has_changed() and not moves:
            messages.info(request, _("This version matches the record as it is; nothing changed."))
            return HttpResponseRedirect(history_url)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                reverted = self.save_form(request, form, change=True)
                reverted._change_reason = revert_reason(version, request.user)
                reverted._history_user = request.user
                self.save_model(request, reverted, form, change=True)
                self.save_related(request, form, formsets=[], change=True)
                # A model may refuse the state a revert left it in (a quote whose text left
                # the body): the whole revert is undone.
                refusal = reverted.revert_refusal() if hasattr(reverted, "revert_refusal") else None
                if refusal:
                    raise ValidationError(refusal)
        except ValidationError as error:
            return self.refuse_revert(request, error.messages)
        self.log_change(request, reverted, reverted._change_reason)
        messages.success(request, reverted._change_reason)
        return HttpResponseRedirect(history_url)

    def refuse_revert(self, request, errors):
        messages.error(
            request,
            _("The revert was refused and nothing changed: %(errors)s")
            % {"errors": " ".join(errors)},
        )
        return HttpResponseRedirect(request.get_full_path())


def form_data(form_class, values):
    """`values` as a browser would post them to `form_class` (split widgets split)."""
    data = {}
    for name, value in values.items():
        if name not in form_class.base_fields:
            continue
        if isinstance(value, list):
            value = [getattr(item, "pk", item) for item in value]
        elif value is None:
            value = ""
        widget = form_class.base_fields[name].widget
        if isinstance(widget, forms.MultiWidget) and value != "":
            for suffix, part in zip(widget.widgets_names, widget.decompress(value), strict=True):
                data[f"{name}{suffix}"] = part
        else:
            data[name] = value
    return data


def form_errors(form):
    """A form's errors as sentences, each naming its field."""
    errors = []
    for name, messages_ in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        errors += [f"{capfirst(label)}: {message}" if label else message for message in messages_]
    return errors


def with_edit_check(form_class, user):
    """`form_class` refusing a record `user` may not write in its state (core.workflow's one
    rule) as a form error, so the page comes back with what was typed."""

    class EditCheckedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            refusal = edit_refusal(user, self.instance)
            if refusal:
                self.add_error(None, refusal)

    EditCheckedForm.__name__ = form_class.__name__
    return EditCheckedForm


class StampedAdmin(VersionHistoryAdmin):
    """Shows the stamps read-only, records who saved a record or its inlines, and refuses to
    save a change form over a version someone saved after it was opened (core.concurrency)."""

    formfield_overrides = URL_FIELD_OVERRIDES

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *STAMP_FIELDS)

    def checks_edit_conflicts(self, request, obj):
        """Whether the change form of `obj` carries the version it was opened on."""
        return (
            obj is not None
            and obj.pk is not None
            and hasattr(obj, "updated")
            and self.has_change_permission(request, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.checks_edit_conflicts(request, obj):
            kwargs["form"] = with_edit_conflict_check(
                kwargs.get("form", self.form), drop=self.get_readonly_fields(request, obj)
            )
        kwargs["form"] = with_edit_check(kwargs.get("form", self.form), request.user)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return self.with_opened_version(request, obj, super().get_fieldsets(request, obj))

    def with_opened_version(self, request, obj, fieldsets):
        """`fieldsets` carrying the hidden opened-version field when `obj`'s form checks edit
        conflicts; an admin that builds its own fieldsets passes them through this."""
        if not self.checks_edit_conflicts(request, obj) or not fieldsets:
            return fieldsets
        if OPENED_VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        # The hidden field rides in the first fieldset; the admin renders its row hidden.
        (name, options), *others = fieldsets
        fields = [*options.get("fields", ()), OPENED_VERSION_FIELD]
        return [(name, {**options, "fields": fields}), *others]

    def save_model(self, request, obj, form, change):
        check_edit(user=request.user, item=obj)
        save_stamped(obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        # The inlines' own permissions decide what the page offers; this refuses a hand-made POST.
        for obj in [*formset.deleted_objects, *instances]:
            check_edit(user=request.user, item=obj)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if hasattr(instance, "updated_by_id"):
                instance.updated_by = request.user
            instance.save()
        formset.save_m2m()

    # Deleting what no reader could see (a draft, a draft's quote) purges nothing, so it moves
    # no public ETag; deleting anything shown purges as a save does (core.services).
    def delete_model(self, request, obj):
        label = f"{obj._meta.label} {obj.pk} deleted"
        shown = shown_to_readers(type(obj)._base_manager.filter(pk=obj.pk))
        super().delete_model(request, obj)
        if shown:
            schedule_public_purge(label)

    def delete_queryset(self, request, queryset):
        shown = shown_to_readers(queryset)
        super().delete_queryset(request, queryset)
        if shown:
            schedule_public_purge(f"{queryset.model._meta.label} rows deleted")
