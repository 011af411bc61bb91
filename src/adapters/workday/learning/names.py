"""Every Workday Learning element and ID type the connector sends or reads. With ``soap.names`` (what every
Workday SOAP service shares: the namespace, references, paging), the one place that holds Workday's names: their
declaration (``learning.contract``: candidates, need, evidence) is what ``wlc workday check`` resolves against a
tenant's WSDL and ``docs/workday-contract.md`` lists. The requests built from them are in ``imported_requests``,
``course_requests`` and ``enrollment_requests``.
"""

from __future__ import annotations

from typing import Final

PUT_CONTENT: Final = "Put_Learning_Imported_Content"
PUT_RECORD: Final = "Put_Learning_Imported_Record"


CONTENT_REFERENCE: Final = "Learning_Imported_Content_Reference"
CONTENT_DATA: Final = "Learning_Imported_Content_Data"
TITLE: Final = "Title"
DESCRIPTION: Final = "Description"
INACTIVE: Final = "Inactive"

RECORD_REFERENCE: Final = "Learning_Imported_Record_Reference"
RECORD_DATA: Final = "Learning_Imported_Record_Data"
LEARNER_REFERENCE: Final = "Learner_Reference"
COMPLETION_DATE: Final = "Completion_Date"
GRADE_REFERENCE: Final = "Learning_Grade_Reference"

EMPLOYEE_ID: Final = "Employee_ID"
CONTENT_ID_TYPE: Final = "Learning_Imported_Content_ID"
RECORD_ID_TYPE: Final = "Learning_Imported_Record_ID"
GRADE_ID_TYPE: Final = "Learning_Grade_ID"

RESPONSE_REFERENCES: Final = {
    PUT_CONTENT: (CONTENT_REFERENCE, CONTENT_ID_TYPE),
    PUT_RECORD: (RECORD_REFERENCE, RECORD_ID_TYPE),
}
"""For each operation, the reference its response carries and the ID types the connector reads from it
(``WID`` first, this one as the fallback)."""


# Digital courses, topics, skills and enrollments (docs/workday-contract.md, "Courses and enrollments").
# The request mapping is in ``course_requests`` and ``enrollment_requests``; the names are all here.

MANAGE_COURSE: Final = "Manage_Learning_Course"
GET_DIGITAL_COURSES: Final = "Get_Learning_Digital_Courses"
GET_TOPICS: Final = "Get_Learning_Topics"
PUT_ENROLLMENT: Final = "Put_Learning_Enrollment"
GET_ENROLLMENTS: Final = "Get_Learning_Enrollments"

MANAGE_COURSE_DATA: Final = "Manage_Learning_Course_Data"
PUT_DIGITAL_COURSE: Final = "Put_Learning_Digital_Course_Request"
DIGITAL_COURSE_REFERENCE: Final = "Learning_Digital_Course_Reference"
DIGITAL_COURSE_DATA: Final = "Learning_Digital_Course_Data"
BUSINESS_PROCESS_PARAMETERS: Final = "Business_Process_Parameters"
AUTO_COMPLETE: Final = "Auto_Complete"
COURSE_REFERENCE: Final = "Course_Reference"
COURSE_TITLE: Final = "Course_Title"
TOPIC_REFERENCE: Final = "Topic_Reference"
REGISTRABLE_STATUS_REFERENCE: Final = "Registrable_Status_Reference"
TIME_VALUE_REFERENCE: Final = "Time_Value_Reference"
TOTAL_COURSE_DURATION: Final = "Total_Course_Duration"
COURSE_IMAGE_DATA: Final = "Course_Image_Data"
FILE_NAME: Final = "File_Name"
CONTENT_TYPE: Final = "Content_Type"
IMAGE: Final = "Image"
LANGUAGE_REFERENCE: Final = "Language_Reference"
SKILL_REFERENCE: Final = "Skill_Reference"
REQUIRES_ENROLLMENT: Final = "Requires_Enrollment"
COURSE_LESSON_DATA: Final = "Course_Lesson_Data"
LESSON_ORDER: Final = "Lesson_Order"
MAKE_LESSON_MANDATORY: Final = "Make_Lesson_Mandatory"
EXTERNAL_CONTENT_LESSON_DATA: Final = "External_Content_Lesson_Data"
EXTERNAL_CONTENT_URL: Final = "External_Content_URL"
LESSON_TITLE: Final = "Learning_Course_Lesson_Title"
MEDIA_LESSON_DATA: Final = "Media_Lesson_Data"
MEDIA_REFERENCE: Final = "Media_Reference"

COURSE_ID_TYPE: Final = "Learning_Course_ID"
TOPIC_ID_TYPE: Final = "Learning_Topic"
"""A topic's reference ID type as real bodies send it [S4, DC] (no source uses ``Learning_Topic_ID``); a course
refers to a topic by the WID ``Get_Learning_Topics`` gave, this type only when it gave none."""
REGISTRABLE_STATUS_ID_TYPE: Final = "Learning_Registerable_Status_ID"
TIME_UNIT_ID_TYPE: Final = "Learning_Time_Unit_ID"
MINUTES: Final = "minutes"
HOURS: Final = "hours"
LANGUAGE_ID_TYPE: Final = "User_Language_ID"
SKILL_ID_TYPE: Final = "Skill_ID"
"""A skill item's reference ID type beside WID [HR26, HRnew]; a course refers to a skill by its WID."""
ENROLLMENT_ID_TYPE: Final = "Learning_Enrollment_ID"

EXCLUDE_COURSE_IMAGE_DATA: Final = "Exclude_Course_Image_Data"

DIGITAL_COURSE: Final = "Learning_Digital_Course"
LEARNING_TOPIC: Final = "Learning_Topic"
LEARNING_TOPIC_REFERENCE: Final = "Learning_Topic_Reference"
LEARNING_TOPIC_DATA: Final = "Learning_Topic_Data"
LEARNING_TOPIC_NAME: Final = "Learning_Topic_Name"

LEARNING_ENROLLMENT: Final = "Learning_Enrollment"
ENROLLMENT_REFERENCE: Final = "Learning_Enrollment_Reference"
ENROLLMENT_DATA: Final = "Learning_Enrollment_Data"
LEARNING_CONTENT_REFERENCE: Final = "Learning_Content_Reference"
REGISTERED_DATE: Final = "Registered_Date"
ENROLLMENT_COMPLETION_DATE: Final = "Learning_Enrollment_Completion_Date"
OVERALL_COURSE_SCORE: Final = "Overall_Course_Score"
RESCIND_ENROLLMENT: Final = "Rescind_Enrollment"
CREATED_ON_LAUNCH: Final = "Created_On_Launch"
GRADE_PASS: Final = "PASS"  # noqa: S105 - a grade ID, not a password
GRADE_FAIL: Final = "FAIL"

COURSE_RESPONSE_REFERENCES: Final = {
    MANAGE_COURSE: (COURSE_REFERENCE, COURSE_ID_TYPE),
    PUT_ENROLLMENT: (ENROLLMENT_REFERENCE, ENROLLMENT_ID_TYPE),
}
"""As ``RESPONSE_REFERENCES``, for the course and enrollment writes."""
