import base64

from tests.factories import ArticleFactory


def test_tampered_cursor_is_a_400_naming_the_cursor(client, db):
    ArticleFactory()
    cursor = base64.b64encode(b"p=abc").decode()

    response = client.get("/api/v1/articles/", {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_unmatched_api_path_is_a_json_404(client, db):
    response = client.get("/api/v1/articles/1.2e-38/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unmatched_site_path_is_the_sites_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<html" in response.content
