from django.conf import settings


def site(request):
    """The site's name, for page titles and the admin header."""
    return {"SITE_NAME": settings.SITE_NAME}
