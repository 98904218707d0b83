"""Signals articles sends for the apps that build on it; articles itself knows none of them."""

from django.dispatch import Signal

# Sent by services.article_update_body inside its transaction, once a new body is saved, with
# `article`, `user` and `previous_body` (the body before the edit; None for a new article). An
# app that keeps offsets into article bodies (claims' quotes) moves them here, so body and
# offsets commit together or not at all; what its receiver returns is its report of what
# moved, handed back to the caller of article_update_body.
body_changed = Signal()
