"""Raw SOAP requests to the sandbox's Learning endpoint, written by hand as a client would send them."""

from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree

from sandbox import SandboxServer

WD = "urn:com.workday/bsvc"
NS = {"wd": WD, "env": "http://schemas.xmlsoap.org/soap/envelope/"}
_WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"


def security(username: str, password: str) -> str:
    return (
        f'<wsse:Security xmlns:wsse="{_WSSE}"><wsse:UsernameToken><wsse:Username>{escape(username)}</wsse:Username>'
        f'<wsse:Password Type="{_TEXT}">{escape(password)}</wsse:Password></wsse:UsernameToken></wsse:Security>'
    )


def envelope(body: str, header: str | None) -> bytes:
    head = "" if header is None else f"<soapenv:Header>{header}</soapenv:Header>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:bsvc="{WD}">{head}<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>'
    ).encode()


def isu_envelope(server: SandboxServer, body: str) -> bytes:
    config = server.config
    return envelope(body, security(f"{config.isu_username}@{config.tenant}", config.isu_password))


def put_content(item_id: str, title: str = "Revenue Recognition", extra: str = "") -> str:
    return (
        '<bsvc:Put_Learning_Imported_Content_Request bsvc:version="v44.2"><bsvc:Learning_Imported_Content_Data>'
        f"<bsvc:ID>{item_id}</bsvc:ID><bsvc:Title>{escape(title)}</bsvc:Title>{extra}"
        "</bsvc:Learning_Imported_Content_Data></bsvc:Put_Learning_Imported_Content_Request>"
    )


def put_record(
    item_id: str, employee_id: str, content_id: str, grade: str = "PASS", completion_date: str = "2026-11-20"
) -> str:
    return (
        '<bsvc:Put_Learning_Imported_Record_Request bsvc:version="v44.2"><bsvc:Learning_Imported_Record_Data>'
        f"<bsvc:ID>{item_id}</bsvc:ID>"
        f'<bsvc:Learner_Reference><bsvc:ID bsvc:type="Employee_ID">{employee_id}</bsvc:ID></bsvc:Learner_Reference>'
        "<bsvc:Learning_Imported_Content_Reference>"
        f'<bsvc:ID bsvc:type="Learning_Imported_Content_ID">{content_id}</bsvc:ID>'
        "</bsvc:Learning_Imported_Content_Reference>"
        f"<bsvc:Completion_Date>{completion_date}</bsvc:Completion_Date>"
        f'<bsvc:Learning_Grade_Reference><bsvc:ID bsvc:type="Learning_Grade_ID">{grade}</bsvc:ID>'
        "</bsvc:Learning_Grade_Reference>"
        "</bsvc:Learning_Imported_Record_Data></bsvc:Put_Learning_Imported_Record_Request>"
    )


def get_records(page: int | None = None, count: int | None = None, references: str = "") -> str:
    paging = "".join(
        f"<bsvc:{name}>{value}</bsvc:{name}>" for name, value in (("Page", page), ("Count", count)) if value is not None
    )
    response_filter = f"<bsvc:Response_Filter>{paging}</bsvc:Response_Filter>" if paging else ""
    name = "bsvc:Get_Learning_Imported_Records_Request"
    return f"<{name}>{references}{response_filter}</{name}>"


def parse(body: bytes) -> etree._Element:
    return etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))


def texts(root: etree._Element, path: str) -> list[str]:
    return [str(node.text) for node in root.iterfind(path, NS)]
