"""``wlc serve --workers N``: every worker process takes its share of each tenant's Learning API budget."""

from app.http.serving import per_process
from app.sandbox_settings import sandbox_settings
from sandbox.config import SandboxConfig


def test_each_of_n_processes_gets_a_share_of_the_rate_limit_so_together_they_stay_within_it() -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), "sqlite://")
    tenant = settings.tenants["sandbox"]
    limited = settings.model_copy(
        update={
            "tenants": {
                "sandbox": tenant.model_copy(update={"learning": tenant.learning.model_copy(update={"rate_limit": 10})})
            }
        }
    )

    shares = {n: per_process(limited, n).tenants["sandbox"].learning.rate_limit for n in (1, 2, 3, 20)}

    assert shares == {1: 10, 2: 5, 3: 3, 20: 1}
    assert all(n * share <= 10 for n, share in shares.items() if n <= 10)
