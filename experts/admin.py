import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.admin import StampedAdmin
from experts.models import (
    Affiliation,
    Expert,
    ExpertMerge,
    ExpertSlugRedirect,
    NameVariant,
    Organization,
)
from experts.services import (
    affiliation_save,
    can_merge_experts,
    experts_merge,
    experts_merge_undo,
)

# The name fields of the name-variant inline as the add form posts them.
VARIANT_NAME_FIELD = re.compile(r"^name_variants-(\d+)-name$")


class ExpertAddForm(forms.ModelForm):
    """The add form: refuses a probable duplicate until the editor says it is someone else."""

    different_person = forms.BooleanField(
        label="This is a different person",
        required=False,
        widget=forms.HiddenInput,
        help_text="Tick only after checking the experts named in the warning above.",
    )

    def typed_names(self):
        """The display name and the name variants typed in the inline, not marked deleted."""
        names = [self.cleaned_data.get("display_name", "")]
        for key, value in self.data.items():
            match = VARIANT_NAME_FIELD.match(key)
            if match and not self.data.get(f"name_variants-{match[1]}-DELETE"):
                names.append(value)
        return [name for name in names if name and name.strip()]

    def clean(self):
        cleaned = super().clean()
        candidates = list(
            Expert.objects.probable_duplicates_of(self.typed_names()).order_by("display_name")
        )
        if candidates and not cleaned.get("different_person"):
            self.fields["different_person"].widget = forms.CheckboxInput()
            links = format_html_join(
                ", ",
                '<a href="{}" target="_blank">{}</a> ({})',
                (
                    (
                        reverse("admin:experts_expert_change", args=[quote(expert.pk)]),
                        expert.display_name,
                        expert.slug,
                    )
                    for expert in candidates
                ),
            )
            raise ValidationError(
                format_html(
                    "This expert probably exists already: {}. If this is a different person, "
                    "tick “This is a different person” and save again.",
                    links,
                ),
                code="probable_duplicate",
            )
        return cleaned


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Expert.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the expert to keep."},
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = Expert.objects.filter(pk__in=[e.pk for e in experts])


class NameVariantInline(admin.TabularInline):
    model = NameVariant
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fields = ["organization", "role_title", "start_date", "end_date"]
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(Expert)
class ExpertAdmin(StampedAdmin):
    # Meta.ordering is ignored once Count() groups the rows; autocomplete pages need an order.
    ordering = ["display_name"]
    list_display = ["display_name", "variants", "country", "claim_count"]
    list_filter = ["country"]
    search_fields = ["display_name", "name_variants__name", "=wikidata_id"]
    search_help_text = "Names match in any spelling: Musiienko finds Musienko and Мусієнко."
    prepopulated_fields = {"slug": ["display_name"]}
    inlines = [NameVariantInline, AffiliationInline]
    actions = ["merge_experts"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=Count("claims", distinct=True))
            .prefetch_related("name_variants")
        )

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ExpertAddForm
        return super().get_form(request, obj, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """The usual search, plus the experts whose names match in any spelling (names.py)."""
        found, _ = super().get_search_results(request, Expert.objects.all(), search_term)
        if not search_term.strip():
            return queryset, False
        spelled = Expert.objects.named_like(search_term)
        matched = Q(pk__in=found.values("pk")) | Q(pk__in=spelled.values("pk"))
        return queryset.filter(matched), False

    @admin.display(description="name variants")
    def variants(self, obj):
        return ", ".join(variant.name for variant in obj.name_variants.all())

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

    def has_merge_permission(self, request):
        # An action's permissions are any-of; merging needs both change and delete.
        return can_merge_experts(user=request.user)

    @admin.action(description="Merge selected experts…", permissions=["merge"])
    def merge_experts(self, request, queryset):
        """Ask which expert to keep, then merge the others into it (experts_merge)."""
        experts = list(queryset.order_by("display_name", "pk"))
        if len(experts) < 2:
            self.message_user(request, "Select at least two experts to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "post" in request.POST else None, experts=experts)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = [expert for expert in experts if expert.pk != keep.pk]
            try:
                merge = experts_merge(keep=keep, others=others, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    format_html(
                        'Merged {} into {}. <a href="{}">Undo merge</a>',
                        merge.merged_names,
                        keep,
                        reverse("admin:experts_expertmerge_change", args=[quote(merge.pk)]),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:experts_expert_change", args=[quote(keep.pk)])
                )
        return TemplateResponse(
            request,
            "admin/experts/expert/merge_experts.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge experts",
                "subtitle": "Choose the expert to keep",
                "opts": self.opts,
                "experts": experts,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "media": self.media,
            },
        )


class ExpertSlugRedirectInline(admin.TabularInline):
    model = ExpertSlugRedirect
    fields = ["old_slug", "expert"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExpertMerge)
class ExpertMergeAdmin(StampedAdmin):
    """The record of each merge, read-only, with an "Undo merge" button.

    Whoever may merge experts (change and delete experts) may see and undo merges; nobody
    edits the records by hand.
    """

    list_display = ["__str__", "keep", "merged_by", "created", "undone_at"]
    list_select_related = ["keep", "merged_by"]
    list_filter = [("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["merged_names", "keep__display_name"]
    fields = ["keep", "merged_names", "moved", "merged_by", "created", "undone_by", "undone_at"]
    readonly_fields = fields
    inlines = [ExpertSlugRedirectInline]
    change_form_template = "admin/experts/expertmerge/change_form.html"

    def has_module_permission(self, request):
        return can_merge_experts(user=request.user)

    def has_view_permission(self, request, obj=None):
        return can_merge_experts(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="experts_expertmerge_undo",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="moved to the expert kept")
    def moved(self, obj):
        entries = obj.snapshot.get("experts", [])
        return format_html_join(
            "\n",
            "<p>{} ({}): {} claims, {} affiliations, {} name variants</p>",
            (
                (
                    entry["display_name"],
                    entry["slug"],
                    len(entry["claims"]),
                    len(entry["affiliations"]),
                    len(entry["variants"]),
                )
                for entry in entries
            ),
        )

    def undo_view(self, request, object_id):
        """GET asks to confirm; POST undoes the merge (experts_merge_undo)."""
        if not can_merge_experts(user=request.user):
            raise PermissionDenied
        merge = get_object_or_404(ExpertMerge.objects.select_related("keep"), pk=object_id)
        change_url = reverse("admin:experts_expertmerge_change", args=[quote(merge.pk)])
        if merge.is_undone:
            self.message_user(request, "This merge has already been undone.", messages.WARNING)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            try:
                experts_merge_undo(merge=merge, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    "The merge was not undone and nothing changed: " + " ".join(error.messages),
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    f"Merge undone: {merge.merged_names} are back, with their claims, "
                    "affiliations and name variants.",
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/experts/expertmerge/undo_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Undo merge",
                "subtitle": str(merge),
                "opts": self.opts,
                "merge": merge,
                "moved": self.moved(merge),
            },
        )


@admin.register(Organization)
class OrganizationAdmin(StampedAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "country", "affiliation_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(affiliation_count=Count("affiliations", distinct=True))
        )

    @admin.display(description="affiliations", ordering="affiliation_count")
    def affiliation_count(self, obj):
        return obj.affiliation_count


@admin.register(Affiliation)
class AffiliationAdmin(StampedAdmin):
    list_display = ["expert", "role_title", "organization", "start_date", "end_date"]
    list_select_related = ["expert", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter), "organization__kind"]
    search_fields = [
        "expert__display_name",
        "expert__name_variants__name",
        "organization__name",
        "role_title",
    ]
    autocomplete_fields = ["expert", "organization"]

    def save_model(self, request, obj, form, change):
        # The form has already refused a public expert's affiliation for a contributor
        # (StampedAdmin's edit check); the service refuses it again for any other caller.
        affiliation_save(affiliation=obj, user=request.user)
