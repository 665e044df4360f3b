# The article's Server Streaming client.py, changed only where it must be:
# - stubs come from the project's proto (grpcpatterns/v1/chat.proto), imported under the article's names;
# - the port comes from GRPC_PORT (default the article's 50051);
# - the merged ChatService names this RPC ServerStream (the article's ChatStream).
import os

import grpc
from grpcpatterns.v1 import chat_pb2 as messages_pb2
from grpcpatterns.v1 import chat_pb2_grpc as messages_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")

def run():
    with grpc.insecure_channel(f"localhost:{PORT}") as channel:
        stub = messages_pb2_grpc.ChatServiceStub(channel)

        for message in stub.ServerStream(messages_pb2.ChatMessage(message_text="start")):
            print(f"Received message: {message.message_text}")

if __name__ == "__main__":
    run()
