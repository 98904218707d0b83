import json

from claims.templatetags.kb import jsonld


def test_jsonld_cannot_close_its_script_element():
    html = jsonld({"name": "</script><script>alert(1)</script>"})
    assert html.count("</script>") == 1
    payload = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(payload)["name"] == "</script><script>alert(1)</script>"
