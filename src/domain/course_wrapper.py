"""The course wrapper: Workday holds content only inside a course, so every content item becomes a digital
course with one external lesson, plus a mobile lesson and a completion-blocking media lesson when the account
asks for them (seed 001, sections 3.1, 5.2, 6 and "Integration Configurations")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.iso_durations import whole_minutes
from domain.learning_content import Content

REGISTRABLE_STATUS_OPEN = "Open"


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """The account-level configuration of seed 001 section 6."""

    requires_enrollment: bool = True
    create_mobile_lesson: bool = False
    """"Create Duplicate Content for Mobile"."""
    media_file_wid: str | None = None
    """The Workday WID of the media file used as the completion blocker, if the account uses one."""


class LessonKind(StrEnum):
    EXTERNAL = "external"
    MEDIA = "media"


@dataclass(frozen=True, slots=True)
class Lesson:
    order: int
    title: str
    kind: LessonKind
    mandatory: bool
    url: str | None = None
    media_wid: str | None = None


@dataclass(frozen=True, slots=True)
class CoverImage:
    file_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class DigitalCourse:
    """What is sent to Workday for one content item."""

    external_reference: str
    title: str
    description: str
    topics: tuple[str, ...]
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    duration_minutes: int | None
    active: bool
    requires_enrollment: bool
    registrable_status: str
    lessons: tuple[Lesson, ...]
    image: CoverImage | None = None


def wrap(content: Content, account: AccountSettings, image: CoverImage | None = None) -> DigitalCourse:
    """The digital course for ``content``: lesson 1 the external content (order 1, mandatory), registrable
    status Open, enrollment required unless the content or the account says otherwise."""
    lessons = [Lesson(1, content.title, LessonKind.EXTERNAL, mandatory=True, url=content.content_url)]
    if content.mobile_url is not None and account.create_mobile_lesson:
        # An alternative way in, not extra work: the learner completes one of the two.
        lessons.append(Lesson(2, f"{content.title} (mobile)", LessonKind.EXTERNAL, False, url=content.mobile_url))
    if account.media_file_wid is not None:
        # A mandatory last lesson Workday cannot auto-complete on launch: the course stays open until the
        # learner finishes it, so a launch no longer completes a single-lesson course.
        title = "Complete the lessons above on the provider's site, then this one"
        lessons.append(Lesson(len(lessons) + 1, title, LessonKind.MEDIA, True, media_wid=account.media_file_wid))
    requires = content.requires_enrollment if content.requires_enrollment is not None else account.requires_enrollment
    return DigitalCourse(
        external_reference=content.external_reference,
        title=content.title,
        description=content.description,
        topics=tuple(c.name for c in content.categories),
        skills=tuple(s.name for s in content.skills),
        languages=content.languages,
        duration_minutes=None if content.duration is None else whole_minutes(content.duration),
        active=content.active,
        requires_enrollment=requires,
        registrable_status=REGISTRABLE_STATUS_OPEN,
        lessons=tuple(lessons),
        image=image,
    )
