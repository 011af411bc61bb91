"""Workday's Learning web service (SOAP): the client of a tenant's endpoint, the names of every element it sends
or reads, imported content and records (the transcript sink), digital courses (publisher, requests, replies,
catalog), enrollments (registry, requests), and the check of a tenant's WSDL against all of it."""

from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.client import (
    LearningClient,
    build_learning_client,
    learning_endpoint,
    learning_version,
)
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.learning.enrollment_registry import WorkdayEnrollmentRegistry
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink

__all__ = [
    "LearningClient",
    "SoapLearningCatalog",
    "WorkdayCoursePublisher",
    "WorkdayEnrollmentRegistry",
    "WorkdayTranscriptSink",
    "build_learning_client",
    "learning_endpoint",
    "learning_version",
]
