"""`{% publiccache "name" value … %}…{% endpubliccache %}`: a fragment cached for anonymous readers.

Like Django's `{% cache %}`, but the key also holds the public generation (bumped by every
publish or edit, see core/cache.py), the language and the page's URL with its query
string; staff and other signed-in users always get a fresh render; and an unreachable cache
renders the fragment instead of failing the page. Pass lazy values (querysets,
SimpleLazyObject) from the view so a cached fragment skips the queries behind it.

Keep CSRF tokens, CSP nonces and anything personal out of these blocks.
"""

from django import template

from core.cache import cached_fragment

register = template.Library()


class PublicCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        name = self.name.resolve(context)
        vary_on = [value.resolve(context) for value in self.vary_on]
        return cached_fragment(
            context.get("request"), name, vary_on, lambda: self.nodelist.render(context)
        )


@register.tag("publiccache")
def do_public_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a fragment name.")
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    return PublicCacheNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
    )
