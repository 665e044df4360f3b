// A C++ (gRPC C-core) client of grpc-patterns. The four patterns print the article's output; the other modes prove
// deadlines, cancellation and health. The server is localhost:$GRPC_PORT (50051).
//
//   client unary | server-stream | client-stream | bidi    the article's inputs and output
//   client deadline     ServerStream with a deadline shorter than its pacing: prints DEADLINE_EXCEEDED
//   client cancel       opens a Chat, prints "open" after the first reply, cancels it on a line from stdin
//   client health       grpc.health.v1 Check of the whole server: prints its status
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "grpcpatterns/v1/chat.grpc.pb.h"
#include "grpcpatterns/v1/greeter.grpc.pb.h"
#include "health/v1/health.grpc.pb.h"

using grpc::ClientContext;
using grpc::Status;
using grpc::StatusCode;
using grpcpatterns::v1::ChatMessage;
using grpcpatterns::v1::ChatService;
using grpcpatterns::v1::Greeter;
using grpcpatterns::v1::HelloRequest;
using grpcpatterns::v1::HelloResponse;

namespace {

ChatMessage Message(const std::string& text) {
  ChatMessage message;
  message.set_message_text(text);
  return message;
}

Status Unary(const std::shared_ptr<grpc::Channel>& channel) {
  HelloRequest request;
  request.set_name("Hyeonghwan");
  HelloResponse response;
  ClientContext context;
  Status status = Greeter::NewStub(channel)->SayHello(&context, request, &response);
  if (status.ok()) std::cout << response.response_text() << std::endl;
  return status;
}

Status ServerStream(const std::shared_ptr<grpc::Channel>& channel) {
  ClientContext context;
  auto reader = ChatService::NewStub(channel)->ServerStream(&context, Message("start"));
  ChatMessage message;
  while (reader->Read(&message)) std::cout << "Received message: " << message.message_text() << std::endl;
  return reader->Finish();
}

Status ClientStream(const std::shared_ptr<grpc::Channel>& channel) {
  ClientContext context;
  ChatMessage response;
  auto writer = ChatService::NewStub(channel)->ClientStream(&context, &response);
  for (const char* text : {"msg1", "msg2", "msg3"}) writer->Write(Message(text));
  writer->WritesDone();
  Status status = writer->Finish();
  if (status.ok()) std::cout << response.message_text() << std::endl;
  return status;
}

// The article's client: a writer pausing 2 s after each message, and the replies printed as they come.
Status Bidi(const std::shared_ptr<grpc::Channel>& channel) {
  ClientContext context;
  auto stream = ChatService::NewStub(channel)->Chat(&context);
  std::thread writer([&stream] {
    for (const char* text : {"Hello grpc!", "This is Bidirectional Streaming RPC!", "Is it working good?"}) {
      std::cout << "Client Message: " << text << std::endl;
      if (!stream->Write(Message(text))) return;  // the reader reports the call's status
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    stream->WritesDone();
  });
  ChatMessage message;
  while (stream->Read(&message)) std::cout << "Received message: " << message.message_text() << std::endl;
  writer.join();
  return stream->Finish();
}

Status Deadline(const std::shared_ptr<grpc::Channel>& channel) {
  ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));  // replies 1 s apart
  auto reader = ChatService::NewStub(channel)->ServerStream(&context, Message("start"));
  ChatMessage message;
  while (reader->Read(&message)) {
  }
  Status status = reader->Finish();
  if (status.error_code() != StatusCode::DEADLINE_EXCEEDED) {
    return Status(StatusCode::UNKNOWN, "want DEADLINE_EXCEEDED, got " + std::to_string(status.error_code()));
  }
  std::cout << "DEADLINE_EXCEEDED" << std::endl;
  return Status::OK;
}

Status Cancel(const std::shared_ptr<grpc::Channel>& channel) {
  ClientContext context;
  auto stream = ChatService::NewStub(channel)->Chat(&context);
  ChatMessage message;
  if (!stream->Write(Message("Hello grpc!")) || !stream->Read(&message)) return stream->Finish();
  std::cout << "open" << std::endl;
  std::string line;
  std::getline(std::cin, line);
  context.TryCancel();
  while (stream->Read(&message)) {
  }
  Status status = stream->Finish();
  if (status.error_code() != StatusCode::CANCELLED) {
    return Status(StatusCode::UNKNOWN, "want CANCELLED, got " + std::to_string(status.error_code()));
  }
  std::cout << "CANCELLED" << std::endl;
  return Status::OK;
}

Status Health(const std::shared_ptr<grpc::Channel>& channel) {
  ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;  // service "": the whole server
  grpc::health::v1::HealthCheckResponse response;
  Status status = grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response);
  if (status.ok()) std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << std::endl;
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const std::map<std::string, std::function<Status(const std::shared_ptr<grpc::Channel>&)>> modes = {
      {"unary", Unary}, {"server-stream", ServerStream}, {"client-stream", ClientStream}, {"bidi", Bidi},
      {"deadline", Deadline}, {"cancel", Cancel}, {"health", Health}};
  auto mode = argc == 2 ? modes.find(argv[1]) : modes.end();
  if (mode == modes.end()) {
    std::cerr << "usage: client unary|server-stream|client-stream|bidi|deadline|cancel|health" << std::endl;
    return 2;
  }
  const char* port = std::getenv("GRPC_PORT");
  auto channel = grpc::CreateChannel(std::string("localhost:") + (port ? port : "50051"),
                                     grpc::InsecureChannelCredentials());
  Status status = mode->second(channel);
  if (!status.ok()) {
    std::cerr << "failed: " << status.error_code() << " " << status.error_message() << std::endl;
    return 1;
  }
  return 0;
}
