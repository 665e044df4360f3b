# The article's Bidirectional Streaming client.py, changed only where it must be:
# - stubs come from the project's proto (grpcpatterns/v1/chat.proto), imported under the article's names;
# - the port comes from GRPC_PORT (default the article's 50051).
# The RPC keeps the article's name, Chat, and the article's 2 s pause after each message.
import os

import grpc
import time
from grpcpatterns.v1 import chat_pb2 as messages_pb2
from grpcpatterns.v1 import chat_pb2_grpc as messages_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")

def generate_messages():
    messages = [
        "Hello grpc!",
        "This is Bidirectional Streaming RPC!",
        "Is it working good?"
    ]

    for msg in messages:
        print(f"Client Message: {msg}")
        yield messages_pb2.ChatMessage(message_text=msg)
        time.sleep(2)


def run():
    with grpc.insecure_channel(f"localhost:{PORT}") as channel:
        stub = messages_pb2_grpc.ChatServiceStub(channel)
        response = stub.Chat(generate_messages())

        for res in response:
            print(f"Received message: {res.message_text}")



if __name__ == "__main__":
    run()
