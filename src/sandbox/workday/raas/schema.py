"""The report's XSD, as ``?xsds`` returns it: ``Report_Data`` holds ``Report_Entry`` elements whose fields
are all optional (``minOccurs="0"``), in the report's own namespace."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from sandbox.workday.raas.formats import ReportLayout

_FIELD_TYPES = {"termination_date": "xsd:date"}


def report_xsd(layout: ReportLayout) -> str:
    namespace = quoteattr(layout.namespace)
    fields = []
    for name, alias in layout.columns:
        field_type = "wd:Worker_ReferenceType" if name == "wid" and layout.xml_references else None
        field_type = field_type or _FIELD_TYPES.get(name, "xsd:string")
        fields.append(f'            <xsd:element name="{alias}" type="{field_type}" minOccurs="0"/>\n')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:wd={namespace} '
        f'elementFormDefault="qualified" attributeFormDefault="qualified" targetNamespace={namespace}>\n'
        '    <xsd:element name="Report_Data" type="wd:Report_DataType"/>\n'
        + (_REFERENCE_TYPES if layout.xml_references else "")
        + '    <xsd:complexType name="Report_EntryType">\n'
        "        <xsd:sequence>\n" + "".join(fields) + "        </xsd:sequence>\n"
        "    </xsd:complexType>\n"
        '    <xsd:complexType name="Report_DataType">\n'
        "        <xsd:sequence>\n"
        '            <xsd:element name="Report_Entry" type="wd:Report_EntryType" '
        'minOccurs="0" maxOccurs="unbounded"/>\n'
        "        </xsd:sequence>\n"
        "    </xsd:complexType>\n"
        "</xsd:schema>\n"
    )


# Inferred: the names of the reference types (a Descriptor attribute, ID elements typed by wd:type) are ours;
# only the instance shape is sourced.
_REFERENCE_TYPES = """\
    <xsd:attribute name="Descriptor" type="xsd:string"/>
    <xsd:attribute name="type" type="xsd:string"/>
    <xsd:complexType name="IDType">
        <xsd:simpleContent>
            <xsd:extension base="xsd:string">
                <xsd:attribute ref="wd:type"/>
            </xsd:extension>
        </xsd:simpleContent>
    </xsd:complexType>
    <xsd:complexType name="Worker_ReferenceType">
        <xsd:sequence>
            <xsd:element name="ID" type="wd:IDType" minOccurs="0" maxOccurs="unbounded"/>
        </xsd:sequence>
        <xsd:attribute ref="wd:Descriptor"/>
    </xsd:complexType>
"""
