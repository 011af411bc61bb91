"""Workday's Learning REST API: the learning catalog read through ``/ccx/api/learning/v1/{tenant}``."""

from adapters.workday.rest.catalog import RestLearningCatalog, learning_api_url

__all__ = ["RestLearningCatalog", "learning_api_url"]
