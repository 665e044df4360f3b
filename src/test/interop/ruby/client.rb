# A Ruby (gRPC C-core) client of grpc-patterns. The four patterns print the article's output; the other modes prove
# deadlines, cancellation and health. The server is localhost:$GRPC_PORT (50051). Stubs (protoc's Ruby output and
# grpc_ruby_plugin's services) are generated at test time into a directory on RUBYLIB.
#
#   client.rb unary | server-stream | client-stream | bidi    the article's inputs and output
#   client.rb deadline     ServerStream with a deadline shorter than its pacing: prints DEADLINE_EXCEEDED
#   client.rb cancel       opens a Chat, prints "open" after the first reply, cancels it on a line from stdin
#   client.rb health       grpc.health.v1 Check of the whole server: prints its status
require 'grpc'
require 'grpcpatterns/v1/chat_services_pb'
require 'grpcpatterns/v1/greeter_services_pb'
require 'health/v1/health_services_pb'

$stdout.sync = true
TARGET = "localhost:#{ENV.fetch('GRPC_PORT', '50051')}"
Chat = Grpcpatterns::V1::ChatService::Stub.new(TARGET, :this_channel_is_insecure)

def message(text)
  Grpcpatterns::V1::ChatMessage.new(message_text: text)
end

def unary
  greeter = Grpcpatterns::V1::Greeter::Stub.new(TARGET, :this_channel_is_insecure)
  puts greeter.say_hello(Grpcpatterns::V1::HelloRequest.new(name: 'Hyeonghwan')).response_text
end

def server_stream
  Chat.server_stream(message('start')).each { |reply| puts "Received message: #{reply.message_text}" }
end

def client_stream
  puts Chat.client_stream(%w[msg1 msg2 msg3].map { |text| message(text) }).message_text
end

# The article's client: the requests are an enumerator pausing 2 s after each message, the replies printed as
# they come.
def bidi
  requests = Enumerator.new do |out|
    ['Hello grpc!', 'This is Bidirectional Streaming RPC!', 'Is it working good?'].each do |text|
      puts "Client Message: #{text}"
      out << message(text)
      sleep 2
    end
  end
  Chat.chat(requests).each { |reply| puts "Received message: #{reply.message_text}" }
end

def deadline
  Chat.server_stream(message('start'), deadline: Time.now + 0.5).each {} # the replies are 1 s apart
  abort 'want DEADLINE_EXCEEDED, the call succeeded'
rescue GRPC::DeadlineExceeded
  puts 'DEADLINE_EXCEEDED'
end

def cancel
  requests = Queue.new
  requests << message('Hello grpc!')
  call = Chat.chat(Enumerator.new { |out| loop { out << requests.pop } }, return_op: true)
  replies = call.execute
  replies.next
  puts 'open'
  $stdin.gets
  call.cancel
  begin
    replies.next
    abort 'want CANCELLED, got a reply'
  rescue GRPC::Cancelled
    puts 'CANCELLED'
  end
end

def health
  stub = Grpc::Health::V1::Health::Stub.new(TARGET, :this_channel_is_insecure)
  puts stub.check(Grpc::Health::V1::HealthCheckRequest.new(service: ''), deadline: Time.now + 10).status
end

MODES = %w[unary server-stream client-stream bidi deadline cancel health].freeze
abort "usage: client.rb #{MODES.join('|')}" unless ARGV.length == 1 && MODES.include?(ARGV[0])
send(ARGV[0].tr('-', '_'))
