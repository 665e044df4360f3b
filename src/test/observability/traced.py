# Runs one of the article's Python clients (src/test/interop/python) inside a trace this program starts: each of
# its calls carries the context set here, as a traced Python service would send it. Nothing in the article's
# client changes; its channel is wrapped by a client interceptor that adds the header.
#   traced.py STYLE CLIENT   STYLE: traceparent (W3C) or b3 (B3 single header); CLIENT: e.g. unary_client
#   traced.py STYLE cancel   a ServerStream this program cancels after its first message
#   traced.py STYLE drain    a ServerStream read to its end; exits 0 if the server ended it with UNAVAILABLE
# The client's output goes to stdout; "TRACE <trace-id> <parent-span-id>" to stderr.
import collections
import importlib
import os
import secrets
import sys

import grpc

style, client = sys.argv[1], sys.argv[2]
trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
header = {"traceparent": ("traceparent", f"00-{trace_id}-{span_id}-01"),
          "b3": ("b3", f"{trace_id}-{span_id}-1")}[style]


class Details(collections.namedtuple("Details", ("method", "timeout", "metadata", "credentials",
                                                 "wait_for_ready", "compression")), grpc.ClientCallDetails):
    pass


class TraceContext(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                   grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    @staticmethod
    def _with_header(d):
        return Details(d.method, d.timeout, list(d.metadata or []) + [header], d.credentials,
                       d.wait_for_ready, d.compression)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_header(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._with_header(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._with_header(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._with_header(details), requests)


plain_channel = grpc.insecure_channel
grpc.insecure_channel = lambda *args, **kwargs: grpc.intercept_channel(plain_channel(*args, **kwargs), TraceContext())
print(f"TRACE {trace_id} {span_id}", file=sys.stderr, flush=True)

if client in ("cancel", "drain"):
    from grpcpatterns.v1 import chat_pb2, chat_pb2_grpc
    with grpc.insecure_channel(f"localhost:{os.environ['GRPC_PORT']}") as channel:
        replies = chat_pb2_grpc.ChatServiceStub(channel).ServerStream(chat_pb2.ChatMessage(message_text="start"))
        print(f"Received message: {next(replies).message_text}", flush=True)
        if client == "cancel":
            replies.cancel()
        else:
            try:
                for reply in replies:
                    print(f"Received message: {reply.message_text}", flush=True)
                sys.exit("the stream completed: no drain ended it")
            except grpc.RpcError as e:
                print(f"Ended: {e.code().name}: {e.details()}", flush=True)
                sys.exit(0 if e.code() == grpc.StatusCode.UNAVAILABLE else 1)
else:
    importlib.import_module(client).run()
