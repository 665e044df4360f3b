# The article's Unary client.py, changed only where it must be:
# - stubs come from the project's proto (grpcpatterns/v1/greeter.proto), imported under the article's names;
# - the port comes from GRPC_PORT (default the article's 50051);
# - the article's `with ... as channel` lacks its colon (a SyntaxError); it is added.
import os

import grpc
from grpcpatterns.v1 import greeter_pb2 as hello_world_pb2
from grpcpatterns.v1 import greeter_pb2_grpc as hello_world_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")

def run():
    with grpc.insecure_channel(f"localhost:{PORT}") as channel:
        stub = hello_world_pb2_grpc.GreeterStub(channel)
        response = stub.SayHello(hello_world_pb2.HelloRequest(name="Hyeonghwan"))
        print(response.response_text)

if __name__ == "__main__":
    run()
