"""What the differential tests of the envelopes written without zeep share: a tenant's Workday on an
``httpx.MockTransport`` that records each request, SOAP faults as Workday words them, and the strings XML can carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import httpx
from hypothesis import strategies as st
from lxml import etree

from adapters.workday.soap.names import BSVC

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def fault_envelope(code: str, message: str, detail: str | None) -> bytes:
    detail_element = f"<detail>{detail}</detail>" if detail is not None else ""
    return (
        f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}" xmlns:env="{SOAP_ENV}" xmlns:wd="{BSVC}"><SOAP-ENV:Body>'
        f"<SOAP-ENV:Fault><faultcode>{escape(code)}</faultcode><faultstring>{escape(message)}</faultstring>"
        f"{detail_element}</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    ).encode()


xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="\ufeff")
    | st.sampled_from("<>&\"'\t\n\r]]>"),
    max_size=40,
) | st.text(st.sampled_from("<&>é😀 a"), min_size=1000, max_size=3000)
"""Strings XML can carry: markup characters, any assigned Unicode outside the controls, long ones."""


@dataclass
class Wire:
    """The tenant's Workday: serves ``wsdl``, records each SOAP request and answers it with ``reply``."""

    wsdl: bytes
    sent: list[httpx.Request] = field(default_factory=list)
    reply: tuple[int, bytes] = (200, b"")

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, content=self.wsdl)
        self.sent.append(request)
        status, body = self.reply
        return httpx.Response(status, content=body, headers={"Content-Type": "text/xml; charset=utf-8"})

    def assert_last_two_alike(self) -> None:
        """The last two requests, zeep's and the connector's own, are the same envelope with the same headers."""
        zeep_sent, own_sent = self.sent[-2:]
        assert canonical(own_sent.content) == canonical(zeep_sent.content)
        for header in ("SOAPAction", "Content-Type"):
            assert own_sent.headers[header] == zeep_sent.headers[header]


faults = st.one_of(
    st.builds(
        lambda errors: fault_envelope(
            "SOAP-ENV:Client.validationError",
            "Validation error occurred. " + (errors[0][0] if errors else ""),
            "<wd:Validation_Fault>"
            + "".join(
                f"<wd:Validation_Error><wd:Message>{escape(m)}</wd:Message>"
                + (f"<wd:Detail_Message>{escape(d)}</wd:Detail_Message>" if d is not None else "")
                + f"<wd:Xpath>{escape(x)}</wd:Xpath></wd:Validation_Error>"
                for m, d, x in errors
            )
            + "</wd:Validation_Fault>",
        ),
        st.lists(st.tuples(xml_text, st.none() | xml_text, xml_text), max_size=3),
    ),
    st.builds(
        lambda message, detail: fault_envelope(
            "SOAP-ENV:Server",
            message,
            f"<wd:Processing_Fault><wd:Detail_Message>{escape(detail)}</wd:Detail_Message></wd:Processing_Fault>",
        ),
        xml_text,
        xml_text,
    ),
    st.builds(
        lambda code, message: fault_envelope(code, message, None),
        st.sampled_from(["SOAP-ENV:Client", "SOAP-ENV:Server", "env:Receiver"]),
        xml_text,
    ),
    st.just(fault_envelope("SOAP-ENV:Client", "invalid username or password", None)),
)


def canonical(content: bytes) -> bytes:
    return etree.tostring(etree.fromstring(content), method="c14n")


def described(error: Exception) -> tuple[object, ...]:
    """An error as the adapter's callers see it: its type, message and fields."""
    fields = {
        name: getattr(error, name)
        for name in ("code", "retryable", "errors", "detail_message", "missing")
        if hasattr(error, name)
    }
    return (type(error).__name__, str(error), tuple(sorted(fields.items())))
