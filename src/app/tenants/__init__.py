"""Tenants as data: their settings in the ledger's ``tenants`` table, their secrets sealed with the operator's
keys, the file's tenants imported at start, and every change seen by every process without a restart."""
