"""Use cases, the container, the CLI and the HTTP API."""
