"""The runtime: tenant sessions run by workers on DBOS Transact, started by the schedules' tick, by due outbox
entries, or by hand (``client.enqueue_session``). ``engine`` runs them (``wlc worker``); ``client`` starts and
follows them from any process."""
