"""Workday's Learning REST API: the learning catalog read through ``/ccx/api/learning/v1/{tenant}``."""
