"""Workday's Learning REST API, read side, over the same catalog as the Learning web service."""
