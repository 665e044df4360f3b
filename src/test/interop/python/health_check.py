# grpc.health.v1 from a non-Java client, for the whole server (service ""):
#   health_check.py check                  Check once; prints the status (SERVING, NOT_SERVING, ...)
#   health_check.py watch STATUS SECONDS   Watch; prints each status as it arrives, exits 0 once STATUS came
# A failed call prints its gRPC status code and exits 1. The port comes from GRPC_PORT.
# Stubs come from the standard health.proto (Debian's grpc-proto), generated at test time.
import os
import sys

import grpc
from health.v1 import health_pb2
from health.v1 import health_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")
WHOLE_SERVER = health_pb2.HealthCheckRequest(service="")

def name(response):
    return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

def check(stub):
    print(name(stub.Check(WHOLE_SERVER, timeout=10)))
    return 0

def watch(stub, wanted, seconds):
    for response in stub.Watch(WHOLE_SERVER, timeout=seconds):
        print(name(response), flush=True)
        if name(response) == wanted:
            return 0
    print("the Watch stream ended without", wanted)
    return 1

def run(args):
    with grpc.insecure_channel(f"localhost:{PORT}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            if args[0] == "check":
                return check(stub)
            return watch(stub, args[1], float(args[2]))
        except grpc.RpcError as error:
            print(error.code().name, error.details())
            return 1

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
