"""Read-only views of what the tenant's Workday holds: ``wlc content list|show``, ``wlc categories list``,
``wlc skills list`` and ``wlc completions list``. Each prints a table, or with ``--json`` the HTTP API's models
(``app.http.view_schemas``) for scripts. Every value read from Workday is printed as literal text, never as
terminal markup."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel, TypeAdapter
from returns.result import Failure, Result, Success
from rich.console import Console
from rich.table import Table
from rich.text import Text

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, literal
from app.errors import ConfigurationError, ExitCode
from app.use_cases.lms import LmsRefusal
from domain.course_detail import CourseDetail, DetailField
from domain.learning_completions import Enrollment
from domain.learning_content import Named

if TYPE_CHECKING:
    from app.container import TenantContainer

category_commands = typer.Typer(help="Workday's learning topics, the categories content must use.")
skill_commands = typer.Typer(help="Workday's skills, which content may name.")

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the HTTP API's models), for scripts.")]


@contextmanager
def _container(ctx: typer.Context) -> Iterator[TenantContainer]:
    container = CliContext.of(ctx).container()
    try:
        yield container
    finally:
        container.shutdown_resources()


def _print_json(models: BaseModel | Sequence[BaseModel]) -> None:
    if isinstance(models, BaseModel):
        typer.echo(models.model_dump_json(indent=2))
    else:
        typer.echo(TypeAdapter(list[Any]).dump_json(list(models), indent=2).decode())


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A table whose cells are literal text, folded rather than cut when narrow: an ID is shown whole."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(literal(cell) for cell in row))
    return table


def _refused(refusal: LmsRefusal) -> typer.Exit:
    LiteralConsole(stderr=True).print(Text.assemble(("error: ", "bold red"), literal(refusal.message)))
    return typer.Exit(ExitCode.SOME_FAILED)


def list_content(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Every digital course in Workday: its Workday ID, external reference, title, and whether it is active."""
    from app.http.view_schemas import ContentSummaryOut

    with _container(ctx) as container:
        courses = container.list_content()()
    if as_json:
        _print_json([ContentSummaryOut.of(c) for c in courses])
        return
    rows = [(c.external_reference, c.workday_id, c.title, _yes(c.active)) for c in courses]
    LiteralConsole().print(
        _table(f"{len(courses)} courses", ("external reference", "Workday ID", "title", "active"), rows)
    )


def show_content(
    ctx: typer.Context,
    external_reference: Annotated[str, typer.Argument(help="The course's external reference.")],
    as_json: AsJson = False,
) -> None:
    """One course as Workday holds it: lessons, categories, skills, languages, duration, enrollment, and the
    cover image's size."""
    from app.http.view_schemas import ContentDetailOut

    with _container(ctx) as container:
        shown: Result[CourseDetail, LmsRefusal] = container.show_content()(external_reference)
    match shown:
        case Failure(refusal):
            raise _refused(refusal)
        case Success(detail) if as_json:
            _print_json(ContentDetailOut.of_detail(detail))
        case Success(detail):
            _show_detail(LiteralConsole(), detail)


def _show_detail(console: Console, detail: CourseDetail) -> None:
    course = detail.course
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for label, value in (
        ("external reference", course.external_reference),
        ("Workday ID", course.workday_id),
        ("title", course.title),
        ("active", _yes(course.active)),
        ("description", detail.description),
        ("categories", _names(detail.categories)),
        ("skills", _names(detail.skills)),
        ("languages", _names(detail.languages)),
        ("duration", _field(detail, DetailField.DURATION, _minutes(detail.duration_minutes))),
        (
            "requires enrollment",
            _field(detail, DetailField.REQUIRES_ENROLLMENT, _maybe_yes(detail.requires_enrollment)),
        ),
        ("cover image", _field(detail, DetailField.COVER_IMAGE, _image(detail))),
    ):
        facts.add_row(label, literal(value))
    console.print(facts)
    rows = [
        (
            str(lesson.order),
            lesson.title,
            lesson.kind.value,
            lesson.url or lesson.media_wid or "",
            _yes(lesson.mandatory),
        )
        for lesson in detail.lessons
    ]
    console.print(_table(f"{len(rows)} lessons", ("order", "title", "type", "URL / media", "mandatory"), rows))


def _field(detail: CourseDetail, field: DetailField, shown: str) -> str:
    reason = detail.reason_not_read(field)
    return shown if reason is None else f"not read: {reason}"


def _names(named: Sequence[Named]) -> str:
    return ", ".join(n.name if n.id in (None, n.name) else f"{n.name} ({n.id})" for n in named) or "none"


def _minutes(minutes: int | None) -> str:
    return "none" if minutes is None else f"{minutes} minutes"


def _image(detail: CourseDetail) -> str:
    image = detail.cover_image
    return "none" if image is None else f"{image.file_name}, {image.content_type}, {image.size_bytes:,} bytes"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _maybe_yes(value: bool | None) -> str:
    return "not set" if value is None else _yes(value)


@category_commands.command("list")
def list_categories(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Every active Workday learning topic: the names and IDs content may use as categories."""
    with _container(ctx) as container:
        topics = container.list_categories()()
    _print_named(topics, "categories", as_json)


@skill_commands.command("list")
def list_skills(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Every Workday skill: the names and IDs content may use."""
    with _container(ctx) as container:
        skills = container.list_skills()()
    _print_named(skills, "skills", as_json)


def _print_named(named: Sequence[Named], what: str, as_json: bool) -> None:
    from app.http.view_schemas import named_out

    if as_json:
        _print_json([named_out(n) for n in named])
        return
    LiteralConsole().print(_table(f"{len(named)} {what}", ("id", "name"), [(n.id or "", n.name) for n in named]))


def list_completions(
    ctx: typer.Context,
    learner: Annotated[str | None, typer.Option("--learner", help="A learner's Workday Employee ID.")] = None,
    course: Annotated[str | None, typer.Option("--course", help="A course's external reference.")] = None,
    as_json: AsJson = False,
) -> None:
    """A learner's or a course's enrollments as Workday holds them: completion date, result, score, and
    whether Workday created it on launch or it was pushed (or enrolled). The WIDs are what delete takes."""
    from app.http.view_schemas import EnrollmentOut

    if learner is None and course is None:
        raise ConfigurationError("name a learner (--learner EMPLOYEE_ID), a course (--course REF), or both")
    with _container(ctx) as container:
        listed: Result[list[Enrollment], LmsRefusal] = container.list_enrollments()(learner, course)
    match listed:
        case Failure(refusal):
            raise _refused(refusal)
        case Success(enrollments) if as_json:
            _print_json([EnrollmentOut.of(e) for e in enrollments])
        case Success(enrollments):
            columns = ("enrollment", "learner", "course", "completed", "result", "score", "created")
            rows = [_enrollment_row(e) for e in enrollments]
            LiteralConsole().print(_table(f"{len(rows)} enrollments", columns, rows))


def _enrollment_row(enrollment: Enrollment) -> tuple[str, ...]:
    completed = "" if enrollment.completed_at is None else enrollment.completed_at.isoformat(timespec="seconds")
    return (
        enrollment.workday_id,
        enrollment.learner_id,
        enrollment.course_reference or enrollment.course_id,
        completed,
        "" if enrollment.result is None else enrollment.result.value,
        "" if enrollment.score is None else str(enrollment.score),
        "on launch" if enrollment.launched_only else "pushed or enrolled",
    )
