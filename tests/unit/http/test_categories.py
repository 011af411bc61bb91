from tests.unit.http.world import TOPICS, World

CATEGORIES = "/unified/lms/categories"


def test_categories_are_paged_by_cursor_until_next_is_null(world: World) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"page_size": 3} | ({"next": cursor} if cursor else {})
        body = world.client.get(CATEGORIES, params=params, headers=world.as_acme()).json()
        pages += 1
        seen.extend(c["name"] for c in body["data"])
        cursor = body["next"]
        if cursor is None:
            break

    assert pages == 4
    assert seen == sorted((t.name for t in TOPICS), key=str.casefold)


def test_a_category_carries_workdays_id_or_its_name_when_it_has_none(world: World) -> None:
    data = world.client.get(CATEGORIES, headers=world.as_acme()).json()["data"]

    assert {"id": "cat-technology", "remote_id": "cat-technology", "name": "Technology"} in data
    assert {"id": "Compliance", "remote_id": None, "name": "Compliance"} in data


def test_one_category_by_id_and_an_unknown_one_is_a_404(world: World) -> None:
    found = world.client.get(f"{CATEGORIES}/cat-technology", headers=world.as_acme())
    by_name = world.client.get(f"{CATEGORIES}/Compliance", headers=world.as_acme())
    missing = world.client.get(f"{CATEGORIES}/nope", headers=world.as_acme())

    assert found.json()["data"]["name"] == "Technology"
    assert by_name.status_code == 200
    assert missing.status_code == 404


def test_a_cursor_the_api_did_not_make_is_a_422_on_next(world: World) -> None:
    for cursor in ("garbage", "bzotMQ", "%%%", "eDo1"):
        response = world.client.get(CATEGORIES, params={"next": cursor}, headers=world.as_acme())
        assert response.status_code == 422, cursor
        assert response.json()["field"] == "query.next"
    assert world.client.get(CATEGORIES, params={"page_size": 0}, headers=world.as_acme()).json()["field"] == (
        "query.page_size"
    )
