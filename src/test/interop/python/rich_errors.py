# Three bad requests, and what a Python client reads of each: the status code and description, then the
# google.rpc.Status details of the grpc-status-details-bin trailer, decoded one by one. Prints the same lines as
# the Go client (expected/rich_errors.out). The port comes from GRPC_PORT.
# Stubs come from the project's protos and the common protos' google/rpc/{status,error_details}.proto, generated
# at test time.
import os

import grpc
from google.rpc import error_details_pb2
from google.rpc import status_pb2
from grpcpatterns.v1 import chat_pb2
from grpcpatterns.v1 import chat_pb2_grpc
from grpcpatterns.v1 import greeter_pb2
from grpcpatterns.v1 import greeter_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")


def print_status(call, error):
    print(f"{call}: {error.code().name}: {error.details()}")
    trailers = dict(error.trailing_metadata())
    status = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            for violation in bad_request.field_violations:
                print(f'  BadRequest field "{violation.field}": {violation.description}')
        elif detail.Is(error_details_pb2.QuotaFailure.DESCRIPTOR):
            quota_failure = error_details_pb2.QuotaFailure()
            detail.Unpack(quota_failure)
            for violation in quota_failure.violations:
                print(f'  QuotaFailure subject "{violation.subject}": {violation.description}')
        elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            metadata = ", ".join(f"{key}={info.metadata[key]}" for key in sorted(info.metadata))
            print(f"  ErrorInfo reason {info.reason} domain {info.domain} metadata {{{metadata}}}")
        else:
            print(f"  unexpected detail {detail.type_url}")


def failure(call):
    try:
        call()
    except grpc.RpcError as error:
        return error
    raise AssertionError("the call succeeded")


def run():
    with grpc.insecure_channel(f"localhost:{PORT}") as channel:
        greeter = greeter_pb2_grpc.GreeterStub(channel)
        chat = chat_pb2_grpc.ChatServiceStub(channel)
        print_status("SayHello with a blank name",
                     failure(lambda: greeter.SayHello(greeter_pb2.HelloRequest(name=" "), timeout=10)))
        # One message more than chat.client-stream.max-messages.
        too_many = (chat_pb2.ChatMessage(message_text="x") for _ in range(10001))
        print_status("ClientStream with 10001 messages", failure(lambda: chat.ClientStream(too_many, timeout=30)))
        # No serializer: the bytes go as they are. Field 1, length 5, then only 1 byte: truncated.
        raw_say_hello = channel.unary_unary("/grpcpatterns.v1.Greeter/SayHello")
        print_status("SayHello with an unparseable request", failure(lambda: raw_say_hello(b"\x0a\x05a", timeout=10)))


if __name__ == "__main__":
    run()
