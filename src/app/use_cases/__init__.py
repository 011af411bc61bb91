"""Use cases: gather, plan, apply."""
