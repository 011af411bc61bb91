"""The Workday sandbox: a local HTTP server that speaks Workday's wire formats and the provider's API."""
