"""Write helpers shared by the apps' services."""

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import router
from django.db.models import Model, Q, QuerySet

from core.cache import schedule_public_purge

M = TypeVar("M", bound=Model)
# Who saves: a signed-in person, or None for the system (a command, an import, the demo).
User = AbstractBaseUser | AnonymousUser | None


def save_stamped(instance: M, *, user: User = None) -> M:
    """Validate and save one record, stamping who changed it last.

    When readers could see the record before the save or can after it (`_visible_rows`),
    the public caches are purged once the transaction commits (core/cache.py): a public
    item that changes or leaves purges. A draft, an item in review, or a row only they show
    (a draft claim's topic link or quote, a non-public expert's affiliation) purges nothing,
    so saving it moves no public ETag.
    """
    if user is not None and user.is_authenticated:
        instance.updated_by = user
        # Its history row names the user too when no request is there (commands, imports).
        instance._history_user = user
    instance.full_clean()
    visible = _visible_rows(type(instance))
    was_shown = instance.pk is not None and _is_shown(visible, instance)
    instance.save()
    if was_shown or _is_shown(visible, instance):
        schedule_public_purge(f"{instance._meta.label} {instance.pk} saved")
    return instance


def shown_to_readers(queryset: QuerySet) -> bool:
    """Whether readers can see any row of `queryset` as the database now holds it (ask before
    deleting: a draft's deletion then purges nothing)."""
    visible = _visible_rows(queryset.model)
    if visible is None:
        return queryset.exists()
    return visible.using(queryset.db).filter(pk__in=queryset.values("pk")).exists()


def _public_rows(model: type[Model]) -> QuerySet | None:
    """The rows of `model` readers may see, by the app's own QuerySet method, or None."""
    manager = model._default_manager
    for name in ("published", "public"):
        method = getattr(manager, name, None)
        if callable(method):
            return method()
    return None


def _visible_rows(model: type[Model]) -> QuerySet | None:
    """A queryset of the rows of `model` readers can see, or None when every row is listed.

    "Public" is what the apps define once (`published()`, `public()`); a model without such
    a method is shown through the rows it belongs to that have one (a ClaimTopic through its
    claim, an Affiliation through its expert and organization): visible when all of them
    are, as a quote is when both its claim and its article are. A model with neither
    (topics, outlets, treaties …) is listed publicly row by row.
    """
    own = _public_rows(model)
    if own is not None:
        return own
    through = Q()
    for field in model._meta.concrete_fields:
        if not field.many_to_one or field.related_model is model:
            continue
        parents = _public_rows(field.related_model)
        if parents is not None:
            through &= Q(**{f"{field.name}__in": parents.values("pk")})
    return model._base_manager.filter(through) if through else None


def _is_shown(visible: QuerySet | None, instance: Model) -> bool:
    """Whether readers can see `instance` as the database now holds it."""
    if visible is None:
        return True
    db = router.db_for_write(type(instance), instance=instance)
    return visible.using(db).filter(pk=instance.pk).exists()
