"""``wlc content upsert`` and ``wlc completions push|delete``: the unified LMS operations from the ops CLI.
Payloads are the unified API's (seed 001 section 8.2), read by the same wire models as the HTTP API. The
read-only views (``content list|show``, ``completions list``, categories, skills) are in ``views``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError
from returns.result import Failure
from rich.table import Table

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, literal
from app.errors import ConfigurationError, ExitCode
from app.json_syntax import problem_of
from app.use_cases.deliver import Delivery, Settled
from domain.errors import InvalidValue, PortUnavailable
from domain.learning_completions import LearningCompletion
from domain.outbox import CLAIM_LEASE, OutboxStatus

content_commands = typer.Typer(
    help="Content in Workday: list, show one, upsert through the course wrapper and the dedup rules."
)
completion_commands = typer.Typer(
    help="Learners' completions in Workday: list, push (updates, never duplicates), delete."
)

_ITEMS = TypeAdapter(list[dict[str, Any]])


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path} does not exist") from None
    except json.JSONDecodeError as problem:
        raise ConfigurationError(f"{path} is not JSON: {problem_of(problem)}") from None


def _problem(error: ValidationError | InvalidValue) -> str:
    if isinstance(error, InvalidValue):
        return str(error)
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


@content_commands.command("upsert")
def upsert(
    ctx: typer.Context, path: Annotated[Path, typer.Argument(help="A content item, or a list of them, as JSON.")]
) -> None:
    """Create or update each item (per-item results, with what the tenant's Workday could not take and was left
    out; one bad item never stops the others)."""
    from app.http.schemas import ContentIn

    document = _read_json(path)
    items = _ITEMS.validate_python(document if isinstance(document, list) else [document])
    container = CliContext.of(ctx).container()
    table = Table(title=f"{len(items)} content items")
    for column in ("#", "external_reference", "result", "detail"):
        table.add_column(column)
    failed = 0
    try:
        upsert_content = container.upsert_content()
        for number, item in enumerate(items, start=1):
            reference = str(item.get("external_reference", ""))
            try:
                content = ContentIn.model_validate(item).to_content()
            except (ValidationError, InvalidValue) as problem:
                failed += 1
                table.add_row(str(number), reference, literal("invalid", "red"), _problem(problem))
                continue
            try:
                result = upsert_content(content)
            except PortUnavailable as down:  # this item could not be done; the next may be
                failed += 1
                table.add_row(str(number), reference, literal("failed", "red"), str(down))
                continue
            if isinstance(result, Failure):
                failed += 1
                refusal = result.failure()
                detail = "; ".join((refusal.message, *refusal.provider_errors))
                table.add_row(str(number), reference, literal("refused", "red"), detail)
            else:
                outcome = result.unwrap()
                verb = (
                    "created"
                    if outcome.created
                    else "updated (re-keyed from its title)"
                    if outcome.rekeyed
                    else "updated"
                )
                detail = "; ".join((f"Workday {outcome.course.workday_id}", *(str(o) for o in outcome.left_out)))
                table.add_row(str(number), reference, literal(verb, "green"), detail)
    finally:
        container.shutdown_resources()
    LiteralConsole().print(table)
    raise typer.Exit(ExitCode.SOME_FAILED if failed else ExitCode.DONE)


@completion_commands.command("push")
def push(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The learner's Workday Employee ID.")],
    path: Annotated[Path, typer.Argument(help="The completion, as JSON (seed 001 section 8.2).")],
) -> None:
    """Record a completion on the learner's enrollment (the one Workday made on launch, if any)."""
    from app.http.schemas import CompletionIn

    try:
        completion = CompletionIn.model_validate(_read_json(path)).to_completion(user)
    except (ValidationError, InvalidValue) as problem:
        raise ConfigurationError(f"{path}: {_problem(problem)}") from None
    container = CliContext.of(ctx).container()
    try:
        result = _push_recorded(container, completion)
    finally:
        container.shutdown_resources()
    console = LiteralConsole()
    if result is None:
        console.print("This completion is being delivered by wlc serve's outbox worker right now; nothing sent.")
        return
    if result.settled is Settled.REFUSED:
        console.print(literal("refused:", "red"), result.detail or "")
        raise typer.Exit(ExitCode.SOME_FAILED)
    if result.settled is Settled.RETRYING:
        console.print(
            literal("not delivered:", "red"), result.detail or "", "(it stays in the outbox and is tried again)"
        )
        raise typer.Exit(ExitCode.SOME_FAILED)
    console.print(f"Completion recorded on enrollment {result.enrollment_id} ({completion.result}).")


def _push_recorded(container: Any, completion: LearningCompletion) -> Delivery | None:
    """Pushes the completion as the outbox's delivery would, recorded in the same outbox: what ``reconcile``
    takes for the provider's completions, whichever way they came. A pending entry is claimed first, as delivery
    claims it, so the two never deliver it at once (None when delivery holds it); a settled one (delivered, or
    refused before) is sent again on purpose."""
    outbox = container.completion_outbox()
    entry, _ = outbox.enqueue(container.tenant_name(), completion, container.clock().now())
    if entry.status is OutboxStatus.PENDING:
        entry = outbox.claim(entry.id, container.clock().now(), CLAIM_LEASE)
        if entry is None:
            return None
    delivery: Delivery = container.deliver_completion()(entry)
    return delivery


@completion_commands.command("delete")
def delete(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="The learner's Workday Employee ID.")],
    completion_id: Annotated[str, typer.Argument(help="The enrollment's Workday ID.")],
) -> None:
    """Withdraw a completion (rescind the enrollment): the cleanup for Workday's auto-completions on launch."""
    container = CliContext.of(ctx).container()
    try:
        result = container.delete_completion()(user, completion_id)
    finally:
        container.shutdown_resources()
    if isinstance(result, Failure):
        LiteralConsole().print(literal("refused:", "red"), result.failure().message)
        raise typer.Exit(ExitCode.SOME_FAILED)
    LiteralConsole().print(f"Enrollment {completion_id} of user {user} rescinded.")
