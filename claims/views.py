"""Public pages of the claims app: the front page (which composes topics, experts and
articles), topics, claims, treaties and provisions."""

from django.conf import settings
from django.db.models import F, Max
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from articles.models import Article
from claims import jsonld
from claims.filters import TopicClaimFilter
from claims.models import Claim, ClaimProvision, Provision, Stance, Topic, Treaty
from core.cache import public_page
from core.models import public_q
from core.public import gone_or_404, paginate, preview_label, query_string_without_page
from experts.models import Expert

HOME_ARTICLES = 8
HOME_TOPICS = 12
HOME_EXPERTS = 8
OTHER_CLAIMS_SHOWN = 5
PROVISIONS_PER_PAGE = 100


def home(request):
    """The front page: latest articles, topics with their counts, recently quoted experts."""
    topics = Topic.objects.with_counts().select_related("parent").order_by("-claims_count", "title")
    experts = list(recently_quoted_experts()[:HOME_EXPERTS])
    for expert in experts:
        expert.role = expert.role_on(expert.last_claimed_on)
    return render(
        request,
        "home.html",
        {
            "articles": Article.objects.published().select_related("outlet")[:HOME_ARTICLES],
            "topics": topics[:HOME_TOPICS],
            "experts": experts,
            "structured_data": website_structured_data(request),
        },
    )


def recently_quoted_experts():
    """Public experts, most recently quoted first, with `last_claimed_on` and `claim_count`."""
    return (
        Expert.objects.public()
        .with_claim_counts()
        .annotate(last_claimed_on=Max("claims__made_on", filter=public_q("claims__")))
        .with_affiliations()
        .order_by("-last_claimed_on", "display_name")
    )


def website_structured_data(request):
    """schema.org WebSite with its search action, so search engines can offer the site search."""
    root = request.build_absolute_uri(reverse("home"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": root,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": request.build_absolute_uri(reverse("search"))
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


@public_page
def topic_list(request):
    topics = Topic.objects.with_counts().order_by("title", "pk").in_tree_order()
    return render(request, "claims/topic_list.html", {"page_obj": paginate(request, topics)})


CLAIMS_PER_PAGE = 25


@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    tree = Topic.objects.subtree(topic)
    subtopics = [t for t in tree if t.parent_id == topic.pk]
    claims = Claim.objects.published().about_any([t.pk for t in tree])

    # Lazy like the rest: only the cached fragments use it, and building it was about a
    # quarter of a cache hit's time.
    filterset = SimpleLazyObject(
        lambda: TopicClaimFilter(request.GET or None, queryset=claims, topic=topic)
    )
    # Claims are paged (not experts), so one prolific expert cannot make a page unbounded;
    # within a page each expert's claims stay together under one heading.
    page_obj = SimpleLazyObject(
        lambda: paginate(
            request,
            filterset.qs.with_card_data().order_by(
                "speaker__display_name", "speaker_id", "-made_on", "id"
            ),
            per_page=CLAIMS_PER_PAGE,
        )
    )
    # Lazy: the template's cached fragments skip these queries on a cache hit.
    context = {
        "topic": topic,
        "subtopics": subtopics,
        "glance": SimpleLazyObject(claims.at_a_glance),
        "stances": SimpleLazyObject(lambda: stance_chart(claims.stance_counts(topic))),
        "filterset": filterset,
        "filtered": SimpleLazyObject(
            lambda: filterset.is_bound and any(filterset.form.cleaned_data.values())
        ),
        "page_obj": page_obj,
        "groups": SimpleLazyObject(
            lambda: group_by_expert(page_obj.object_list, topic=topic, tree=tree)
        ),
        "query_string": query_string_without_page(request),
    }
    return render(request, "claims/topic_detail.html", context)


def stance_chart(counts):
    """Rows for the stance chart: every stance in a fixed order, bar lengths out of 100."""
    rows = []
    for value, label in [*Stance.choices, ("", None)]:
        claims, experts = counts.get(value, (0, 0))
        rows.append({"stance": value, "label": label, "claims": claims, "experts": experts})
    longest = max((row["claims"] for row in rows), default=0) or 1
    for row in rows:
        row["width"] = round(100 * row["claims"] / longest)
    return rows


def group_by_expert(claims, *, topic, tree):
    """The page's claims as one group per expert, in the order the claims come.

    Each claim carries the topic whose stance its card shows: the page's topic when the claim
    is tagged with it, else the sub-topic it came in by. A claim made in another role than the
    group's heading shows its own byline.
    """
    in_tree = {t.pk: t for t in tree}
    groups = []
    for claim in claims:
        if not groups or groups[-1]["expert"].pk != claim.speaker_id:
            groups.append(
                {
                    "expert": claim.speaker,
                    "role": claim.speaker_role,
                    "when": claim.made_display,
                    "items": [],
                }
            )
        group = groups[-1]
        linked = [link.topic_id for link in claim.topic_links.all() if link.topic_id in in_tree]
        shown = topic if topic.pk in linked else in_tree[linked[0]] if linked else topic
        group["items"].append(
            {"claim": claim, "topic": shown, "show_speaker": claim.speaker_role != group["role"]}
        )
    return groups


def claim_detail(request, pk):
    try:
        claim = Claim.objects.visible_to(request.user).with_card_data(user=request.user).get(pk=pk)
    except Claim.DoesNotExist:
        return gone_or_404(request, Claim.objects.withdrawn().filter(pk=pk))
    topic_ids = [link.topic_id for link in claim.topic_links.all()]
    others = []
    if topic_ids:
        others = (
            Claim.objects.published()
            .about_any(topic_ids)
            .exclude(speaker_id=claim.speaker_id)
            .with_card_data()[:OTHER_CLAIMS_SHOWN]
        )
    context = {
        "claim": claim,
        "others": others,
        "structured_data": jsonld.claim_data(claim, request),
        "preview": preview_label(claim),
        "corrections": claim.corrections(),
    }
    return render(request, "claims/claim_detail.html", context)


@public_page
def treaty_list(request):
    treaties = Treaty.objects.with_counts().order_by(
        F("signed_on").desc(nulls_last=True), "title", "pk"
    )
    return render(request, "claims/treaty_list.html", {"page_obj": paginate(request, treaties)})


@public_page
def treaty_detail(request, slug):
    treaty = get_object_or_404(Treaty, slug=slug)
    provisions = (
        Provision.objects.filter(treaty=treaty)
        .with_claim_counts()
        .select_related("parent__parent")  # for the labels "Art. 4, para. 1"
        .order_by("order", "id")
    )

    def provisions_page():
        most = provisions.aggregate(most=Max("claims_count"))["most"] or 1
        page_obj = paginate(request, provisions, per_page=PROVISIONS_PER_PAGE)
        for provision in page_obj:
            provision.bar_width = round(100 * provision.claims_count / most)
        return page_obj

    # Lazy: the template's cached fragment skips these queries on a cache hit.
    context = {"treaty": treaty, "page_obj": SimpleLazyObject(provisions_page)}
    return render(request, "claims/treaty_detail.html", context)


@public_page
def provision_detail(request, slug, address):
    provision = get_object_or_404(
        Provision.objects.for_citation(), treaty__slug=slug, address=address
    )
    subprovisions = provision.children.with_claim_counts().order_by("order", "id")
    claims = Claim.objects.published().citing(provision)

    def claims_page():
        cards = claims.with_card_data().order_by("relation_order", "-made_on", "id")
        page_obj = paginate(request, cards)
        labels = dict(ClaimProvision.Relation.choices)
        for claim in page_obj:
            claim.relation_label = labels.get(claim.relation, claim.relation)
        return page_obj

    # Lazy: the template's cached fragments skip these queries on a cache hit.
    context = {
        "provision": provision,
        "treaty": provision.treaty,
        "subprovisions": subprovisions,
        "relations": SimpleLazyObject(lambda: relation_summary(claims.relation_counts(provision))),
        "page_obj": SimpleLazyObject(claims_page),
    }
    return render(request, "claims/provision_detail.html", context)


def relation_summary(counts):
    """[{relation, label, claims}] for the relations that have claims, in the model's order."""
    return [
        {"relation": value, "label": label, "claims": counts[value]}
        for value, label in ClaimProvision.Relation.choices
        if counts.get(value)
    ]
