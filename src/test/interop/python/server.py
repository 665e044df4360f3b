# The article's four server.py programs in one, changed only where they must be:
# - stubs come from the project's protos (grpcpatterns/v1/{greeter,chat}.proto), imported under the article's names;
# - the three ChatService servers are merged into one class; the merged service names the server- and the
#   client-streaming RPCs ServerStream and ClientStream (the article names both ChatStream);
# - Greeter and ChatService are added to the one server, which listens on GRPC_PORT (default the article's 50051).
# The bodies are the article's, pauses and the client-streaming reply's trailing space included.
import os
from concurrent import futures

import grpc
import time
from grpcpatterns.v1 import chat_pb2 as messages_pb2
from grpcpatterns.v1 import chat_pb2_grpc as messages_pb2_grpc
from grpcpatterns.v1 import greeter_pb2 as hello_world_pb2
from grpcpatterns.v1 import greeter_pb2_grpc as hello_world_pb2_grpc

PORT = os.environ.get("GRPC_PORT", "50051")

class Greeter(hello_world_pb2_grpc.GreeterServicer):
    def SayHello(self, request, context):
        return hello_world_pb2.HelloResponse(response_text=f"Hello, {request.name}!")

class ChatService(messages_pb2_grpc.ChatServiceServicer):
    def ServerStream(self, request, context):
        messages = [
            "Hello world",
            "This is server streaming grpc",
            "Good bye"
        ]

        for message in messages:
            yield messages_pb2.ChatMessage(message_text=message)
            time.sleep(1)

    def ClientStream(self, request_iterator, context):
        result = ""
        for message in request_iterator:
            result += message.message_text + " "

        return messages_pb2.ChatMessage(message_text=result)

    def Chat(self, request_iterator, context):
        for message in request_iterator:
            print(f"Client Message: {message.message_text}")
            received_message = messages_pb2.ChatMessage(message_text=f"Received: {message.message_text}")
            yield received_message
            time.sleep(1)

def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    hello_world_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    messages_pb2_grpc.add_ChatServiceServicer_to_server(ChatService(), server)
    server.add_insecure_port(f"[::]:{PORT}")
    server.start()
    server.wait_for_termination()

if __name__ == "__main__":
    serve()
