"""The editorial workflow in the admin: transition buttons, actions and the review queue.

The status is never a form field; it moves only through the transition services, which
check the user's permission themselves, so a button, an action and a hand-made POST are
refused alike.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.workflow import (
    TRANSITIONS,
    InvalidTransition,
    allowed_transitions,
    may_edit,
    reviewed_models,
)

WORKFLOW_FIELDS = (
    "status",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "published_at",
    "correction_note",
    "corrected_at",
    "withdrawn_reason",
    "withdrawn_at",
)
WORKFLOW_FIELDSET = (
    _("Workflow"),
    {
        "fields": [
            "status",
            ("submitted_by", "submitted_at"),
            ("reviewed_by", "reviewed_at"),
            "published_at",
            ("correction_note", "corrected_at"),
            ("withdrawn_reason", "withdrawn_at"),
        ],
        "description": _("Changed only by the workflow buttons at the top of the page."),
    },
)


class TransitionForm(forms.Form):
    """The note or reason a transition asks for; empty for those that need none."""

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.text_argument:
            self.fields["text"] = forms.CharField(
                label=transition.text_label, widget=forms.Textarea(attrs={"rows": 4})
            )


def _without_workflow_fields(entries):
    """Fieldset `fields` minus the workflow fields, also inside the tuples of one line."""
    kept = []
    for entry in entries:
        if isinstance(entry, list | tuple):
            entry = tuple(name for name in entry if name not in WORKFLOW_FIELDS)
            if entry:
                kept.append(entry if len(entry) > 1 else entry[0])
        elif entry not in WORKFLOW_FIELDS:
            kept.append(entry)
    return kept


class WorkflowAdminMixin:
    """For the ModelAdmin of a model with the workflow (core.models.Reviewed).

    `workflow_services` maps each transition name to its service in the app's services.py,
    called as service(<model_name>=item, user=user[, note=/reason=text]).
    """

    workflow_services = {}
    workflow_actions = list(TRANSITIONS)

    # Fields and permissions

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *WORKFLOW_FIELDS)

    def get_fieldsets(self, request, obj=None):
        """The admin's fieldsets without the workflow fields, then a Workflow fieldset."""
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = _without_workflow_fields(options.get("fields", ()))
            fieldsets.append((name, {**options, "fields": fields}))
        return [*fieldsets, WORKFLOW_FIELDSET] if obj is not None else fieldsets

    def has_change_permission(self, request, obj=None):
        """Contributors edit drafts only; what has been submitted is the editors' to change."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, obj))

    def _may(self, request, name):
        return request.user.has_perm(TRANSITIONS[name].permission(self.opts))

    # ModelAdmin.get_actions() asks these for the actions' `permissions`.

    def has_submit_for_review_permission(self, request):
        return self._may(request, "submit_for_review")

    def has_publish_permission(self, request):
        return self._may(request, "publish")

    def has_return_to_draft_permission(self, request):
        return self._may(request, "return_to_draft")

    def has_correct_permission(self, request):
        return self._may(request, "correct")

    def has_withdraw_permission(self, request):
        return self._may(request, "withdraw")

    # One transition from the change page

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_transition",
            ),
            *super().get_urls(),
        ]

    def transition_url(self, obj, name):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_transition",
            args=[quote(obj.pk), name],
            current_app=self.admin_site.name,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow_item": obj,
                "workflow_transitions": [
                    (transition, self.transition_url(obj, transition.name))
                    for transition in allowed_transitions(request.user, obj)
                    if transition.name in self.workflow_services
                ],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        """GET: confirm the transition (asking for its note or reason); POST: apply it."""
        transition = TRANSITIONS.get(name)
        if transition is None or name not in self.workflow_services:
            raise Http404(f"No transition “{name}”.")
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with the key “{object_id}”.")
        if not self._may(request, name):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(obj.pk)],
            current_app=self.admin_site.name,
        )
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        form = TransitionForm(
            request.POST if request.method == "POST" else None, transition=transition
        )
        if request.method == "POST" and form.is_valid():
            try:
                self.run_transition(request, obj, name, form.cleaned_data.get("text", ""))
            except InvalidTransition as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(next_url or change_url)
            except ValidationError as error:
                form.add_error("text" if "text" in form.fields else None, error.messages)
            else:
                self.message_user(
                    request,
                    _("“%(item)s” was %(verb)s.") % {"item": obj, "verb": transition.verb},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(next_url or change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{transition.label}: {obj}",
            "transition": transition,
            "objects": [obj],
            "form": form,
            "next": next_url,
            "cancel_url": next_url or change_url,
        }
        return TemplateResponse(request, "admin/workflow/transition.html", context)

    def run_transition(self, request, obj, name, text=""):
        """Call the app's service for transition `name` on `obj`."""
        transition = TRANSITIONS[name]
        extra = {transition.text_argument: text} if transition.text_argument else {}
        return self.workflow_services[name](
            **{self.opts.model_name: obj}, user=request.user, **extra
        )

    # The same transitions as list actions

    def run_action(self, request, queryset, name):
        """Apply transition `name` to every selected item, all or none.

        A transition that needs a note or a reason first shows a page asking for it.
        """
        transition = TRANSITIONS[name]
        # Lock by primary key alone: PostgreSQL refuses FOR UPDATE on the grouped queries an
        # annotated changelist hands over.
        items = list(
            self.model._default_manager.filter(pk__in=queryset.values("pk")).order_by("pk")
        )
        form = TransitionForm(
            request.POST if "apply" in request.POST else None, transition=transition
        )
        if transition.text_argument and not form.is_valid():
            return TemplateResponse(
                request,
                "admin/workflow/transition.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "title": f"{transition.label}: {self.opts.verbose_name_plural}",
                    "transition": transition,
                    "objects": items,
                    "form": form,
                    "action": name,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "cancel_url": request.get_full_path(),
                },
            )
        text = form.cleaned_data.get("text", "") if form.is_bound else ""
        try:
            with transaction.atomic():
                for item in items:
                    self.run_transition(request, item, name, text)
        except ValidationError as error:
            self.message_user(
                request,
                _("Nothing was changed. %(reason)s") % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)d %(name)s was %(verb)s.",
                "%(count)d %(plural)s were %(verb)s.",
                len(items),
            )
            % {
                "count": len(items),
                "name": self.opts.verbose_name,
                "plural": self.opts.verbose_name_plural,
                "verb": transition.verb,
            },
            messages.SUCCESS,
        )
        return None

    @admin.action(
        description=_("Submit selected %(verbose_name_plural)s for review"),
        permissions=["submit_for_review"],
    )
    def submit_for_review(self, request, queryset):
        return self.run_action(request, queryset, "submit_for_review")

    @admin.action(
        description=_("Publish selected %(verbose_name_plural)s"), permissions=["publish"]
    )
    def publish(self, request, queryset):
        return self.run_action(request, queryset, "publish")

    @admin.action(
        description=_("Return selected %(verbose_name_plural)s to draft"),
        permissions=["return_to_draft"],
    )
    def return_to_draft(self, request, queryset):
        return self.run_action(request, queryset, "return_to_draft")

    @admin.action(
        description=_("Publish a correction to selected %(verbose_name_plural)s"),
        permissions=["correct"],
    )
    def correct(self, request, queryset):
        return self.run_action(request, queryset, "correct")

    @admin.action(
        description=_("Withdraw selected %(verbose_name_plural)s"), permissions=["withdraw"]
    )
    def withdraw(self, request, queryset):
        return self.run_action(request, queryset, "withdraw")


class WorkflowInlineMixin:
    """An inline of a workflow item: editable exactly when its parent item is."""

    def _parent_editable(self, request, obj):
        return obj is None or may_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


def review_queue_view(model_admin):
    """The admin view listing every item in review of the models the apps registered
    (core.workflow.register_reviewed: articles and claims), oldest submission first."""

    def view(request):
        site = model_admin.admin_site
        visible = [
            reviewed
            for reviewed in reviewed_models()
            if site.is_registered(reviewed.model)
            and site.get_model_admin(reviewed.model).has_view_or_change_permission(request)
        ]
        if not visible:
            raise PermissionDenied
        rows = []
        for reviewed in visible:
            model = reviewed.model
            related = ["submitted_by", *([reviewed.source] if reviewed.source else [])]
            queryset = model._default_manager.in_review().select_related(*related)
            model_admin_of = site.get_model_admin(model)
            for item in queryset:
                transitions = []
                if hasattr(model_admin_of, "transition_url"):
                    transitions = [
                        (transition, model_admin_of.transition_url(item, transition.name))
                        for transition in allowed_transitions(request.user, item)
                        if not transition.text_argument
                    ]
                rows.append(
                    {
                        "item": item,
                        "kind": model._meta.verbose_name,
                        "source": getattr(item, reviewed.source) if reviewed.source else None,
                        "url": reverse(
                            f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                            args=[quote(item.pk)],
                            current_app=site.name,
                        ),
                        "transitions": transitions,
                    }
                )
        # Items submitted before the workflow recorded submissions come first: they are older.
        rows.sort(
            key=lambda row: (
                row["item"].submitted_at is not None,
                row["item"].submitted_at,
                row["kind"],
                row["item"].pk,
            )
        )
        context = {
            **site.each_context(request),
            "title": _("Review queue"),
            "rows": rows,
            "queue_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/workflow/review_queue.html", context)

    return view
