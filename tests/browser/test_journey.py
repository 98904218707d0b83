"""A reader's journey through the demo site in a real browser, and screenshots at two widths."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TRANSPARENT = {"rgba(0, 0, 0, 0)", "transparent"}
WIDTHS = {"phone": 360, "desktop": 1280}
SHOWCASE_ARTICLE = "why-china-does-not-benefit-from-russia-dprk-alliance"
SHOWCASE_EXPERT = "oleksandr-musienko"

# From a link, the nearest enclosing element that also links to an expert: on a topic page,
# the expert whose claim the quote belongs to (a byline in the card or the group's heading).
NEAREST_EXPERT_LINK = """link => {
  for (let node = link.parentElement; node; node = node.parentElement) {
    const expert = node.querySelector('a[href^="/experts/"]');
    if (expert) return {name: expert.textContent.trim(), href: expert.getAttribute("href")};
  }
  return null;
}"""


def test_a_quote_leads_from_the_topic_to_its_highlighted_passage_and_the_expert(
    open_page, site_url
):
    page = open_page(1280)
    page.goto(site_url + reverse("home"))

    page.get_by_role("link", name="China's role", exact=True).first.click()
    expect(page).to_have_url(site_url + reverse("claims:topic", args=["china-role"]))

    in_context = page.get_by_role("link", name="read in context").first
    expert = in_context.evaluate(NEAREST_EXPERT_LINK)
    assert expert, "no expert is linked beside the quote on the topic page"
    anchor = in_context.get_attribute("href").partition("#")[2]
    assert re.fullmatch(r"quote-\d+", anchor), f"“read in context” links to #{anchor}"

    in_context.click()
    expect(page).to_have_url(re.compile(rf"/articles/[^/]+/#{anchor}$"))
    passage = page.locator(f"mark#{anchor}")
    expect(passage).to_be_visible()
    expect(passage).to_be_in_viewport()
    background = passage.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert background not in TRANSPARENT, "the quoted passage is not highlighted"

    page.get_by_role("link", name=expert["name"], exact=True).first.click()
    expect(page).to_have_url(site_url + expert["href"])
    expect(page.get_by_role("heading", level=1)).to_have_text(expert["name"])


def test_the_home_search_box_finds_an_expert_by_another_spelling(open_page, site_url):
    page = open_page(1280)
    page.goto(site_url + reverse("home"))

    page.get_by_label("Search experts, claims, articles and treaty provisions").fill(
        "Alexander Musienko"
    )
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “Alexander Musienko”")
    expect(page.get_by_role("link", name="Oleksandr Musienko", exact=True).first).to_be_visible()


def test_the_first_tab_reaches_a_visible_skip_link(open_page, site_url):
    page = open_page(1280)
    page.goto(site_url + reverse("home"))

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


@pytest.mark.parametrize("device", WIDTHS)
def test_screenshots_of_the_main_pages_without_sideways_scrolling(
    open_page, site_url, screenshots, device
):
    width = WIDTHS[device]
    pages = {
        "home": reverse("home"),
        "topic": reverse("claims:topic", args=["china-role"]),
        "article": reverse("articles:detail", args=[SHOWCASE_ARTICLE]),
        "expert": reverse("experts:detail", args=[SHOWCASE_EXPERT]),
    }
    page = open_page(width)
    problems = []
    for name, path in pages.items():
        response = page.goto(site_url + path)
        page.screenshot(path=screenshots / f"{name}-{width}.png", full_page=True)
        if response.status != 200:
            problems.append(f"{path} answered {response.status}")
            continue
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{path} is {scroll_width}px wide at {width}px: it scrolls sideways")

    assert not problems, "\n".join(problems)
