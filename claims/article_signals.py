"""Claims follows article bodies: a saved body edit re-anchors the article's quotes."""

from django.dispatch import receiver

from articles.signals import body_changed
from claims.services import quotes_reanchor


@receiver(body_changed, dispatch_uid="claims-reanchor-quotes")
def reanchor_quotes(sender, *, article, user, previous_body=None, **kwargs):
    """Re-anchor the quotes in the body just saved, in its transaction; returns the Reanchoring."""
    return quotes_reanchor(article=article, user=user, previous_body=previous_body)
