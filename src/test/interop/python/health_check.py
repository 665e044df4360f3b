# grpc.health.v1 Check from a non-Java client: prints the server's status (SERVING, NOT_SERVING, ...) or,
# when the call fails, its gRPC status code, and exits 0 only when it got an answer.
# Stubs come from the standard health.proto (Debian's grpc-proto), generated at test time.
import os
import sys

import grpc
from health.v1 import health_pb2
from health.v1 import health_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")

def run():
    with grpc.insecure_channel(f"localhost:{PORT}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            response = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        except grpc.RpcError as error:
            print(error.code().name)
            return 1
        print(health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))
        return 0

if __name__ == "__main__":
    sys.exit(run())
