"""Writes to a JSON file the row count of every model table and the bodies of the pages named
on the command line, read from the database DATABASE_URL names:

    python -m tests.core.site_snapshot OUTPUT.json URL...

tests/core/test_backup.py runs it in a subprocess to see a restored database as the site would.
"""

import json
import os
import re
import sys

# A value that differs on every response (a CSP nonce, a CSRF token), not part of the page.
PER_RESPONSE = re.compile(r'(nonce|csrfmiddlewaretoken" value)="[^"]*"')


def normalized(body):
    return PER_RESPONSE.sub(r'\1=""', body)


def row_counts():
    from django.apps import apps

    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def pages(urls):
    from django.test import Client

    client = Client()
    found = {}
    for url in urls:
        response = client.get(url)
        found[url] = [response.status_code, normalized(response.content.decode())]
    return found


def main(output, urls):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    snapshot = {"counts": row_counts(), "pages": pages(urls)}
    with open(output, "w", encoding="utf-8") as file:
        json.dump(snapshot, file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
