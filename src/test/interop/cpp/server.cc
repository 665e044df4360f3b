// The grpc-patterns service in C++ (gRPC C-core): the same protos, the same behaviour as the jar (SayHello's
// greeting and its INVALID_ARGUMENT for a blank name, ServerStream's three paced replies, ClientStream's single-space
// join, Chat's "Received: <text>"), and grpc.health.v1 (C++'s default health service). A peer for the jar's client
// profile.
//
//   server PORT [INTERVAL_MS]     (INTERVAL_MS between two ServerStream replies, default 1000; 0 = back to back)
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "grpcpatterns/v1/chat.grpc.pb.h"
#include "grpcpatterns/v1/greeter.grpc.pb.h"

using grpc::ServerContext;
using grpc::Status;
using grpcpatterns::v1::ChatMessage;

namespace {

ChatMessage Message(const std::string& text) {
  ChatMessage message;
  message.set_message_text(text);
  return message;
}

class GreeterImpl final : public grpcpatterns::v1::Greeter::Service {
  Status SayHello(ServerContext*, const grpcpatterns::v1::HelloRequest* request,
                  grpcpatterns::v1::HelloResponse* response) override {
    if (request->name().find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
      return Status(grpc::StatusCode::INVALID_ARGUMENT, "name must not be blank");
    }
    response->set_response_text("Hello, " + request->name() + "!");
    return Status::OK;
  }
};

class ChatImpl final : public grpcpatterns::v1::ChatService::Service {
 public:
  explicit ChatImpl(std::chrono::milliseconds interval) : interval_(interval) {}

 private:
  Status ServerStream(ServerContext* context, const ChatMessage*, grpc::ServerWriter<ChatMessage>* writer) override {
    const std::vector<std::string> messages = {"Hello world", "This is server streaming grpc", "Good bye"};
    for (size_t i = 0; i < messages.size(); i++) {
      if (i > 0) {
        // Sleep in short steps so a cancel or a passed deadline ends the call promptly.
        auto due = std::chrono::steady_clock::now() + interval_;
        while (std::chrono::steady_clock::now() < due) {
          if (context->IsCancelled()) return Status::CANCELLED;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      if (!writer->Write(Message(messages[i]))) return Status::CANCELLED;
    }
    return Status::OK;
  }

  Status ClientStream(ServerContext*, grpc::ServerReader<ChatMessage>* reader, ChatMessage* response) override {
    std::string joined;
    ChatMessage message;
    for (bool first = true; reader->Read(&message); first = false) {
      if (!first) joined += ' ';
      joined += message.message_text();
    }
    response->set_message_text(joined);
    return Status::OK;
  }

  Status Chat(ServerContext*, grpc::ServerReaderWriter<ChatMessage, ChatMessage>* stream) override {
    ChatMessage message;
    while (stream->Read(&message)) {
      if (!stream->Write(Message("Received: " + message.message_text()))) break;
    }
    return Status::OK;
  }

  std::chrono::milliseconds interval_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: server PORT [INTERVAL_MS]" << std::endl;
    return 2;
  }
  std::string address = std::string("0.0.0.0:") + argv[1];
  GreeterImpl greeter;
  ChatImpl chat(std::chrono::milliseconds(argc > 2 ? std::atol(argv[2]) : 1000));
  grpc::EnableDefaultHealthCheckService(true);  // "" is SERVING while the server runs
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials());
  builder.RegisterService(&greeter);
  builder.RegisterService(&chat);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) return 1;
  std::cout << "listening on " << argv[1] << std::endl;
  // SIGTERM: stop taking calls, give those in flight 5 s.
  static std::unique_ptr<grpc::Server>* running = &server;
  std::signal(SIGTERM, [](int) {
    std::thread([] { (*running)->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5)); }).detach();
  });
  server->Wait();
  return 0;
}
