"""The editorial workflow in a real browser: a contributor submits, an editor publishes from
the review queue and later corrects, and readers see the correction."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.models import PublicationStatus
from tests.factories import ClaimFactory, ContributorFactory, EditorFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def log_in(page, base_url, user):
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def test_a_claim_goes_from_draft_to_published_to_corrected(
    open_page, live_server, transactional_db, screenshots
):
    author = ContributorFactory(username="reporter")
    editor = EditorFactory(username="desk")
    claim = ClaimFactory(
        status=PublicationStatus.DRAFT,
        summary="China can stop the alliance.",
        made_on=datetime.date(2024, 6, 20),
    )
    change_page = live_server.url + reverse("admin:claims_claim_change", args=[claim.pk])

    # The contributor sees one move, submits, and confirms.
    page = open_page(1280)
    log_in(page, live_server.url, author)
    page.goto(change_page)
    tools = page.locator(".object-tools")
    expect(tools.get_by_role("link", name="Submit for review")).to_be_visible()
    expect(tools.get_by_role("link", name="Publish", exact=True)).to_have_count(0)
    tools.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("was submitted for review")
    expect(page.locator(".workflow-status")).to_contain_text("submitted by reporter")

    # Another editor finds it in the review queue and publishes it from there.
    page = open_page(1280)
    log_in(page, live_server.url, editor)
    page.get_by_role("link", name="Review queue").click()
    row = page.locator(".review-queue__row", has_text="China can stop the alliance.")
    expect(row.locator(".review-queue__submitter")).to_have_text("reporter")
    page.screenshot(path=screenshots / "admin-review-queue.png", full_page=True)
    row.get_by_role("button", name="Publish").click()
    expect(page.locator(".messagelist")).to_contain_text("was published")
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()

    # Later the editor publishes a correction, which readers then see.
    page.goto(change_page)
    page.screenshot(path=screenshots / "admin-claim-workflow.png", full_page=True)
    page.locator(".object-tools").get_by_role("link", name="Publish a correction").click()
    page.get_by_label("Correction note").fill("The claim was made in July, not June.")
    page.screenshot(path=screenshots / "admin-correction-form.png", full_page=True)
    page.get_by_role("button", name="Publish a correction").click()
    expect(page.locator(".messagelist")).to_contain_text("was corrected")

    reader = open_page(1280)
    reader.goto(live_server.url + claim.get_absolute_url())
    box = reader.get_by_role("note")
    expect(box).to_contain_text("Correction")
    expect(box).to_contain_text("The claim was made in July, not June.")
    reader.screenshot(path=screenshots / "claim-corrected.png", full_page=True)
