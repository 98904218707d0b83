"""Helpers for admin tests; models are named by label, e.g. "claims.claim"."""

from django.urls import reverse

from tests import helpers


def changelist_url(label):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_changelist")


def listed(client, label, **params):
    """The rows the changelist shows for these query parameters."""
    response = client.get(changelist_url(label), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def assert_queries_do_not_grow(client, label, make):
    """The changelist runs as many queries with 50 rows as with 5."""
    helpers.assert_queries_do_not_grow(client, changelist_url(label), make)


def form_data(response):
    """What the change page would POST back untouched: main form and inline formsets."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data
