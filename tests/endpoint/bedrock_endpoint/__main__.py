"""CLI: ``python -m bedrock_endpoint [--host H] [--port P] [--port-file F] [--copy-duration S] ...``.

Run it with ``PYTHONPATH=tests/endpoint``. A wrapper instead of ``moto_server`` because moto's server has no
plugin hook: this process installs the copy-job handlers into moto, puts the control middleware in front of
moto's WSGI app and serves it threaded.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys
from pathlib import Path
from typing import Any

from moto import backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server
from werkzeug.test import Client

from . import patch, sts
from .control import ControlMiddleware
from .copy_jobs import Store, warm_up
from .custom_model_deployments import DEFAULT_DEPLOYMENT_SECONDS, Deployments
from .provisioned_throughput import DEFAULT_PROVISION_SECONDS, Throughputs
from .resource_http import install


class _Stop(BaseException):
    """Raised by the SIGTERM/SIGINT handler to leave serve_forever() at once.

    A BaseException, like KeyboardInterrupt: socketserver swallows an ``Exception`` raised while it starts a request
    thread (it only logs it), so a signal landing there would otherwise leave the server running.
    """


class QuietRequestHandler(MotoRequestHandler):
    """No per-request access log: benchmarks send tens of thousands of requests and stderr may be a pipe."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def _prime(moto_app: DomainDispatcherApplication) -> None:
    """Build moto's Bedrock app and router now, so the first timed request does not pay ~0.5 s for it."""
    auth = (
        "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=0"
    )
    response = Client(moto_app).get("/model-copy-jobs", headers={"Authorization": auth})
    response.close()


def _cache_moto_module_list() -> None:
    """List moto's service packages once, not on every request.

    moto's dispatcher checks each request's Host against ``list_of_moto_modules()``, which stats every
    directory of the moto package (about 180) each time: a third of a small ListModelCopyJobs request's
    server time. The package does not change while the server runs.
    """
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _write_port_file(path: str, port: int) -> None:
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(f"{port}\n")
    tmp.replace(target)  # atomic: a reader never sees a half-written number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bedrock_endpoint", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5100, help="port to listen on; 0 picks a free one (default 5100)")
    parser.add_argument("--port-file", help="write the port number here once listening")
    parser.add_argument(
        "--copy-duration",
        type=float,
        default=20.0,
        help="seconds a model copy job stays InProgress before it ends (default 20)",
    )
    parser.add_argument(
        "--provision-duration",
        type=float,
        default=DEFAULT_PROVISION_SECONDS,
        help=f"seconds a provisioned throughput stays Creating or Updating (default {DEFAULT_PROVISION_SECONDS:g})",
    )
    parser.add_argument(
        "--deployment-duration",
        type=float,
        default=DEFAULT_DEPLOYMENT_SECONDS,
        help="seconds a custom model deployment stays Creating, or its update Updating "
        f"(default {DEFAULT_DEPLOYMENT_SECONDS:g})",
    )
    args = parser.parse_args(argv)
    if not _is_loopback(args.host):
        parser.error(f"--host {args.host} is not a loopback address; this endpoint only ever binds loopback")
    for option in ("copy_duration", "provision_duration", "deployment_duration"):
        if getattr(args, option) < 0:
            parser.error(f"--{option.replace('_', '-')} must be >= 0")

    warm_up()
    _cache_moto_module_list()
    store = Store(copy_duration=args.copy_duration)
    patch.install(store)
    sts.install()
    throughputs = Throughputs(store, provision_duration=args.provision_duration)
    deployments = Deployments(store, deployment_duration=args.deployment_duration)
    tables = [throughputs, deployments]
    for table in tables:
        table.warm_up()
        install(table, table.model_in_use)
    moto_app = DomainDispatcherApplication(create_backend_app)
    _prime(moto_app)
    app = ControlMiddleware(moto_app, store, tables)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=QuietRequestHandler)
    port = server.socket.getsockname()[1]
    os.environ["MOTO_PORT"] = str(port)  # moto services that call themselves look here

    def stop(signum: int, frame: Any) -> None:
        raise _Stop(signum)

    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop)
        if args.port_file:
            _write_port_file(args.port_file, port)
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"bedrock endpoint listening on http://{host}:{port}", flush=True)
        server.serve_forever(poll_interval=0.5)
    except _Stop:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: freeing tens of thousands of jobs and moto's module graph takes about a
    # second and there is nothing left to clean up (no files; the socket is closed). Callers wait for it.
    os._exit(status)
