# Runs one of the article's Python programs unchanged, with a bearer token on every call it makes: each
# grpc.insecure_channel it opens is wrapped by an interceptor that adds "authorization: Bearer <GRPC_TOKEN>".
# Usage: GRPC_TOKEN=... python3 with_token.py PROGRAM.py
import collections
import os
import runpy
import sys

import grpc

TOKEN = os.environ["GRPC_TOKEN"]


class _Details(collections.namedtuple("_Details", ("method", "timeout", "metadata", "credentials",
                                                   "wait_for_ready", "compression")), grpc.ClientCallDetails):
    pass


class BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                  grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    def _with_token(self, details):
        metadata = list(details.metadata or []) + [("authorization", f"Bearer {TOKEN}")]
        return _Details(details.method, details.timeout, metadata, details.credentials,
                        details.wait_for_ready, details.compression)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_token(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._with_token(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._with_token(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._with_token(details), requests)


class _ClosingChannel:
    """The intercepted channel, still usable in `with ... as channel` as the article's programs do."""

    def __init__(self, channel):
        self._channel = channel
        self._intercepted = grpc.intercept_channel(channel, BearerToken())

    def __getattr__(self, name):
        return getattr(self._intercepted, name)

    def __enter__(self):
        return self._intercepted

    def __exit__(self, *exc):
        self._channel.close()
        return False


_insecure_channel = grpc.insecure_channel
grpc.insecure_channel = lambda *args, **kwargs: _ClosingChannel(_insecure_channel(*args, **kwargs))

program = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(program, run_name="__main__")
