"""``wlc sandbox``: run the Workday sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.terminal import LiteralConsole

commands = typer.Typer(help="The Workday sandbox: a local stand-in for a Workday tenant and the provider's API.")


@commands.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8765,
    workers: Annotated[int, typer.Option(help="Rows in the worker report.")] = 5000,
    seed: Annotated[int, typer.Option(help="Seed of the generated population.")] = 7,
    completions: Annotated[int, typer.Option(help="Completions in the provider's feed.")] = 2000,
    soap_rate_limit: Annotated[
        int, typer.Option(help="Learning API requests per second per tenant (Workday: 5 to 10).")
    ] = 10,
    latency_ms: Annotated[int, typer.Option(help="Latency added to every response.")] = 0,
    wsdl_variant: Annotated[
        str,
        typer.Option(
            help="The tenant's WSDL: 'sourced' (the sourced contract) or a variant that differs from it "
            "(sandbox.workday.wsdl_variants lists them)."
        ),
    ] = "sourced",
    write_config: Annotated[
        Path | None, typer.Option("--write-config", help="Write a wlc.toml pointing at this sandbox.")
    ] = None,
) -> None:
    """Serve the sandbox until Ctrl-C: OAuth2 token endpoint, RaaS report and the LumiQ API."""
    from app.errors import ConfigurationError
    from app.sandbox_settings import sandbox_toml
    from sandbox.config import SandboxConfig
    from sandbox.server import serve_forever

    try:
        config = SandboxConfig(
            workers=workers,
            seed=seed,
            completions=completions,
            soap_rate_limit=soap_rate_limit,
            wsdl_variant=wsdl_variant,
        )
    except ValueError as problem:
        raise ConfigurationError(str(problem)) from None
    config.faults.latency_ms = latency_ms
    base_url = f"http://127.0.0.1:{port}"
    console = LiteralConsole()
    toml = sandbox_toml(base_url, config, "sqlite:///wlc-ledger.sqlite3")
    if write_config is not None:
        write_config.write_text(toml, encoding="utf-8")
        console.print(f"Wrote {write_config}: 'wlc --config {write_config} membership plan' now talks to this sandbox.")
    else:
        console.print("Settings for this sandbox (save as wlc.toml, or use --write-config):\n")
        console.print(toml)
    console.print(
        f"Workday sandbox serving on {base_url} (tenant {config.tenant}, {workers} workers, WSDL variant "
        f"{config.wsdl_variant}). Ctrl-C stops it."
    )
    serve_forever(config, port=port)
