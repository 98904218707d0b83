"""Write helpers shared by the apps' services."""


def save_stamped(instance, *, user=None):
    """Validate and save one record, stamping who changed it last."""
    if user is not None and user.is_authenticated:
        instance.updated_by = user
        # Its history row names the user too when no request is there (commands, imports).
        instance._history_user = user
    instance.full_clean()
    instance.save()
    return instance
