"""The expert profile: the expert's own record (experts/) with their claims by topic, a
timeline, predictions and the articles quoting them, which only claims may compose."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from articles.models import Article
from claims.models import Claim
from core.public import paginate, query_string_without_page
from experts.models import Expert
from experts.views import WIKIDATA_URL, person_data, redirect_merged

TIMELINE_COLOURS = 6
TIMELINE_DOT_SPACING = 15
# The expert profile's bounded lists: the timeline's latest claims, the latest predictions and
# the latest articles quoting the expert.
TIMELINE_MAX = 100
PREDICTIONS_MAX = 20
ARTICLES_MAX = 20


def expert_detail(request, slug):
    """An expert's profile: names, roles over time, claims by topic, predictions, articles.

    The slug of an expert merged into another answers 301 to the kept expert's profile.
    """
    try:
        expert = (
            Expert.objects.visible_to(request.user)
            .with_public_flag()
            .with_profile_data()
            .get(slug=slug)
        )
    except Expert.DoesNotExist:
        return redirect_merged(request, Expert.objects.visible_to(request.user), slug)
    claims = Claim.objects.visible_to(request.user).by(expert)
    page_obj = paginate(
        request, claims.with_card_data(user=request.user).order_by("-made_on", "-pk")
    )
    # The timeline, predictions and articles are bounded, so a prolific expert's page stays
    # the size of anyone's: the paged claims above hold everything.
    latest = claims.with_first_topic().order_by("-made_on", "-pk")[:TIMELINE_MAX]
    overview = list(latest)[::-1]
    predictions = list(claims.predictions().order_by("-made_on", "-pk")[: PREDICTIONS_MAX + 1])
    quoting = Article.objects.published().quoting(claims).select_related("outlet")
    articles = list(quoting.order_by("-published_on", "title")[: ARTICLES_MAX + 1])
    first_quoted = quoting.order_by("published_on", "title").first() if articles else None
    claim_total = page_obj.paginator.count
    url = request.build_absolute_uri(expert.get_absolute_url())
    return render(
        request,
        "experts/expert_detail.html",
        {
            "expert": expert,
            "page_obj": page_obj,
            "query_string": query_string_without_page(request),
            "claim_groups": group_by_topic(page_obj),
            "claim_total": claim_total,
            "predictions": predictions[:PREDICTIONS_MAX],
            "more_predictions": len(predictions) > PREDICTIONS_MAX,
            "timeline": timeline(overview, total=claim_total),
            "articles": articles[:ARTICLES_MAX],
            "more_articles": len(articles) > ARTICLES_MAX,
            "first_quoted": first_quoted,
            "last_quoted": articles[0] if articles else None,
            "wikidata_url": WIKIDATA_URL.format(expert.wikidata_id) if expert.wikidata_id else "",
            "structured_data": person_data(expert, url=url),
            "preview": "" if expert.is_public else _("no published claims"),
        },
    )


def group_by_topic(claims):
    """[(topic or None, claims)]: each claim under its first topic A–Z, untagged ones last.

    A claim appears once, so its card's `#claim-<id>` anchor stays unique on the page; the
    template names its other topics. Needs claims from `with_card_data()` (topic links
    prefetched, ordered by title).
    """
    groups = {}
    topics = {}
    for claim in claims:
        links = claim.topic_links.all()
        key = links[0].topic_id if links else None
        if links:
            topics[key] = links[0].topic
        groups.setdefault(key, []).append(claim)
    ordered = sorted((key for key in groups if key is not None), key=lambda k: topics[k].title)
    result = [(topics[key], groups[key]) for key in ordered]
    if None in groups:
        result.append((None, groups[None]))
    return result


def timeline(claims, *, total):
    """Points for the SVG strip of claims by date, oldest first.

    `claims` may be the latest of the expert's `total` claims; the result says how many it
    leaves out (`omitted`).

    `x` is the date's place in per cent of the strip; claims of the same date sit side by side
    around it (`dx`, in pixels). Each topic gets a colour slot, in order of first appearance.
    """
    if not claims:
        return None
    first, last = claims[0].made_on, claims[-1].made_on
    span = (last - first).days
    slots = {}
    by_date = {}
    for claim in claims:
        by_date.setdefault(claim.made_on, []).append(claim)
        if claim.topic_slug not in slots:
            slots[claim.topic_slug] = (len(slots) % TIMELINE_COLOURS, claim.topic_title)
    points = []
    for day, same_day in by_date.items():
        x = 50.0 if span == 0 else 3 + 94 * (day - first).days / span
        middle = (len(same_day) - 1) / 2
        for index, claim in enumerate(same_day):
            points.append(
                {
                    "claim": claim,
                    "x": f"{x:.2f}",
                    "dx": f"{(index - middle) * TIMELINE_DOT_SPACING:.1f}",
                    "slot": slots[claim.topic_slug][0],
                }
            )
    return {
        "first": claims[0],
        "last": claims[-1],
        "points": points,
        "omitted": total - len(claims),
        "legend": [
            {"slot": slot, "title": title or _("No topic")} for slot, title in slots.values()
        ],
    }
