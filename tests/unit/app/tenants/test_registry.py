"""The tenants registry follows the table: new tenants appear, removed ones go, a changed one gets a new
container, and the container it replaced is closed once its grace has passed and nothing holds it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from dependency_injector import providers

from adapters.fakes import FixedClock, InMemoryTenantStore
from app.container import TenantContainer
from app.errors import ConfigurationError
from app.settings import Settings, TenantSettings
from app.tenants.directory import TenantDirectory
from app.tenants.registry import Tenants
from app.tenants.secrets import new_key
from domain.tenant_records import TenantStamp
from tests.unit.app.tenants.strategies import NOW, box, directory
from tests.unit.http.world import tenant_settings

RECHECK = 2.0
GRACE = 60.0


class Monotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class World:
    """A registry over an in-memory table, with a clock of its own; every container it builds holds one
    resource, whose closing is recorded."""

    def __init__(self) -> None:
        self.store = InMemoryTenantStore()
        self.directory = directory(self.store)
        self.time = Monotonic()
        self.closed: list[tuple[str, int]] = []
        self.built = 0
        self.tenants = Tenants(self.directory, self._build, recheck=RECHECK, grace=GRACE, monotonic=self.time)

    def _build(self, name: str, tenant: TenantSettings) -> TenantContainer:
        self.built += 1
        container = TenantContainer(settings=Settings(), tenant_name=name, tenant=tenant)
        container.cover_images.override(providers.Resource(self._resource, name, tenant.learning.rate_limit))
        return container

    def _resource(self, name: str, rate: int) -> Iterator[object]:
        yield object()
        self.closed.append((name, rate))

    def used(self, name: str) -> TenantContainer:
        container = self.tenants.get(name)
        container.cover_images()  # its resource is made
        return container

    def later(self, seconds: float) -> None:
        self.time.now += seconds


@pytest.fixture
def world() -> World:
    return World()


def test_a_tenant_added_to_the_table_is_served_after_the_recheck(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    assert world.tenants.names == {"acme"}

    world.directory.add("globex", tenant_settings("globex")).unwrap()
    assert "globex" not in world.tenants  # until the recheck
    world.later(RECHECK)

    assert world.tenants.names == {"acme", "globex"}
    assert world.tenants.get("globex").tenant_name() == "globex"


def test_a_changed_tenant_gets_a_new_container_and_the_old_one_closes_after_its_grace(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    first = world.used("acme")
    assert world.tenants.get("acme") is first

    world.directory.change("acme", {"learning": {"rate_limit": 9}}).unwrap()
    world.later(RECHECK)
    second = world.used("acme")

    assert second is not first
    assert second.tenant().learning.rate_limit == 9
    assert world.closed == []
    world.later(GRACE)
    world.tenants.refresh()
    assert world.closed == [("acme", 5)]


def test_a_container_in_use_stays_open_past_its_grace_until_its_user_is_done(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    with world.tenants.using("acme") as held:
        held.cover_images()
        world.directory.change("acme", {"learning": {"rate_limit": 9}}).unwrap()
        world.later(RECHECK + GRACE)
        world.used("acme")
        world.later(GRACE)
        world.tenants.refresh()
        assert world.closed == []
        assert held.tenant().learning.rate_limit == 5

    assert world.closed == [("acme", 5)]


def test_a_removed_tenant_is_refused_and_its_container_retired(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    world.used("acme")

    world.directory.remove("acme")
    world.later(RECHECK)

    assert "acme" not in world.tenants
    with pytest.raises(KeyError):
        world.tenants.get("acme")
    world.later(GRACE)
    world.tenants.refresh()
    assert world.closed == [("acme", 5)]


def test_an_unchanged_tenant_is_not_read_again_nor_rebuilt(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    first = world.used("acme")

    for _ in range(3):
        world.later(RECHECK)
        assert world.tenants.get("acme") is first
    assert world.built == 1


def test_a_tenant_whose_secrets_no_key_opens_fails_alone(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    TenantDirectory(world.store, box(new_key()), FixedClock(NOW)).add("globex", tenant_settings("globex")).unwrap()

    assert world.tenants.names == {"acme", "globex"}
    assert world.tenants.get("acme").tenant_name() == "acme"
    with pytest.raises(ConfigurationError, match=r"tenant globex's lumiq\.api_key cannot be decrypted"):
        world.tenants.get("globex")
    assert set(world.tenants.problems()) == {"globex"}
    world.tenants.check_readable()  # acme can be served

    world.directory.remove("acme")
    world.later(RECHECK)
    with pytest.raises(ConfigurationError, match=r"WLC_SECRET_KEYS \(setting secret_keys\)"):
        world.tenants.check_readable()


def test_close_releases_every_container_retired_ones_too(world: World) -> None:
    world.directory.add("acme", tenant_settings("acme")).unwrap()
    world.used("acme")
    world.directory.change("acme", {"learning": {"rate_limit": 9}}).unwrap()
    world.later(RECHECK)
    world.used("acme")

    world.tenants.close()

    assert sorted(world.closed) == [("acme", 5), ("acme", 9)]


class SlowStamps(InMemoryTenantStore):
    """A table whose stamps, once ``slow`` is set, are answered only when ``answer`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.slow = False
        self.asked = threading.Event()
        self.answer = threading.Event()

    def stamps(self) -> dict[str, TenantStamp]:
        if self.slow:
            self.asked.set()
            self.answer.wait(30)
        return super().stamps()


def test_while_one_thread_rereads_the_table_the_others_are_served_what_was_last_read() -> None:
    store, time = SlowStamps(), Monotonic()
    table = directory(store)
    tenants = Tenants(table, lambda name, tenant: TenantContainer(tenant_name=name), recheck=RECHECK, monotonic=time)
    table.add("acme", tenant_settings("acme")).unwrap()
    assert tenants.names == {"acme"}
    table.add("globex", tenant_settings("globex")).unwrap()
    time.now += RECHECK
    store.slow = True
    rereading = threading.Thread(target=lambda: tenants.names)
    rereading.start()
    try:
        assert store.asked.wait(30)

        assert tenants.names == {"acme"}  # not waiting on the reread
        assert tenants.settings("acme").tenant == tenant_settings("acme").tenant
    finally:
        store.answer.set()
        rereading.join()
    assert tenants.names == {"acme", "globex"}
