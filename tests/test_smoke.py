from tests.factories import QuoteFactory


def test_quote_factory_anchors(db):
    quote = QuoteFactory()
    assert quote.article.body[quote.start : quote.end] == quote.text
