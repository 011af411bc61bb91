"""The provider's episodes (its courses): a few dozen, with titles and descriptions that use punctuation and
non-ASCII letters, so escaping gets exercised on the way to Workday."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Episode:
    id: str
    title: str
    description: str
    field_of_study: str
    credits: Decimal

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "field_of_study": self.field_of_study,
            "credits": f"{self.credits.normalize():f}",
        }


_CATALOGUE = (
    (
        "Revenue Recognition Under IFRS 15",
        "How and when to recognise revenue from contracts with customers.",
        "Accounting",
        "1.5",
    ),
    (
        "Leases: IFRS 16 in Practice",
        "Right-of-use assets, lease liabilities and the judgement calls in between.",
        "Accounting",
        "1",
    ),
    (
        "Impairment Testing & Goodwill",
        "Cash-generating units, value in use and the traps of optimistic forecasts.",
        "Accounting",
        "1.25",
    ),
    (
        "Consolidation Without Tears",
        "Control, non-controlling interests and eliminations, step by step.",
        "Accounting",
        "2",
    ),
    (
        "Cash-Flow Statements That Tell a Story",
        "Direct vs. indirect method, and what analysts read first.",
        "Accounting",
        "0.75",
    ),
    ("Audit Sampling Fundamentals", "Statistical and non-statistical sampling for substantive tests.", "Auditing", "1"),
    ("Professional Scepticism in the Audit", 'Why "trust but verify" is not enough: case studies.', "Auditing", "1.5"),
    (
        "Internal Controls Over Financial Reporting",
        "COSO 2013, walkthroughs and the deficiency that becomes material.",
        "Auditing",
        "2",
    ),
    (
        "Data Analytics for Auditors",
        "Journal-entry testing with Python & SQL, from sampling to full populations.",
        "Auditing",
        "1.5",
    ),
    (
        "Corporate Tax Update 2026",
        "What changed this year for corporations, and what it means for provisions.",
        "Taxation",
        "2",
    ),
    ("Transfer Pricing Essentials", "Arm's-length principle, comparables and documentation.", "Taxation", "1.5"),
    ("Sales Tax After Wayfair", "Economic nexus, marketplace facilitators and multistate compliance.", "Taxation", "1"),
    ("Estate Planning Basics", "Trusts, gifts and the order of things when a client dies.", "Taxation", "1"),
    (
        "Pillar Two: The Global Minimum Tax",
        "GloBE rules, top-up tax and the safe harbours, explained plainly.",
        "Taxation",
        "1.75",
    ),
    (
        "The Ethics of Client Confidentiality",
        "Where duty ends and the law begins: dilemmas from practice.",
        "Ethics",
        "1",
    ),
    (
        "Independence Rules Refresher",
        "Threats, safeguards and the non-assurance services you cannot offer.",
        "Ethics",
        "0.5",
    ),
    ("Whistleblowing: Doing the Right Thing", "Speaking up safely, and what a firm owes those who do.", "Ethics", "1"),
    (
        "Conflicts of Interest in Advisory Work",
        "Spotting them early; disclosure vs. declining the engagement.",
        "Ethics",
        "0.75",
    ),
    (
        "Treasury Management in a Rising-Rate World",
        "Liquidity buffers, hedging and the cost of being wrong.",
        "Finance",
        "1.5",
    ),
    (
        "Valuation: DCF and Its Discontents",
        "Terminal values, WACC and sanity checks against multiples.",
        "Finance",
        "2",
    ),
    ("Working-Capital Optimisation", "Days sales outstanding, inventory turns and supplier finance.", "Finance", "1"),
    (
        "ESG Reporting: ISSB S1 & S2",
        "Sustainability disclosures investors now expect, and how to assure them.",
        "Finance",
        "1.5",
    ),
    ("Mergers & Acquisitions Due Diligence", "Quality of earnings, net debt and the deal-breakers.", "Finance", "2.5"),
    (
        "Cybersecurity for Finance Teams",
        "Business e-mail compromise, payment fraud and the controls that stop it.",
        "Technology",
        "1",
    ),
    (
        "Generative AI in Accounting",
        "Where large language models help, where they hallucinate, and governance.",
        "Technology",
        "1.25",
    ),
    ("Spreadsheet Risk Management", "Version control, review and the errors that cost millions.", "Technology", "0.5"),
    (
        "ERP Implementations: Lessons Learned",
        "Why go-lives slip, and how finance can keep them on track.",
        "Technology",
        "1.5",
    ),
    ("Leading Through Change", "Communicating uncertainty and keeping a team together.", "Leadership", "1"),
    ("Feedback That Lands", "Giving and receiving feedback: a practical model for managers.", "Leadership", "0.5"),
    (
        "Negotiation for Finance Professionals",
        "Anchors, BATNAs and staying friends with the other side.",
        "Leadership",
        "1",
    ),
    (
        "Señor Ledger's Guide to Multi-Currency Close",
        "FX revaluation, translation reserves and the café-au-lait close.",
        "Accounting",
        "1.25",
    ),
    (
        "Éthique et Déontologie: A Bilingual Primer",
        "Professional conduct codes compared across jurisdictions — naïvely not.",
        "Ethics",
        "1",
    ),
    (
        "Not-for-Profit Accounting <Basics>",
        "Restricted funds, grants & the statement of activities.",
        "Accounting",
        "1",
    ),
    (
        "Forensic Accounting: Following the Money",
        "Red flags, tracing techniques and expert-witness work.",
        "Auditing",
        "2",
    ),
    ("Personal Finance for Clients", "Budgeting, retirement accounts and the advice boundary.", "Finance", "0.5"),
    (
        "Public-Sector Financial Management",
        "Budget cycles, fund accounting and accountability to citizens.",
        "Finance",
        "1.5",
    ),
)

EPISODES: tuple[Episode, ...] = tuple(
    Episode(f"ep_{1001 + number}", title, description, field, Decimal(credits))
    for number, (title, description, field, credits) in enumerate(_CATALOGUE)
)
