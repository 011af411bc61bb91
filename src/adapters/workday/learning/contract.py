"""Every Learning operation, element and ID type the connector sends or reads, declared with its candidate names
(the sourced one first), whether its features need it, and the evidence for it (tags of
``workday-learning-evidence.md``). The request builders take their names from a tenant's ``Resolution`` of these,
``wlc workday check`` walks them and ``docs/workday-contract.md`` lists them.

Candidates beyond the first are names a tenant's WSDL may use instead, each with a reason: the name HR uses for
the same object (``User_Language_Reference``), the UI's label (``Enrollment_Required``), or an ID type without
the ``_ID`` suffix, as Learning names some (``Learning_Topic``, ``Learning_Other_Unit_Type`` [S4]).
"""

from __future__ import annotations

from adapters.workday.learning import names
from adapters.workday.soap.common_names import paging_names, version_name
from adapters.workday.soap.declaration import (
    Declaration,
    ElementName,
    Evidence,
    Feature,
    IdTypeName,
    Need,
    OperationName,
    Service,
    Side,
    Verdict,
)
from adapters.workday.soap.names import ID, REQUEST_CRITERIA, REQUEST_REFERENCES, RESPONSE_GROUP, WID

REQUIRED, OPTIONAL = Need.REQUIRED, Need.OPTIONAL
REQUEST, REPLY = Side.REQUEST, Side.REPLY


def _confirmed(*sources: str, note: str = "") -> Evidence:
    return Evidence(Verdict.CONFIRMED, sources, note)


def _unsourced(note: str, *hints: str) -> Evidence:
    return Evidence(Verdict.UNSOURCED, hints, note)


_PUT_SIDE = "no public source shows the Put side of imported learning (evidence 2.6)"
_WID = _confirmed("HR26", "S5", note="WID is an ID type of every Workday reference")

# Transcripts: imported content and records (evidence 3.1)

PUT_CONTENT = OperationName(
    "transcripts.put_content",
    Service.LEARNING,
    (names.PUT_CONTENT,),
    (Feature.TRANSCRIPTS,),
    _unsourced(_PUT_SIDE, "W-GLIC33"),
    "imported content",
)
CONTENT_VERSION = version_name(PUT_CONTENT, "content")
CONTENT_DATA = ElementName(
    "content.data",
    PUT_CONTENT,
    None,
    (names.CONTENT_DATA,),
    REQUIRED,
    _unsourced(_PUT_SIDE),
    "imported content",
)
CONTENT_ID = ElementName("content.id", PUT_CONTENT, CONTENT_DATA, (ID,), REQUIRED, _unsourced(_PUT_SIDE), "the ID")
CONTENT_TITLE = ElementName(
    "content.title", PUT_CONTENT, CONTENT_DATA, (names.TITLE,), REQUIRED, _unsourced(_PUT_SIDE), "title"
)
CONTENT_DESCRIPTION = ElementName(
    "content.description",
    PUT_CONTENT,
    CONTENT_DATA,
    (names.DESCRIPTION,),
    OPTIONAL,
    _unsourced(_PUT_SIDE),
    "description",
)
CONTENT_REPLY_REFERENCE = ElementName(
    "content.reply_reference",
    PUT_CONTENT,
    None,
    (names.CONTENT_REFERENCE,),
    OPTIONAL,
    _unsourced(_PUT_SIDE),
    "Workday's reference for the content (else the content's own ID is kept)",
    REPLY,
)

PUT_RECORD = OperationName(
    "transcripts.put_record",
    Service.LEARNING,
    (names.PUT_RECORD,),
    (Feature.TRANSCRIPTS,),
    _unsourced(_PUT_SIDE, "W-GLIR33"),
    "imported records",
)
RECORD_VERSION = version_name(PUT_RECORD, "record")
RECORD_DATA = ElementName(
    "record.data", PUT_RECORD, None, (names.RECORD_DATA,), REQUIRED, _unsourced(_PUT_SIDE), "record"
)
RECORD_ID = ElementName("record.id", PUT_RECORD, RECORD_DATA, (ID,), REQUIRED, _unsourced(_PUT_SIDE), "the ID")
RECORD_LEARNER = ElementName(
    "record.learner", PUT_RECORD, RECORD_DATA, (names.LEARNER_REFERENCE,), REQUIRED, _unsourced(_PUT_SIDE), "learner"
)
RECORD_LEARNER_ID_TYPE = IdTypeName(
    "record.learner.id_type",
    RECORD_LEARNER,
    (names.EMPLOYEE_ID,),
    REQUIRED,
    _confirmed("HR26", "GO31", note="an ID type of RoleObject; its use in imported records is unsourced"),
    "learner's Employee ID",
)
RECORD_CONTENT = ElementName(
    "record.content",
    PUT_RECORD,
    RECORD_DATA,
    (names.CONTENT_REFERENCE,),
    REQUIRED,
    _unsourced(_PUT_SIDE),
    "imported content",
)
RECORD_CONTENT_ID_TYPE = IdTypeName(
    "record.content.id_type",
    RECORD_CONTENT,
    (names.CONTENT_ID_TYPE, "Learning_Imported_Content"),
    REQUIRED,
    _unsourced("the {Object}_ID rule is contradicted within Learning (Learning_Topic [S4])", "S4"),
    "imported content's ID",
)
RECORD_COMPLETION_DATE = ElementName(
    "record.completion_date",
    PUT_RECORD,
    RECORD_DATA,
    (names.COMPLETION_DATE,),
    REQUIRED,
    _unsourced(_PUT_SIDE),
    "completion date",
)
RECORD_GRADE = ElementName(
    "record.grade", PUT_RECORD, RECORD_DATA, (names.GRADE_REFERENCE,), REQUIRED, _unsourced(_PUT_SIDE), "grade"
)
RECORD_GRADE_ID_TYPE = IdTypeName(
    "record.grade.id_type",
    RECORD_GRADE,
    (names.GRADE_ID_TYPE, "Learning_Grade"),
    REQUIRED,
    _unsourced("grade IDs are set per tenant (evidence 5, item 10)"),
    "grade's ID",
)
RECORD_INACTIVE = ElementName(
    "record.inactive",
    PUT_RECORD,
    RECORD_DATA,
    (names.INACTIVE,),
    REQUIRED,
    _unsourced(_PUT_SIDE + "; without it a revoked completion could not be withdrawn"),
    "inactive",
)
RECORD_REPLY_REFERENCE = ElementName(
    "record.reply_reference",
    PUT_RECORD,
    None,
    (names.RECORD_REFERENCE,),
    OPTIONAL,
    _unsourced(_PUT_SIDE),
    "Workday's reference for the record (else the record's own ID is kept)",
    REPLY,
)

# Content upsert: Manage_Learning_Course (evidence 2.1, 3.2)

MANAGE_COURSE = OperationName(
    "content.manage_course",
    Service.LEARNING,
    (names.MANAGE_COURSE,),
    (Feature.CONTENT_UPSERT,),
    _confirmed("W-MLC31", "GO31", "S4"),
    "digital courses",
)
COURSE_VERSION = version_name(MANAGE_COURSE, "course")
MANAGE_COURSE_DATA = ElementName(
    "course.manage_data",
    MANAGE_COURSE,
    None,
    (names.MANAGE_COURSE_DATA,),
    REQUIRED,
    _confirmed("W-MLC31", "GO31"),
    "course",
)
PUT_DIGITAL_COURSE = ElementName(
    "course.put_digital_course",
    MANAGE_COURSE,
    MANAGE_COURSE_DATA,
    (names.PUT_DIGITAL_COURSE,),
    REQUIRED,
    _confirmed("W-MLC31", "GO31", "S4"),
    "course",
)
COURSE_REFERENCE = ElementName(
    "course.reference",
    MANAGE_COURSE,
    PUT_DIGITAL_COURSE,
    (names.DIGITAL_COURSE_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "the course updated",
)
COURSE_REFERENCE_ID_TYPE = IdTypeName(
    "course.reference.id_type", COURSE_REFERENCE, (WID,), REQUIRED, _WID, "the course's WID"
)
COURSE_DATA = ElementName(
    "course.data",
    MANAGE_COURSE,
    PUT_DIGITAL_COURSE,
    (names.DIGITAL_COURSE_DATA,),
    REQUIRED,
    _confirmed("GO31", "S4"),
    "course",
)


def _course(key: str, candidates: tuple[str, ...], need: Need, evidence: Evidence, label: str) -> ElementName:
    return ElementName(f"course.{key}", MANAGE_COURSE, COURSE_DATA, candidates, need, evidence, label)


COURSE_ID = _course("id", (ID,), REQUIRED, _confirmed("GO31", "S4"), "external_reference")
COURSE_INACTIVE = _course("inactive", (names.INACTIVE,), REQUIRED, _confirmed("GO31", "S4"), "active")
COURSE_TITLE = _course("title", (names.COURSE_TITLE,), REQUIRED, _confirmed("GO31", "S4"), "title")
COURSE_DESCRIPTION = _course("description", (names.DESCRIPTION,), REQUIRED, _confirmed("GO31", "S4"), "description")
COURSE_TOPICS = _course("topics", (names.TOPIC_REFERENCE,), REQUIRED, _confirmed("GO31", "S4"), "categories")
COURSE_TOPIC_ID_TYPE = IdTypeName(
    "course.topics.id_type",
    COURSE_TOPICS,
    (WID, names.TOPIC_ID_TYPE),
    REQUIRED,
    _confirmed("S4", "DC", note="Learning_Topic_ID, which no source uses, is no candidate (CONTRADICTED)"),
    "categories' IDs",
)
COURSE_REGISTRABLE_STATUS = _course(
    "registrable_status",
    (names.REGISTRABLE_STATUS_REFERENCE,),
    REQUIRED,
    _confirmed("GO31", "S4"),
    "registrable status",
)
COURSE_REGISTRABLE_STATUS_ID_TYPE = IdTypeName(
    "course.registrable_status.id_type",
    COURSE_REGISTRABLE_STATUS,
    (names.REGISTRABLE_STATUS_ID_TYPE,),
    REQUIRED,
    _confirmed("S4", "DC"),
    "registrable status's ID",
)
COURSE_TIME_UNIT = _course("time_unit", (names.TIME_VALUE_REFERENCE,), OPTIONAL, _confirmed("GO31"), "duration")
COURSE_TIME_UNIT_ID_TYPE = IdTypeName(
    "course.time_unit.id_type",
    COURSE_TIME_UNIT,
    (names.TIME_UNIT_ID_TYPE,),
    REQUIRED,
    _confirmed("DC"),
    "duration's time unit",
)
COURSE_DURATION = _course("duration", (names.TOTAL_COURSE_DURATION,), OPTIONAL, _confirmed("GO31", "DC"), "duration")
COURSE_IMAGE = _course("image", (names.COURSE_IMAGE_DATA,), OPTIONAL, _confirmed("GO31", "SO"), "cover_url")


def _image(key: str, name: str) -> ElementName:
    return ElementName(f"course.image.{key}", MANAGE_COURSE, COURSE_IMAGE, (name,), REQUIRED, _confirmed("GO31"), key)


IMAGE_FILE_NAME = _image("file_name", names.FILE_NAME)
IMAGE_CONTENT_TYPE = _image("content_type", names.CONTENT_TYPE)
IMAGE_DATA = _image("data", names.IMAGE)
COURSE_LANGUAGES = _course(
    "languages",
    (names.LANGUAGE_REFERENCE, "User_Language_Reference"),
    OPTIONAL,
    _unsourced("absent in v31.2 [GO31]; HR names a user-language reference User_Language_Reference [HR26]", "HR26"),
    "languages",
)
COURSE_LANGUAGE_ID_TYPE = IdTypeName(
    "course.languages.id_type",
    COURSE_LANGUAGES,
    (names.LANGUAGE_ID_TYPE,),
    REQUIRED,
    _confirmed("HR26", "DC"),
    "languages' locale codes",
)
COURSE_SKILLS = _course(
    "skills",
    (names.SKILL_REFERENCE,),
    OPTIONAL,
    _unsourced("absent in v31.2 [GO31]; HR's name for a skill-item reference [HR26, HRnew]", "HR26", "HRnew"),
    "skills",
)
COURSE_SKILL_ID_TYPE = IdTypeName(
    "course.skills.id_type",
    COURSE_SKILLS,
    (WID, "Skill_ID"),
    REQUIRED,
    _confirmed("HR26", "HRnew", note="Skill_ItemReferenceEnumeration is {WID, Skill_ID}; skills are sent by WID"),
    "skills' WIDs",
)
COURSE_REQUIRES_ENROLLMENT = _course(
    "requires_enrollment",
    (names.REQUIRES_ENROLLMENT, "Enrollment_Required"),
    OPTIONAL,
    _unsourced('absent in v31.2 [GO31]; the UI label is "Enrollment Required" [SO]', "SO"),
    "requires_enrollment",
)
COURSE_LESSON = _course("lesson", (names.COURSE_LESSON_DATA,), REQUIRED, _confirmed("GO31"), "lessons")


def _lesson(key: str, parent: ElementName, name: str, need: Need = REQUIRED, label: str = "lessons") -> ElementName:
    return ElementName(f"course.lesson.{key}", MANAGE_COURSE, parent, (name,), need, _confirmed("GO31"), label)


LESSON_ORDER = _lesson("order", COURSE_LESSON, names.LESSON_ORDER)
LESSON_MANDATORY = _lesson("mandatory", COURSE_LESSON, names.MAKE_LESSON_MANDATORY)
EXTERNAL_LESSON = _lesson("external", COURSE_LESSON, names.EXTERNAL_CONTENT_LESSON_DATA)
EXTERNAL_LESSON_URL = _lesson("external.url", EXTERNAL_LESSON, names.EXTERNAL_CONTENT_URL)
EXTERNAL_LESSON_TITLE = _lesson("external.title", EXTERNAL_LESSON, names.LESSON_TITLE)
MEDIA_LESSON = _lesson("media", COURSE_LESSON, names.MEDIA_LESSON_DATA, OPTIONAL, "media lesson")
MEDIA_LESSON_REFERENCE = _lesson("media.reference", MEDIA_LESSON, names.MEDIA_REFERENCE)
MEDIA_LESSON_REFERENCE_ID_TYPE = IdTypeName(
    "course.lesson.media.reference.id_type", MEDIA_LESSON_REFERENCE, (WID,), REQUIRED, _WID, "media file's WID"
)
MEDIA_LESSON_TITLE = _lesson("media.title", MEDIA_LESSON, names.LESSON_TITLE)
BUSINESS_PROCESS = ElementName(
    "course.business_process",
    MANAGE_COURSE,
    None,
    (names.BUSINESS_PROCESS_PARAMETERS,),
    REQUIRED,
    _confirmed("W-MLC31", "GO31"),
    "the business process's parameters",
)
AUTO_COMPLETE = ElementName(
    "course.business_process.auto_complete",
    MANAGE_COURSE,
    BUSINESS_PROCESS,
    (names.AUTO_COMPLETE,),
    REQUIRED,
    _confirmed("GO31"),
    "auto-complete",
)
COURSE_REPLY_REFERENCE = ElementName(
    "course.reply_reference",
    MANAGE_COURSE,
    None,
    (names.COURSE_REFERENCE,),
    OPTIONAL,
    _confirmed("W-MLC31"),
    "Workday's reference for the course",
    REPLY,
)

# Reads of the catalog: Get_Learning_Digital_Courses (evidence 2.2)

GET_DIGITAL_COURSES = OperationName(
    "catalog.get_digital_courses",
    Service.LEARNING,
    (names.GET_DIGITAL_COURSES,),
    (Feature.CONTENT_UPSERT, Feature.COMPLETION_PUSH, Feature.RECONCILE),
    _confirmed("GO31", "VIVA"),
    "the digital courses",
)
CATALOG_VERSION = version_name(GET_DIGITAL_COURSES, "catalog")
CATALOG_PAGING = paging_names(GET_DIGITAL_COURSES, "catalog")
CATALOG_REQUEST_REFERENCES = ElementName(
    "catalog.request_references",
    GET_DIGITAL_COURSES,
    None,
    (REQUEST_REFERENCES,),
    REQUIRED,
    _confirmed("GO31"),
    "courses asked for by WID",
)
CATALOG_REQUEST_COURSE = ElementName(
    "catalog.request_references.course",
    GET_DIGITAL_COURSES,
    CATALOG_REQUEST_REFERENCES,
    (names.DIGITAL_COURSE_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "courses asked for by WID",
)
CATALOG_REQUEST_COURSE_ID_TYPE = IdTypeName(
    "catalog.request_references.course.id_type", CATALOG_REQUEST_COURSE, (WID,), REQUIRED, _WID, "the course's WID"
)
CATALOG_RESPONSE_GROUP = ElementName(
    "catalog.response_group",
    GET_DIGITAL_COURSES,
    None,
    (RESPONSE_GROUP,),
    OPTIONAL,
    _confirmed("GO31"),
    "images left unread",
)
CATALOG_EXCLUDE_IMAGES = ElementName(
    "catalog.response_group.exclude_images",
    GET_DIGITAL_COURSES,
    CATALOG_RESPONSE_GROUP,
    (names.EXCLUDE_COURSE_IMAGE_DATA,),
    OPTIONAL,
    _confirmed("GO31"),
    "images left unread",
)
CATALOG_COURSE = ElementName(
    "catalog.course",
    GET_DIGITAL_COURSES,
    CATALOG_PAGING.data,
    (names.DIGITAL_COURSE,),
    REQUIRED,
    _confirmed("GO31"),
    "the courses read",
    REPLY,
)
CATALOG_COURSE_REFERENCE = ElementName(
    "catalog.course.reference",
    GET_DIGITAL_COURSES,
    CATALOG_COURSE,
    (names.DIGITAL_COURSE_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "the course's WID",
    REPLY,
)
CATALOG_COURSE_DATA = ElementName(
    "catalog.course.data",
    GET_DIGITAL_COURSES,
    CATALOG_COURSE,
    (names.DIGITAL_COURSE_DATA,),
    REQUIRED,
    _confirmed("GO31"),
    "the courses read",
    REPLY,
)


def _read_course(key: str, name: str, need: Need, label: str) -> ElementName:
    evidence = _confirmed("GO31")
    return ElementName(
        f"catalog.course.{key}", GET_DIGITAL_COURSES, CATALOG_COURSE_DATA, (name,), need, evidence, label, REPLY
    )


CATALOG_COURSE_ID = _read_course("id", ID, REQUIRED, "external_reference")
CATALOG_COURSE_INACTIVE = _read_course("inactive", names.INACTIVE, OPTIONAL, "active")
CATALOG_COURSE_TITLE = _read_course("title", names.COURSE_TITLE, REQUIRED, "title")

# Categories: Get_Learning_Topics (evidence 2.3)

GET_TOPICS = OperationName(
    "categories.get_topics",
    Service.LEARNING,
    (names.GET_TOPICS,),
    (Feature.CATEGORIES, Feature.CONTENT_UPSERT),
    _confirmed("GO31"),
    "learning topics",
)
TOPICS_VERSION = version_name(GET_TOPICS, "topics")
TOPICS_PAGING = paging_names(GET_TOPICS, "topics")
TOPIC = ElementName(
    "topics.topic",
    GET_TOPICS,
    TOPICS_PAGING.data,
    (names.LEARNING_TOPIC,),
    REQUIRED,
    _confirmed("GO31"),
    "topics",
    REPLY,
)
TOPIC_REFERENCE = ElementName(
    "topics.topic.reference",
    GET_TOPICS,
    TOPIC,
    (names.LEARNING_TOPIC_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "the topic's WID",
    REPLY,
)
TOPIC_DATA = ElementName(
    "topics.topic.data", GET_TOPICS, TOPIC, (names.LEARNING_TOPIC_DATA,), REQUIRED, _confirmed("GO31"), "topics", REPLY
)
TOPIC_NAME = ElementName(
    "topics.topic.name",
    GET_TOPICS,
    TOPIC_DATA,
    (names.LEARNING_TOPIC_NAME,),
    REQUIRED,
    _confirmed("GO31"),
    "the topic's name",
    REPLY,
)
TOPIC_INACTIVE = ElementName(
    "topics.topic.inactive",
    GET_TOPICS,
    TOPIC_DATA,
    (names.INACTIVE,),
    OPTIONAL,
    _confirmed("GO31"),
    "inactive topics (every topic is then taken as active)",
    REPLY,
)

# Completions: Put_Learning_Enrollment (evidence 2.4, 3.3)

PUT_ENROLLMENT = OperationName(
    "enrollments.put",
    Service.LEARNING,
    (names.PUT_ENROLLMENT,),
    (Feature.COMPLETION_PUSH, Feature.COMPLETION_DELETE),
    _confirmed("GO31", note='documented for "legacy enrollments": its use on launch-made ones is unsourced'),
    "enrollments",
)
ENROLLMENT_VERSION = version_name(PUT_ENROLLMENT, "enrollment")
ENROLLMENT_REFERENCE = ElementName(
    "enrollment.reference",
    PUT_ENROLLMENT,
    None,
    (names.ENROLLMENT_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "the enrollment updated",
)
ENROLLMENT_REFERENCE_ID_TYPE = IdTypeName(
    "enrollment.reference.id_type", ENROLLMENT_REFERENCE, (WID,), REQUIRED, _WID, "the enrollment's WID"
)
ENROLLMENT_DATA = ElementName(
    "enrollment.data", PUT_ENROLLMENT, None, (names.ENROLLMENT_DATA,), REQUIRED, _confirmed("GO31"), "enrollment"
)


def _enrollment(
    key: str, name: str, label: str, features: tuple[Feature, ...] | None = None, need: Need = REQUIRED
) -> ElementName:
    evidence = _confirmed("GO31")
    return ElementName(
        f"enrollment.{key}", PUT_ENROLLMENT, ENROLLMENT_DATA, (name,), need, evidence, label, features=features
    )


_PUSH = (Feature.COMPLETION_PUSH,)
ENROLLMENT_CONTENT = _enrollment("content", names.LEARNING_CONTENT_REFERENCE, "course")
ENROLLMENT_CONTENT_ID_TYPE = IdTypeName(
    "enrollment.content.id_type",
    ENROLLMENT_CONTENT,
    (WID,),
    REQUIRED,
    _confirmed("S5", note="Learning_Course_ID is unsourced; the one real use is WID"),
    "course's WID",
)
ENROLLMENT_LEARNER = _enrollment("learner", names.LEARNER_REFERENCE, "learner")
ENROLLMENT_LEARNER_ID_TYPE = IdTypeName(
    "enrollment.learner.id_type",
    ENROLLMENT_LEARNER,
    (names.EMPLOYEE_ID,),
    REQUIRED,
    _confirmed("HR26", "GO31"),
    "learner's Employee ID",
)
ENROLLMENT_COMPLETION_DATE = _enrollment("completion_date", names.ENROLLMENT_COMPLETION_DATE, "completed_at", _PUSH)
ENROLLMENT_SCORE = _enrollment("score", names.OVERALL_COURSE_SCORE, "score", _PUSH, OPTIONAL)
ENROLLMENT_GRADE = _enrollment("grade", names.GRADE_REFERENCE, "result", _PUSH)
ENROLLMENT_GRADE_ID_TYPE = IdTypeName(
    "enrollment.grade.id_type",
    ENROLLMENT_GRADE,
    (names.GRADE_ID_TYPE, "Learning_Grade"),
    REQUIRED,
    _unsourced("grade IDs are set per tenant (evidence 5, item 10)"),
    "grade's ID",
)
ENROLLMENT_RESCIND = _enrollment("rescind", names.RESCIND_ENROLLMENT, "rescind", (Feature.COMPLETION_DELETE,))
ENROLLMENT_REPLY_REFERENCE = ElementName(
    "enrollment.reply_reference",
    PUT_ENROLLMENT,
    None,
    (names.ENROLLMENT_REFERENCE,),
    OPTIONAL,
    _confirmed("GO31"),
    "Workday's reference for the enrollment",
    REPLY,
)

# Reads of enrollments: Get_Learning_Enrollments (evidence 2.4, 3.3)

GET_ENROLLMENTS = OperationName(
    "enrollments.get",
    Service.LEARNING,
    (names.GET_ENROLLMENTS,),
    (Feature.COMPLETION_PUSH, Feature.COMPLETION_DELETE, Feature.RECONCILE),
    _confirmed("W-GLE31", "GO31", "S5"),
    "enrollments",
)
ENROLLMENTS_VERSION = version_name(GET_ENROLLMENTS, "enrollments")
ENROLLMENTS_PAGING = paging_names(GET_ENROLLMENTS, "enrollments")
_BY_CRITERIA = (Feature.COMPLETION_PUSH, Feature.RECONCILE)
ENROLLMENTS_CRITERIA = ElementName(
    "enrollments.criteria",
    GET_ENROLLMENTS,
    None,
    (REQUEST_CRITERIA,),
    REQUIRED,
    _confirmed("W-GLE31", "S5"),
    "enrollments asked for by course and learner",
    features=_BY_CRITERIA,
)
CRITERIA_CONTENT = ElementName(
    "enrollments.criteria.content",
    GET_ENROLLMENTS,
    ENROLLMENTS_CRITERIA,
    (names.LEARNING_CONTENT_REFERENCE,),
    REQUIRED,
    _confirmed("S5", note="v39.2; absent in v31.2 [GO31]"),
    "enrollments asked for by course",
)
CRITERIA_CONTENT_ID_TYPE = IdTypeName(
    "enrollments.criteria.content.id_type", CRITERIA_CONTENT, (WID,), REQUIRED, _confirmed("S5"), "course's WID"
)
CRITERIA_LEARNER = ElementName(
    "enrollments.criteria.learner",
    GET_ENROLLMENTS,
    ENROLLMENTS_CRITERIA,
    (names.LEARNER_REFERENCE,),
    OPTIONAL,
    _unsourced("v31.2 has only Imported [GO31]; S5 shows only the course", "GO31", "S5"),
    "enrollments asked for by learner (a course's enrollments are read and the learner's kept)",
)
CRITERIA_LEARNER_ID_TYPE = IdTypeName(
    "enrollments.criteria.learner.id_type",
    CRITERIA_LEARNER,
    (names.EMPLOYEE_ID,),
    REQUIRED,
    _confirmed("HR26", "GO31"),
    "learner's Employee ID",
)
ENROLLMENTS_REQUEST_REFERENCES = ElementName(
    "enrollments.request_references",
    GET_ENROLLMENTS,
    None,
    (REQUEST_REFERENCES,),
    REQUIRED,
    _confirmed("W-GLE31", "GO31"),
    "an enrollment asked for by WID",
    features=(Feature.COMPLETION_DELETE,),
)
REQUEST_ENROLLMENT = ElementName(
    "enrollments.request_references.enrollment",
    GET_ENROLLMENTS,
    ENROLLMENTS_REQUEST_REFERENCES,
    (names.ENROLLMENT_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "an enrollment asked for by WID",
)
REQUEST_ENROLLMENT_ID_TYPE = IdTypeName(
    "enrollments.request_references.enrollment.id_type",
    REQUEST_ENROLLMENT,
    (WID,),
    REQUIRED,
    _WID,
    "the enrollment's WID",
)
ENROLLMENT_ITEM = ElementName(
    "enrollments.enrollment",
    GET_ENROLLMENTS,
    ENROLLMENTS_PAGING.data,
    (names.LEARNING_ENROLLMENT,),
    REQUIRED,
    _confirmed("GO31", "S5"),
    "the enrollments read",
    REPLY,
)
ENROLLMENT_ITEM_REFERENCE = ElementName(
    "enrollments.enrollment.reference",
    GET_ENROLLMENTS,
    ENROLLMENT_ITEM,
    (names.ENROLLMENT_REFERENCE,),
    REQUIRED,
    _confirmed("GO31"),
    "the enrollment's WID",
    REPLY,
)
ENROLLMENT_ITEM_DATA = ElementName(
    "enrollments.enrollment.data",
    GET_ENROLLMENTS,
    ENROLLMENT_ITEM,
    (names.ENROLLMENT_DATA,),
    REQUIRED,
    _confirmed("GO31", "S5"),
    "the enrollments read",
    REPLY,
)


def _read_enrollment(
    key: str,
    name: str,
    need: Need,
    label: str,
    evidence: Evidence | None = None,
    features: tuple[Feature, ...] | None = _BY_CRITERIA,
) -> ElementName:
    """A field of a listed enrollment; by default read only by the features that look at completions."""
    return ElementName(
        f"enrollments.enrollment.{key}",
        GET_ENROLLMENTS,
        ENROLLMENT_ITEM_DATA,
        (name,),
        need,
        evidence or _confirmed("GO31"),
        label,
        REPLY,
        features=features,
    )


READ_ENROLLMENT_CONTENT = _read_enrollment(
    "content", names.LEARNING_CONTENT_REFERENCE, REQUIRED, "course", features=None
)
READ_ENROLLMENT_LEARNER = _read_enrollment("learner", names.LEARNER_REFERENCE, REQUIRED, "learner", features=None)
READ_ENROLLMENT_COMPLETION_DATE = _read_enrollment(
    "completion_date", names.ENROLLMENT_COMPLETION_DATE, REQUIRED, "completed_at"
)
READ_ENROLLMENT_SCORE = _read_enrollment("score", names.OVERALL_COURSE_SCORE, OPTIONAL, "score")
READ_ENROLLMENT_GRADE = _read_enrollment("grade", names.GRADE_REFERENCE, REQUIRED, "result")
READ_ENROLLMENT_RESCINDED = _read_enrollment(
    "rescinded",
    names.RESCIND_ENROLLMENT,
    OPTIONAL,
    "rescinded (a rescinded enrollment is taken as not rescinded)",
    features=None,
)
READ_CREATED_ON_LAUNCH = _read_enrollment(
    "created_on_launch",
    names.CREATED_ON_LAUNCH,
    OPTIONAL,
    "made on launch (auto-completions on launch are not recognised)",
    _unsourced("no public source shows it"),
)

LEARNING = Declaration(
    (
        PUT_CONTENT,
        CONTENT_VERSION,
        CONTENT_DATA,
        CONTENT_ID,
        CONTENT_TITLE,
        CONTENT_DESCRIPTION,
        CONTENT_REPLY_REFERENCE,
        PUT_RECORD,
        RECORD_VERSION,
        RECORD_DATA,
        RECORD_ID,
        RECORD_LEARNER,
        RECORD_LEARNER_ID_TYPE,
        RECORD_CONTENT,
        RECORD_CONTENT_ID_TYPE,
        RECORD_COMPLETION_DATE,
        RECORD_GRADE,
        RECORD_GRADE_ID_TYPE,
        RECORD_INACTIVE,
        RECORD_REPLY_REFERENCE,
        MANAGE_COURSE,
        COURSE_VERSION,
        MANAGE_COURSE_DATA,
        PUT_DIGITAL_COURSE,
        COURSE_REFERENCE,
        COURSE_REFERENCE_ID_TYPE,
        COURSE_DATA,
        COURSE_ID,
        COURSE_INACTIVE,
        COURSE_TITLE,
        COURSE_DESCRIPTION,
        COURSE_TOPICS,
        COURSE_TOPIC_ID_TYPE,
        COURSE_REGISTRABLE_STATUS,
        COURSE_REGISTRABLE_STATUS_ID_TYPE,
        COURSE_TIME_UNIT,
        COURSE_TIME_UNIT_ID_TYPE,
        COURSE_DURATION,
        COURSE_IMAGE,
        IMAGE_FILE_NAME,
        IMAGE_CONTENT_TYPE,
        IMAGE_DATA,
        COURSE_LANGUAGES,
        COURSE_LANGUAGE_ID_TYPE,
        COURSE_SKILLS,
        COURSE_SKILL_ID_TYPE,
        COURSE_REQUIRES_ENROLLMENT,
        COURSE_LESSON,
        LESSON_ORDER,
        LESSON_MANDATORY,
        EXTERNAL_LESSON,
        EXTERNAL_LESSON_URL,
        EXTERNAL_LESSON_TITLE,
        MEDIA_LESSON,
        MEDIA_LESSON_REFERENCE,
        MEDIA_LESSON_REFERENCE_ID_TYPE,
        MEDIA_LESSON_TITLE,
        BUSINESS_PROCESS,
        AUTO_COMPLETE,
        COURSE_REPLY_REFERENCE,
        GET_DIGITAL_COURSES,
        CATALOG_VERSION,
        CATALOG_REQUEST_REFERENCES,
        CATALOG_REQUEST_COURSE,
        CATALOG_REQUEST_COURSE_ID_TYPE,
        *CATALOG_PAGING.names[:4],
        CATALOG_RESPONSE_GROUP,
        CATALOG_EXCLUDE_IMAGES,
        *CATALOG_PAGING.names[4:],
        CATALOG_COURSE,
        CATALOG_COURSE_REFERENCE,
        CATALOG_COURSE_DATA,
        CATALOG_COURSE_ID,
        CATALOG_COURSE_INACTIVE,
        CATALOG_COURSE_TITLE,
        GET_TOPICS,
        TOPICS_VERSION,
        *TOPICS_PAGING.names,
        TOPIC,
        TOPIC_REFERENCE,
        TOPIC_DATA,
        TOPIC_NAME,
        TOPIC_INACTIVE,
        PUT_ENROLLMENT,
        ENROLLMENT_VERSION,
        ENROLLMENT_REFERENCE,
        ENROLLMENT_REFERENCE_ID_TYPE,
        ENROLLMENT_DATA,
        ENROLLMENT_CONTENT,
        ENROLLMENT_CONTENT_ID_TYPE,
        ENROLLMENT_LEARNER,
        ENROLLMENT_LEARNER_ID_TYPE,
        ENROLLMENT_COMPLETION_DATE,
        ENROLLMENT_SCORE,
        ENROLLMENT_GRADE,
        ENROLLMENT_GRADE_ID_TYPE,
        ENROLLMENT_RESCIND,
        ENROLLMENT_REPLY_REFERENCE,
        GET_ENROLLMENTS,
        ENROLLMENTS_VERSION,
        ENROLLMENTS_REQUEST_REFERENCES,
        REQUEST_ENROLLMENT,
        REQUEST_ENROLLMENT_ID_TYPE,
        ENROLLMENTS_CRITERIA,
        CRITERIA_CONTENT,
        CRITERIA_CONTENT_ID_TYPE,
        CRITERIA_LEARNER,
        CRITERIA_LEARNER_ID_TYPE,
        *ENROLLMENTS_PAGING.names[:4],
        *ENROLLMENTS_PAGING.names[4:],
        ENROLLMENT_ITEM,
        ENROLLMENT_ITEM_REFERENCE,
        ENROLLMENT_ITEM_DATA,
        READ_ENROLLMENT_CONTENT,
        READ_ENROLLMENT_LEARNER,
        READ_ENROLLMENT_COMPLETION_DATE,
        READ_ENROLLMENT_SCORE,
        READ_ENROLLMENT_GRADE,
        READ_ENROLLMENT_RESCINDED,
        READ_CREATED_ON_LAUNCH,
    )
)
"""The Learning service's names, in the order of the evidence file's section 3; within an operation's request, in
the order of its WSDL's sequences (a Get's ``Request_References``, ``Request_Criteria``, ``Response_Filter``,
``Response_Group`` [GO31]), which is the order the request builders write them in."""
