"""The connector's adapters: one per external system, each implementing a domain port, plus in-memory fakes."""
