from __future__ import annotations

import httpx
import pytest

from sandbox import SandboxServer
from sandbox.images.covers import jpeg, png
from tests.unit.sandbox.course_requests import external_lesson, image_data, manage_course, media_lesson, ok


def _token(server: SandboxServer, client: httpx.Client) -> dict[str, str]:
    config = server.config
    response = client.post(
        server.token_url,
        data={"grant_type": "refresh_token", "refresh_token": config.refresh_token},
        auth=(config.client_id, config.client_secret),
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_content_lists_the_soap_catalog_with_paging(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox = catalog_sandbox
    for n in range(25):
        ok(sandbox, client, manage_course(f"C-{n:02}", f"Course {n:02}", inactive=n == 3))
    headers = _token(sandbox, client)
    first = client.get(f"{sandbox.learning_rest_url}/content", headers=headers).json()
    assert first["total"] == 25
    assert [item["contentNumber"] for item in first["data"]] == [f"C-{n:02}" for n in range(20)]
    rest = client.get(f"{sandbox.learning_rest_url}/content?limit=10&offset=20", headers=headers).json()
    assert [item["descriptor"] for item in rest["data"]] == [f"Course {n:02}" for n in range(20, 25)]
    item = first["data"][3]
    course = sandbox.learning.course("C-03")
    assert course is not None
    assert item["id"] == course.wid
    assert item["lifecycleStatus"] == "Inactive"
    assert first["data"][0]["lifecycleStatus"] == "Active"
    assert item["contentURL"] == "https://provider.example.com/courses/adv-sales-001"
    assert item["description"].startswith("A comprehensive course")
    assert item["topics"] == [{"id": sandbox.learning.topic("TOPIC_SALES").wid, "descriptor": "Sales"}]
    assert item["image"] is None


def test_content_carries_languages_skills_and_a_public_image(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    body = manage_course(
        "ADV-SALES-001",
        languages=("en_GB", "fr_FR"),
        skills=("SKILL_SALES_TECHNIQUES",),
        image=image_data(jpeg(), "adv-sales-001.jpg", "image/jpeg"),
    )
    ok(sandbox, client, body)
    headers = _token(sandbox, client)
    [item] = client.get(f"{sandbox.learning_rest_url}/content", headers=headers).json()["data"]
    assert [language["descriptor"] for language in item["languages"]] == [
        "English (United Kingdom)",
        "French (France)",
    ]
    assert item["skills"] == [
        {"id": sandbox.learning.skill("SKILL_SALES_TECHNIQUES").wid, "descriptor": "Sales Techniques"}
    ]
    image = client.get(item["image"]["publicURL"])  # public: no token
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"
    assert image.content == jpeg()
    skill_wid = sandbox.learning.skill("SKILL_NEGOTIATION").wid
    filtered = client.get(f"{sandbox.learning_rest_url}/content", params={"skills": skill_wid}, headers=headers)
    assert filtered.json() == {"total": 0, "data": []}


def test_lessons_of_a_content(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox = catalog_sandbox
    lessons = external_lesson(1, "https://provider.example.com/c", "Course") + media_lesson(
        2, sandbox.config.media_file_wid
    )
    ok(sandbox, client, manage_course("C-1", lessons=lessons))
    course = sandbox.learning.course("C-1")
    assert course is not None
    headers = _token(sandbox, client)
    response = client.get(f"{sandbox.learning_rest_url}/content/{course.wid}/lessons", headers=headers)
    assert response.status_code == 200
    external, media = response.json()["data"]
    assert external["id"] == course.lessons[0].wid
    assert (external["descriptor"], external["order"], external["required"]) == ("Course", 1, True)
    assert external["contentType"] == {"descriptor": "External Content"}
    assert external["externalContentData"] == {"contentURL": "https://provider.example.com/c"}
    assert (media["order"], media["contentType"], "externalContentData" in media) == (2, {"descriptor": "Media"}, False)
    missing = client.get(f"{sandbox.learning_rest_url}/content/{'0' * 32}/lessons", headers=headers)
    assert missing.status_code == 404


def test_the_rest_api_wants_a_valid_bearer_and_sane_paging(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    url = f"{sandbox.learning_rest_url}/content"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer nope"}).status_code == 401
    headers = _token(sandbox, client)
    assert client.get(url, headers=headers).status_code == 200
    for query in ("limit=101", "limit=0", "offset=-1", "limit=x"):
        response = client.get(f"{url}?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json()["errors"][0]["field"] == query.partition("=")[0]
    sandbox.revoke_tokens()
    assert client.get(url, headers=headers).status_code == 401
    other_tenant = url.replace(f"/{sandbox.config.tenant}/", "/other/")
    assert client.get(other_tenant, headers=_token(sandbox, client)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content_type", "body"),
    [("adv-sales-001.jpg", "image/jpeg", jpeg(200)), ("cover.png", "image/png", png())],
)
def test_cover_images_are_real_images(
    catalog_sandbox: SandboxServer, client: httpx.Client, name: str, content_type: str, body: bytes
) -> None:
    response = client.get(catalog_sandbox.image_url(name))
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.content == body
    signature = b"\xff\xd8\xff" if content_type == "image/jpeg" else b"\x89PNG\r\n\x1a\n"
    assert response.content.startswith(signature)


def test_not_an_image_and_unknown_images(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    html = client.get(catalog_sandbox.image_url("not-an-image.jpg"))
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert client.get(catalog_sandbox.image_url("missing.jpg")).status_code == 404
    assert catalog_sandbox.counts.by_path("GET", "/images/missing.jpg") == 1
