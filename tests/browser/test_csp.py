"""The admin and the API docs work in Chromium under the site's Content-Security-Policy (no
inline script or style without the response's nonce): each page renders, and the browser
reports no violation of the policy and no other error."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Claim
from tests.factories import EditorFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
# Milliseconds: the docs pages render once the schema is generated, which a busy machine slows.
SCHEMA_TIMEOUT = 20_000

# Reported by the page itself for every violation, including ones Chromium does not log.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});
"""

# ReDoc's sidebar always shows an <img> of its logo from cdn.redoc.ly (no option turns it off);
# img-src refusing it is the policy doing its job, and the only refusal these pages may cause.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def browse(chromium):
    """browse() → (page, problems): a fresh page and the list of errors and CSP reports the
    browser gives while the test runs."""
    contexts = []

    def browse():
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(REPORT_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        problems = []

        def on_console(message):
            if message.type == "error" or "Content Security Policy" in message.text:
                problems.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        return page, problems

    yield browse
    for context in contexts:
        context.close()


def test_the_admin_works_under_the_policy(browse, site_url):
    editor = EditorFactory(username="desk")
    claim = Claim.objects.published().first()
    page, problems = browse()

    page.goto(site_url + reverse("admin:login"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("desk")

    page.goto(site_url + reverse("admin:claims_claim_changelist"))
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    # The list's own scripts ran: ticking a row enables the action bar's counter.
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1 of")

    page.goto(site_url + reverse("admin:claims_claim_change", args=[claim.pk]))
    expect(page.locator("#claim_form")).to_be_visible()
    # The related-object widgets are built by admin scripts.
    expect(page.locator(".related-widget-wrapper").first).to_be_visible()

    assert not problems, "\n".join(problems)


def test_swagger_ui_works_under_the_policy(browse, site_url):
    page, problems = browse()

    page.goto(site_url + reverse("api:docs"))

    expect(page.locator(".opblock-tag", has_text="claims").first).to_be_visible(
        timeout=SCHEMA_TIMEOUT
    )
    page.get_by_text("/api/v1/claims/", exact=True).first.click()
    expect(page.locator("tr[data-param-name='provision']").first).to_be_visible()
    assert not problems, "\n".join(problems)


def test_redoc_works_under_the_policy(browse, site_url):
    page, problems = browse()

    page.goto(site_url + reverse("api:redoc"))

    expect(page.get_by_role("heading", name="Newsroom Knowledge Base API")).to_be_visible(
        timeout=SCHEMA_TIMEOUT
    )
    expect(page.get_by_text("/api/v1/claims/").first).to_be_attached()
    # ReDoc's own styles applied: its three-column layout puts the menu beside the content.
    menu = page.locator(".menu-content")
    expect(menu).to_be_visible()
    assert menu.bounding_box()["width"] < 400
    # Its search runs in a worker (worker-src blob:).
    page.get_by_placeholder("Search...").fill("provision")
    expect(page.locator("[data-role='search:results'] li").first).to_be_visible()
    unexpected = [problem for problem in problems if REDOC_LOGO not in problem]
    assert not unexpected, "\n".join(unexpected)


def test_browsable_api_works_under_the_policy(browse, site_url):
    """A partner exploring the API in a browser gets DRF's pages, styled and scripted, with
    no refusal: its inline style attributes are replaced by our stylesheet."""
    page, problems = browse()

    page.goto(site_url + reverse("api:claim-list"))

    expect(page.get_by_role("heading", name="Claim List")).to_be_visible()
    # The format menu is built by DRF's scripts (Bootstrap's dropdown).
    page.locator(".format-selection .dropdown-toggle").click()
    expect(page.locator(".format-selection .dropdown-menu a", has_text="json")).to_be_visible()
    # The filters button sits on the right of the toolbar, as DRF lays it out.
    filters = page.get_by_role("button", name="Filters")
    box = filters.bounding_box()
    assert box["x"] > 640, box
    filters.click()
    expect(page.locator("#filtersModal")).to_be_visible()
    assert not problems, "\n".join(problems)
