"""The API docs pages work with the network cut off: everything comes from this server."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def cut_off_network(page):
    """Abort every request that would leave this machine; return the list of those aborted."""
    aborted = []

    def handle(route):
        url = route.request.url
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).hostname not in LOCAL_HOSTS:
            aborted.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/*", handle)
    return aborted


def open_docs(page, url):
    """Open a docs page and wait until the schema it renders has arrived from this server."""
    schema_path = reverse("api:schema")

    def is_schema(response):
        return urlsplit(response.url).path == schema_path

    with page.expect_response(is_schema) as schema:
        page.goto(url)
    assert schema.value.ok, f"The schema answered {schema.value.status}"


def test_swagger_ui_lists_the_operations_offline(open_page, site_url, screenshots):
    page = open_page(1280)
    aborted = cut_off_network(page)

    open_docs(page, site_url + reverse("api:docs"))

    expect(page.get_by_text("/api/v1/claims/", exact=True).first).to_be_visible()
    expect(page.locator(".opblock-tag", has_text="claims").first).to_be_visible()
    assert not aborted, f"Swagger UI tried to reach other hosts: {aborted}"
    page.screenshot(path=screenshots / "api-docs-1280.png", full_page=True)


def test_swagger_ui_shows_a_claims_filter_offline(open_page, site_url):
    page = open_page(1280)
    aborted = cut_off_network(page)
    open_docs(page, site_url + reverse("api:docs"))

    page.get_by_text("/api/v1/claims/", exact=True).first.click()

    expect(page.locator("tr[data-param-name='provision']").first).to_be_visible()
    assert not aborted, f"Swagger UI tried to reach other hosts: {aborted}"


def test_redoc_renders_the_api_offline(chromium, site_url, screenshots):
    # Not open_page: ReDoc always asks for its footer logo on cdn.redoc.ly, and the page's
    # Content-Security-Policy refusing it is reported as a console error; any other fails.
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        aborted = cut_off_network(page)

        open_docs(page, site_url + reverse("api:redoc"))

        expect(page.get_by_role("heading", name="Newsroom Knowledge Base API")).to_be_visible()
        expect(page.get_by_text("/api/v1/claims/").first).to_be_attached()
        assert not aborted, f"ReDoc tried to reach other hosts: {aborted}"
        page.screenshot(path=screenshots / "api-redoc-1280.png")
        unexpected = [e for e in errors if not ("cdn.redoc.ly" in e and "Content Security" in e)]
        assert not unexpected, f"ReDoc reported errors: {unexpected}"
    finally:
        context.close()
