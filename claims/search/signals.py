"""Which entries a write makes stale: connected to the models' signals in claims/apps.py.

A record's entry also holds text of its parts (a claim's quotes and speaker's names, an
expert's name variants), so a write to a part refreshes its whole.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import Article
from claims.models import Claim, ClaimTopic, Provision, Quote, SearchEntry, Topic, Treaty
from experts.models import Expert, NameVariant
from experts.signals import expert_records_moved

from .index import refresh

Kind = SearchEntry.Kind


def _article(instance, **kwargs):
    refresh(Kind.ARTICLE, [instance.pk])
    # Quotes in the article show or hide with it, and the claim's facets follow the article.
    refresh(
        Kind.CLAIM, Quote.objects.filter(article_id=instance.pk).values_list("claim_id", flat=True)
    )


def _article_topics(instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        refresh(Kind.ARTICLE, pk_set or [])
    else:
        refresh(Kind.ARTICLE, [instance.pk])


def _claim(instance, **kwargs):
    refresh(Kind.CLAIM, [instance.pk])
    # Whether the speaker has a public profile, and their topics, follow their claims.
    refresh(Kind.EXPERT, [instance.speaker_id])


def _claim_part(instance, **kwargs):
    refresh(Kind.CLAIM, [instance.claim_id])
    if isinstance(instance, ClaimTopic):
        refresh(
            Kind.EXPERT,
            Claim.objects.filter(pk=instance.claim_id).values_list("speaker_id", flat=True),
        )


def _expert(instance, **kwargs):
    expert_id = instance.pk if isinstance(instance, Expert) else instance.expert_id
    refresh(Kind.EXPERT, [expert_id])
    # A claim's entry carries its speaker's names.
    refresh(Kind.CLAIM, Claim.objects.filter(speaker_id=expert_id).values_list("pk", flat=True))


def _expert_records_moved(expert_ids, **kwargs):
    # A merge or its undo moved claims between experts by bulk updates (no model signals).
    refresh(Kind.EXPERT, expert_ids)
    claims = Claim.objects.filter(speaker_id__in=expert_ids).values_list("pk", flat=True)
    refresh(Kind.CLAIM, claims)


def _provision(instance, **kwargs):
    refresh(Kind.PROVISION, [instance.pk])
    # Paragraphs cite their article's number.
    refresh(
        Kind.PROVISION,
        Provision.objects.filter(parent_id=instance.pk).values_list("pk", flat=True),
    )


def _topic(instance, **kwargs):
    refresh(Kind.TOPIC, [instance.pk])


def _treaty(instance, **kwargs):
    refresh(Kind.TREATY, [instance.pk])
    refresh(
        Kind.PROVISION,
        Provision.objects.filter(treaty_id=instance.pk).values_list("pk", flat=True),
    )


def _skip_raw(handler):
    def receiver(sender, instance, raw=False, **kwargs):
        # Fixture loading (raw) writes records before their relations; rebuild afterwards.
        if not raw:
            handler(instance=instance, **kwargs)

    return receiver


HANDLERS = [
    (Article, _article),
    (Claim, _claim),
    (Quote, _claim_part),
    (ClaimTopic, _claim_part),
    (Expert, _expert),
    (NameVariant, _expert),
    (Provision, _provision),
    (Topic, _topic),
    (Treaty, _treaty),
]
_receivers = []


def connect():
    for model, handler in HANDLERS:
        receiver = _skip_raw(handler)
        _receivers.append(receiver)
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    m2m_changed.connect(
        _article_topics, sender=Article.topics.through, dispatch_uid="search-article-topics"
    )
    expert_records_moved.connect(_expert_records_moved, dispatch_uid="search-expert-records")
