"""How the connector is watched while it runs: structured log records (``logs``), Prometheus metrics
(``metrics``), OpenTelemetry traces (``tracing``), and the one place each Workday request is seen from
(``workday_calls``). Every record, span and sample names its tenant; the domain knows none of it."""
