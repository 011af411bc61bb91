"""``wlc sandbox``: run the Workday sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.errors import ExitCode

commands = typer.Typer(help="The Workday sandbox: a local stand-in for a Workday tenant and the provider's API.")


@commands.command("serve")
def serve(
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1; 0 takes a free one, which the URLs printed name.")
    ] = 8765,
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
    """Serve the sandbox until Ctrl-C or SIGTERM: OAuth2 token endpoint, RaaS report, the Learning API, the
    LumiQ API and the provider's cover images. It prints the settings that point wlc at it, as they are (to
    paste as wlc.toml), or writes them to --write-config; then, once it takes connections, the line 'Workday
    sandbox serving on URL'. --wsdl-variant plays a tenant whose WSDL differs from the sourced contract."""
    from app.errors import ConfigurationError
    from app.sandbox_settings import sandbox_toml
    from sandbox.config import SandboxConfig
    from sandbox.images.covers import IMAGES_PREFIX, images
    from sandbox.server import listening_socket, serve_forever

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
    try:
        sock = listening_socket("127.0.0.1", port)
    except OSError as error:
        typer.echo(f"error: cannot listen on 127.0.0.1:{port} ({error.strerror}); --port 0 takes a free port", err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    def announce() -> None:
        # Printed as it is, not through Rich, which would wrap long lines at the terminal's width.
        toml = sandbox_toml(base_url, config, "sqlite:///wlc-ledger.sqlite3")
        if write_config is not None:
            write_config.write_text(toml, encoding="utf-8")
            typer.echo(
                f"Wrote {write_config}: wlc reads it with --config {write_config} (or as ./wlc.toml by default)."
            )
        else:
            typer.echo("Settings for this sandbox (save as wlc.toml, or use --write-config):\n")
            typer.echo(toml)
        covers = ", ".join(name for name, (_, kind) in images().items() if kind.startswith("image/"))
        typer.echo(f"The provider's cover images: {base_url}{IMAGES_PREFIX}/NAME, NAME one of {covers}.")
        typer.echo(
            f"Workday sandbox serving on {base_url} (tenant {config.tenant}, {workers} workers, WSDL variant "
            f"{config.wsdl_variant}). Ctrl-C stops it."
        )

    serve_forever(config, sock=sock, ready=announce)
