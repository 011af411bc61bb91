"""One request budget per tenant, shared by every process that sends the tenant's Workday requests (the API's
processes, the workers, the CLI), so that Workday never sees more than the tenant's ``learning.rate_limit``
requests in any one-second window, whoever sends them.

How a slot is decided (``rule.decide``, the same in every store):

- **Even spreading.** A tenant's ``floor(rate)`` requests a second are spread over ``1 s`` plus the 30 ms margin of
  ``adapters.workday.rate_limiter`` (why the margin: there): consecutive slots are at least ``gap = 1.03 s /
  floor(rate)`` apart, whoever takes them. So no window of 1.03 s holds more than ``floor(rate)`` starts, and
  requests that reach Workday up to 30 ms late still fit its one-second window. Since every slot is at least a gap
  after the one before, the next slot depends only on the last one: a store keeps, per tenant, the latest slot
  handed out and not a log of them.
- **A slot is granted ahead.** A caller is told when its request starts, and sleeps until then: one asking per
  slot rather than one per try. The time is the store's (PostgreSQL's or Redis's clock; on SQLite, the one
  machine's), and each caller waits the difference between its slot and the store's clock when it was granted.
- **A request written late moves the slots after it.** A request held up between its last check and the socket
  (its thread waiting for the interpreter among dozens) reaches Workday later than its slot, and Workday counts it
  then: the transport tells the budget once the request is written (``rate_limiter.Reservation.sent``), and one
  written more than half the margin late moves every slot not yet handed out back as far (``rule.sent_late``). A
  process's background callers take their turns one request at a time, so none is handed a slot before the
  request ahead of it has been written. Slots handed out already are not moved: interactive callers queued ahead
  of a late request (the API's threads) can still meet it too close.
- **Interactive first.** The API's calls (content upserts, deletions, reads) and the CLI's are *interactive*;
  workers' sessions (deliveries, scheduled syncs) are *background* (the process's role, ``app.application``).
  An interactive caller takes the next slot at once, however far ahead, and from its asking until one window
  (1.03 s) after its slot it *holds* the budget: background callers get no slot in that time. A background caller
  takes a slot only when the next free one is no earlier than the hold's end and starts within one gap; otherwise
  it is told to ask again one gap before it could start. So:
  - a waiting interactive caller has at most one background slot ahead of it (the one a background caller took
    within a gap of its asking), and none after it: an interactive upsert with no backlog runs at the tenant's full
    rate, a gap between its requests, while delivery yields;
  - background callers take what interactive callers leave: every slot outside their holds. While interactive
    requests keep coming (a batch of content upserts), delivery waits for the batch to end, plus 1.03 s;
  - interactive callers among themselves are served in the order they ask; background callers of one process ask
    one at a time (``TenantBudget``), so a process asks the store about once per slot however many of its threads
    wait.

The stores (``BudgetStore``): ``sql.SqlBudgetStore``, a row per tenant in the ledger's database (PostgreSQL, or a
SQLite file beside the ledger's), the default, with no server to run; ``redis_store.RedisBudgetStore``, a Lua
script over a hash per tenant, chosen with ``budget_url = "redis://..."``; and ``memory.InMemoryBudgetStore``, one
process's, for a ledger in memory and for tests. A store that cannot be asked fails the request as a network
failure would (``BudgetUnavailable``): it is retried, and never sent unbudgeted.
"""

from adapters.budget.rule import Pace, Priority
from adapters.budget.store import BudgetStore, BudgetUnavailable
from adapters.budget.tenant_budget import Slot, TenantBudget

__all__ = ["BudgetStore", "BudgetUnavailable", "Pace", "Priority", "Slot", "TenantBudget"]
