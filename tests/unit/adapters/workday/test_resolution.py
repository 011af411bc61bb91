"""The connector's declaration resolved against a tenant's WSDL: each name as the WSDL has it (the first candidate
it has), request elements read from the messages, ID types from the appinfo enumerations, and each feature OK,
degraded (what is left out) or unavailable (what is missing, raised as ContractMismatch). The WSDLs are the
sandbox's variants, as a tenant would serve them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from adapters.workday.contract import CONTRACT
from adapters.workday.errors import ContractMismatch
from adapters.workday.learning import contract as learning
from adapters.workday.learning.contract import LEARNING
from adapters.workday.soap.declaration import (
    Declaration,
    ElementName,
    Evidence,
    Feature,
    IdTypeName,
    Need,
    OperationName,
    Service,
    Verdict,
)
from adapters.workday.soap.resolution import Availability, FeatureStatus, Gap, Resolution
from adapters.workday.soap.schema_cache import SchemaCache, SchemaKey
from adapters.workday.talent import contract as talent
from sandbox.workday.soap.served_wsdl import ServedWsdl, sourced_wsdl
from sandbox.workday.wsdl_variants import VARIANTS, Change, RemoveElement, RenameIdType, variant_named

XSD = "http://www.w3.org/2001/XMLSchema"


def resolved(tmp_path: Path, *changes: Change) -> Resolution:
    path = tmp_path / "Learning.wsdl"
    path.write_bytes(
        ServedWsdl("Learning", sourced_wsdl("Learning"), changes).document("https://tenant.example/Learning")
    )
    key = SchemaKey(Service.LEARNING, "v44.2", str(path))
    return (
        SchemaCache()
        .parsed(key, lambda url: Path(url).read_bytes(), str(path), "the Learning WSDL v44.2")
        .resolution(LEARNING)
    )


def of_variant(tmp_path: Path, name: str) -> Resolution:
    return resolved(tmp_path, *variant_named(name).of("Learning"))


def test_every_feature_works_with_the_sourced_wsdl(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "sourced")

    assert {f: names.status(f).availability for f in Feature} == {f: Availability.OK for f in Feature}
    assert all(r.present for r in names)


def test_an_optional_element_the_wsdl_lacks_degrades_its_feature_naming_the_candidates(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "no-optional-course-elements")

    status = names.status(Feature.CONTENT_UPSERT)

    assert status.availability is Availability.DEGRADED
    assert [(gap.label, gap.why) for gap in status.left_out] == [
        (
            "languages",
            "the Learning WSDL v44.2 has no Language_Reference or User_Language_Reference in "
            "Learning_Digital_Course_Data",
        ),
        (
            "requires_enrollment",
            "the Learning WSDL v44.2 has no Requires_Enrollment or Enrollment_Required in Learning_Digital_Course_Data",
        ),
    ]
    assert names.found(learning.COURSE_LANGUAGES) is None
    assert names.found(learning.COURSE_LANGUAGE_ID_TYPE) is None
    omission = names.omission(learning.COURSE_LANGUAGES, Feature.CONTENT_UPSERT)
    assert omission is not None
    assert omission.field == "languages"
    assert names.status(Feature.TRANSCRIPTS).availability is Availability.OK


def test_an_element_under_another_candidate_name_is_resolved_to_it(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "other-element-names")

    assert names.found(learning.COURSE_LANGUAGES) == "User_Language_Reference"
    assert names.found(learning.COURSE_LANGUAGE_ID_TYPE) == "User_Language_ID"
    assert names.found(learning.COURSE_REQUIRES_ENROLLMENT) == "Enrollment_Required"
    assert names.status(Feature.CONTENT_UPSERT).availability is Availability.OK


def test_an_id_type_is_the_first_candidate_its_enumeration_lists(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "other-id-types")

    assert names.found(learning.RECORD_CONTENT_ID_TYPE) == "Learning_Imported_Content"
    assert names.found(learning.RECORD_GRADE_ID_TYPE) == "Learning_Grade"
    assert names.found(learning.COURSE_TOPIC_ID_TYPE) == "WID"
    assert names.status(Feature.TRANSCRIPTS).availability is Availability.OK


def test_an_id_type_under_a_name_no_candidate_has_makes_its_feature_unavailable(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "unknown-id-type")

    status = names.status(Feature.TRANSCRIPTS)

    assert status.availability is Availability.UNAVAILABLE
    [gap] = status.missing
    assert gap.name == learning.RECORD_CONTENT_ID_TYPE
    assert gap.why == (
        "the Learning WSDL v44.2 lists Imported_Learning_Content_Key, WID as the ID types of "
        "Learning_Imported_Content_Reference, not Learning_Imported_Content_ID or Learning_Imported_Content"
    )
    assert names.status(Feature.TRANSCRIPTS, learning.PUT_CONTENT).availability is Availability.OK
    with pytest.raises(ContractMismatch, match="transcripts is unavailable on this tenant") as raised:
        names.require(Feature.TRANSCRIPTS, learning.PUT_RECORD)
    assert raised.value.feature == Feature.TRANSCRIPTS
    assert raised.value.missing == (learning.RECORD_CONTENT_ID_TYPE.path,)


def test_a_request_element_is_read_from_the_operations_input_message(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "plural-request-elements")

    assert names.request_element(learning.PUT_CONTENT) == "Put_Learning_Imported_Contents_Request"
    assert names.found(learning.CONTENT_TITLE) == "Title"
    assert names.status(Feature.TRANSCRIPTS).availability is Availability.OK


def test_a_missing_operation_is_listed_once_not_with_every_name_under_it(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "required-names-missing")

    transcripts = names.status(Feature.TRANSCRIPTS)
    push = names.status(Feature.COMPLETION_PUSH)

    assert [gap.name for gap in transcripts.missing] == [learning.PUT_RECORD]
    assert transcripts.missing[0].why == "the Learning WSDL v44.2 has no operation Put_Learning_Imported_Record"
    assert names.resolved(learning.RECORD_COMPLETION_DATE).cause == learning.PUT_RECORD
    assert {gap.name for gap in push.missing} == {
        learning.ENROLLMENT_COMPLETION_DATE,
        learning.READ_ENROLLMENT_COMPLETION_DATE,
    }
    assert names.status(Feature.COMPLETION_DELETE).availability is Availability.OK
    assert names.status(Feature.CONTENT_UPSERT).availability is Availability.OK


def test_an_optional_criterion_absent_degrades_push_and_reconcile(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "no-learner-criterion")

    assert names.status(Feature.COMPLETION_PUSH).availability is Availability.DEGRADED
    assert names.status(Feature.RECONCILE).availability is Availability.DEGRADED
    assert names.status(Feature.COMPLETION_DELETE).availability is Availability.OK


def test_a_required_element_under_an_optional_one_leaves_the_optional_one_out(tmp_path: Path) -> None:
    names = resolved(tmp_path, RemoveElement("Learning_Image_DataType", "Content_Type"))

    status = names.status(Feature.CONTENT_UPSERT)
    omission = names.omission(learning.COURSE_IMAGE, Feature.CONTENT_UPSERT)

    assert names.found(learning.COURSE_IMAGE) == "Course_Image_Data"
    assert [gap.label for gap in status.left_out] == ["cover_url"]
    assert omission is not None
    assert "Content_Type" in omission.reason


def test_a_reference_whose_id_types_are_listed_nowhere_takes_the_first_candidate(tmp_path: Path) -> None:
    by_name = IdTypeName(
        "course.topics.by_name",
        learning.COURSE_TOPICS,
        ("Learning_Topic_Code",),
        Need.REQUIRED,
        Evidence(Verdict.INFERRED),
        "t",
    )
    declaration = Declaration(
        (
            learning.MANAGE_COURSE,
            learning.MANAGE_COURSE_DATA,
            learning.PUT_DIGITAL_COURSE,
            learning.COURSE_DATA,
            learning.COURSE_TOPICS,
            by_name,
        )
    )
    listed = etree.fromstring(sourced_wsdl("Learning"))
    unlisted = etree.fromstring(sourced_wsdl("Learning"))
    for annotation in unlisted.iterfind(
        ".//xsd:simpleType[@name='Learning_TopicReferenceEnumeration']/xsd:restriction/xsd:annotation",
        {"xsd": "http://www.w3.org/2001/XMLSchema"},
    ):
        annotation.getparent().remove(annotation)  # type: ignore[union-attr]

    def names(root: etree._Element, file: str) -> Resolution:
        path = tmp_path / file
        path.write_bytes(etree.tostring(root))
        key = SchemaKey(Service.LEARNING, "v44.2", str(path))
        return SchemaCache().parsed(key, lambda url: Path(url).read_bytes(), str(path), "it").resolution(declaration)

    assert names(listed, "listed.wsdl").found(by_name) is None
    assert names(unlisted, "unlisted.wsdl").found(by_name) == "Learning_Topic_Code"


def test_a_name_asked_for_where_the_wsdl_lacks_it_is_a_named_contract_mismatch(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "no-optional-course-elements")

    with pytest.raises(ContractMismatch, match="Language_Reference or User_Language_Reference"):
        names.name(learning.COURSE_LANGUAGES)


def test_as_declared_every_name_is_its_first_candidate() -> None:
    names = Resolution.as_declared(LEARNING, Service.LEARNING, "v44.2")

    assert names.name(learning.COURSE_LANGUAGES) == "Language_Reference"
    assert names.request_element(learning.PUT_CONTENT) == "Put_Learning_Imported_Content_Request"
    assert all(names.status(f).availability is Availability.OK for f in Feature)


def test_a_feature_across_two_services_takes_both_statuses() -> None:
    gap = Gap(learning.PUT_RECORD, "imported records", "no operation")
    learning_side = FeatureStatus(Feature.TRANSCRIPTS)
    other_side = FeatureStatus(Feature.TRANSCRIPTS, missing=(gap,))

    assert (learning_side + other_side).availability is Availability.UNAVAILABLE
    assert (learning_side + other_side).describe() == "unavailable: no operation"
    with pytest.raises(ValueError, match="cannot combine"):
        _ = learning_side + FeatureStatus(Feature.SKILLS)


def test_the_declaration_covers_learning_and_talents_get_skills_with_unique_keys() -> None:
    keys = [name.key for name in CONTRACT]

    assert len(keys) == len(set(keys))
    assert CONTRACT.by_key("skills.get_skills").service is Service.TALENT
    assert {name.service for name in CONTRACT} == {Service.LEARNING, Service.TALENT}
    assert all(CONTRACT.used_by(feature) for feature in Feature)


def test_a_declaration_refuses_a_name_whose_parent_is_not_declared() -> None:
    operation = OperationName("op", Service.LEARNING, ("Op",), (Feature.SKILLS,), Evidence(Verdict.INFERRED), "op")
    parent = ElementName("parent", operation, None, ("Parent",), Need.REQUIRED, Evidence(Verdict.INFERRED), "p")
    child = ElementName("child", operation, parent, ("Child",), Need.REQUIRED, Evidence(Verdict.INFERRED), "c")

    with pytest.raises(ValueError, match="child depends on parent"):
        Declaration((operation, child))
    with pytest.raises(ValueError, match="share the key"):
        Declaration((operation, parent, parent))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_variant_resolves_without_error(tmp_path: Path, name: str) -> None:
    names = of_variant(tmp_path, name)

    assert {f: names.status(f).describe() for f in Feature}


def test_renaming_an_id_type_no_reference_uses_changes_nothing(tmp_path: Path) -> None:
    names = resolved(tmp_path, RenameIdType("Learning_Enrollment_ID", "Learning_Enrollment"))

    assert all(names.status(f).availability is Availability.OK for f in Feature)


def resolved_from(tmp_path: Path, trim: Callable[[etree._Element], None]) -> Resolution:
    """The sourced Learning WSDL changed by ``trim`` (an edit the variants do not make), resolved."""
    root = etree.fromstring(sourced_wsdl("Learning"))
    trim(root)
    path = tmp_path / "trimmed.wsdl"
    path.write_bytes(etree.tostring(root))
    key = SchemaKey(Service.LEARNING, "v44.2", str(path))
    where = "the Learning WSDL v44.2"
    return SchemaCache().parsed(key, lambda url: Path(url).read_bytes(), str(path), where).resolution(LEARNING)


def test_id_types_listed_as_xsd_enumeration_facets_count_too(tmp_path: Path) -> None:
    def as_facets(root: etree._Element) -> None:
        restriction = root.find(
            f".//{{{XSD}}}simpleType[@name='Learning_GradeReferenceEnumeration']/{{{XSD}}}restriction"
        )
        assert restriction is not None
        for child in list(restriction):
            restriction.remove(child)
        etree.SubElement(restriction, f"{{{XSD}}}enumeration", value="WID")

    names = resolved_from(tmp_path, as_facets)

    assert names.status(Feature.TRANSCRIPTS).describe() == (
        "unavailable: the Learning WSDL v44.2 lists WID as the ID types of Learning_Grade_Reference, "
        "not Learning_Grade_ID or Learning_Grade"
    )


def test_a_request_without_the_version_attribute_makes_its_feature_unavailable(tmp_path: Path) -> None:
    def trim(root: etree._Element) -> None:
        request = root.find(f".//{{{XSD}}}complexType[@name='Put_Learning_Imported_Content_RequestType']")
        assert request is not None
        attribute = request.find(f"{{{XSD}}}attribute")
        assert attribute is not None
        request.remove(attribute)

    names = resolved_from(tmp_path, trim)

    assert names.status(Feature.TRANSCRIPTS).describe() == (
        "unavailable: the Learning WSDL v44.2 has no attribute version in Put_Learning_Imported_Content_Request"
    )


def test_a_name_absent_from_a_request_and_its_reply_alike_is_said_once(tmp_path: Path) -> None:
    names = of_variant(tmp_path, "required-names-missing")

    status = names.status(Feature.COMPLETION_PUSH)

    assert len(status.missing) == 2  # Put_Learning_Enrollment's request, Get_Learning_Enrollments' reply
    assert status.describe() == (
        "unavailable: the Learning WSDL v44.2 has no Learning_Enrollment_Completion_Date in Learning_Enrollment_Data"
    )


def test_an_operation_a_feature_can_do_without_fails_the_items_that_need_it_rather_than_leaving_it_out() -> None:
    missing_skills = Gap(talent.GET_SKILLS, "skills", "the Talent WSDL v44.2 has no operation Get_Skills", True)
    status = FeatureStatus(Feature.CONTENT_UPSERT, left_out=(missing_skills,))

    assert (
        status.describe() == "degraded: items that need skills fail: the Talent WSDL v44.2 has no operation Get_Skills"
    )
