"""The admin's upload page for articles: ninjs files and saved web pages, imported by the
same service as the `import_articles` command, with the same summary, and bounded: an upload
over ARTICLE_IMPORT_MAX_REQUEST_BYTES or ARTICLE_IMPORT_MAX_ITEMS is refused whole."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from articles.imports.files import (
    ImportOptions,
    ImportRefused,
    articles_import_upload,
    max_items,
    request_max_bytes,
)
from articles.imports.items import parse_partial_date
from articles.models import Language, Outlet


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more uploaded files, as a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".json,.html,.htm"}))
        # An empty file is reported like any other bad file, by name, not as a form error.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class ArticleImportForm(forms.Form):
    files = MultipleFileField(
        help_text="ninjs files (.json, version 1.x or 2.x) or saved web pages (.html).",
    )
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.order_by("name"),
        required=False,
        help_text="File new articles under this outlet. Left empty, the outlet the file names "
        "(copyright holder, site name or web address) is found or created.",
    )
    language = forms.ChoiceField(
        choices=[("", "—"), *Language.choices],
        required=False,
        help_text="For new articles whose file states no language.",
    )
    published = forms.CharField(
        label="Published date",
        required=False,
        help_text="YYYY, YYYY-MM or YYYY-MM-DD, for new articles whose file has no date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Settings are read per form, not at import time.
        limits = f"At most {max_items():,} articles and {request_max_bytes():,} bytes an upload."
        self.fields["files"].help_text = f"{self.fields['files'].help_text} {limits}"

    def clean_published(self):
        value = self.cleaned_data["published"].strip()
        if not value:
            return None
        try:
            return parse_partial_date(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def import_options(self):
        published_on, precision = self.cleaned_data["published"] or (None, None)
        return ImportOptions(
            outlet=self.cleaned_data["outlet"],
            language=self.cleaned_data["language"],
            published_on=published_on,
            **({"published_precision": precision} if precision else {}),
        )


class ArticleImportAdminMixin:
    """Adds the upload page at …/articles/article/import/ for users who may add articles."""

    import_template = "admin/articles/article/import.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        summary = None
        if request.method == "POST":
            form = ArticleImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    summary = articles_import_upload(
                        uploads=[(upload.name, upload) for upload in form.cleaned_data["files"]],
                        user=request.user,
                        options=form.import_options(),
                    )
                except ImportRefused as refusal:
                    form.add_error("files", str(refusal))
                else:
                    # The choices stay for the next batch; the files do not.
                    form = ArticleImportForm(
                        initial={
                            name: request.POST.get(name)
                            for name in ("outlet", "language", "published")
                        }
                    )
        else:
            form = ArticleImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import articles",
            "opts": self.opts,
            "form": form,
            "summary": summary,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.import_template, context)
