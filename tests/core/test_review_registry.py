"""The review queue lists the models the apps register, so core/ names none of them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core import workflow
from core.workflow import register_reviewed, reviewed_models


def test_articles_and_claims_register_for_the_review_queue():
    registered = {reviewed.model._meta.label_lower: reviewed for reviewed in reviewed_models()}

    assert set(registered) == {"articles.article", "claims.claim"}
    assert registered["articles.article"].source == "outlet"
    assert registered["claims.claim"].source == "speaker"


def test_registering_again_replaces_the_entry(monkeypatch):
    monkeypatch.setattr(workflow, "REVIEWED_MODELS", dict(workflow.REVIEWED_MODELS))
    (first, *_) = reviewed_models()

    register_reviewed(first.model)

    assert len(reviewed_models()) == 2
    assert workflow.REVIEWED_MODELS[first.model._meta.label_lower].source == ""


@pytest.mark.django_db
def test_a_model_left_unregistered_is_not_on_the_queue(monkeypatch, client, django_user_model):
    monkeypatch.setattr(workflow, "REVIEWED_MODELS", {})
    user = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_claim"))
    client.force_login(user)

    # With nothing registered, nothing on the queue is this user's to see.
    assert client.get(reverse("admin:review_queue")).status_code == 403
