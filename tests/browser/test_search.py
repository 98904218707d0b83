"""Searching the demo site in a real browser: the header box, tabs, a facet, a hit's passage."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TRANSPARENT = {"rgba(0, 0, 0, 0)", "transparent"}
QUERY = "Musiienko China leverage"


def search_from_the_header(page, site_url, text):
    page.goto(site_url + reverse("home"))
    box = page.locator(".site-header").get_by_role("searchbox", name="Search")
    box.fill(text)
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results for “{text}”")


def test_a_search_narrowed_by_a_facet_leads_to_the_quoted_passage(open_page, site_url):
    page = open_page(1280)
    search_from_the_header(page, site_url, QUERY)

    tabs = page.get_by_role("navigation", name="Result types")
    expect(tabs.get_by_role("link")).to_have_text(["All 2", "Experts 1", "Claims 1"])
    expect(tabs.get_by_role("link", name="All 2")).to_have_attribute("aria-current", "page")

    facets = page.get_by_role("complementary", name="Narrow the results")
    facets.get_by_role("link", name=re.compile(r"^China's role \d+")).click()
    expect(page).to_have_url(re.compile(r"[?&]topic=\d+"))
    expect(page.locator(".search-chip")).to_contain_text("Topic: China's role")
    expect(tabs.get_by_role("link")).to_have_text(["All 2", "Experts 1", "Claims 1"])
    expect(page.get_by_role("searchbox", name="Search experts, claims")).to_have_value(QUERY)

    hit = page.locator(".search-hit--claim").first
    expect(hit.locator("mark").first).to_be_visible()
    title = hit.get_by_role("link").first
    anchor = title.get_attribute("href").partition("#")[2]
    assert re.fullmatch(r"quote-\d+", anchor), f"the claim hit links to #{anchor}"

    title.click()
    expect(page).to_have_url(re.compile(rf"/articles/[^/]+/#{anchor}$"))
    passage = page.locator(f"mark#{anchor}")
    expect(passage).to_be_visible()
    expect(passage).to_be_in_viewport()
    expect(passage).to_contain_text("leverage")
    background = passage.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert background not in TRANSPARENT, "the quoted passage is not highlighted"


def test_the_type_tabs_switch_what_is_listed(open_page, site_url):
    page = open_page(1280)
    search_from_the_header(page, site_url, '"mutual assistance"')

    page.get_by_role("navigation", name="Result types").get_by_role(
        "link", name=re.compile(r"^Provisions \d+")
    ).click()

    expect(page).to_have_url(re.compile(r"[?&]type=provision"))
    kinds = page.locator(".search-hit__kind")
    expect(kinds.first).to_be_visible()
    assert {text.casefold() for text in kinds.all_inner_texts()} == {"provision"}


@pytest.mark.parametrize("width", [360, 1280])
def test_the_results_page_fits_the_screen(open_page, site_url, screenshots, width):
    page = open_page(width)
    page.goto(f"{site_url}{reverse('search')}?q={QUERY.replace(' ', '+')}")

    page.screenshot(path=screenshots / f"search-{width}.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the search page is {scroll_width}px wide at {width}px"
