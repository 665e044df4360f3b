# gRPC's official interop client, as Debian's ruby-grpc ships it (src/ruby/pb/test/client.rb inside the gem), run
# unchanged, with the one case of the spec (grpc/grpc's doc/interop-test-descriptions.md) that its release (1.51)
# predates added in its own style: special_status_message; and identity_on, ours. Same arguments as client.rb:
#
#   official_client.rb --server_host=localhost --server_port=PORT --test_case=NAME
#                      [--use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr]
#
# Prints "OK: NAME" and exits 0 when the case passed.
require 'grpc'

load File.join(Gem::Specification.find_by_name('grpc').gem_dir, 'src/ruby/pb/test/client.rb')

# Not the spec's: with identity on (the suite's TLS row), the service's own SayHello on the same channel, without
# credentials, is UNAUTHENTICATED: the security interceptors that let TestService through run on this server.
class NamedTests
  def identity_on
    @stub.request_response('/grpcpatterns.v1.Greeter/SayHello', '', ->(m) { m }, ->(m) { m })
    fail AssertionError, 'identity_on: SayHello without credentials succeeded'
  rescue GRPC::Unauthenticated
    nil
  end
end

# The spec's special_status_message: a status message with whitespace, BMP and non-BMP characters comes back
# exactly as sent.
class NamedTests
  def special_status_message
    code = GRPC::Core::StatusCodes::UNKNOWN
    message = "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \u{1F608}\t\n"
    @stub.unary_call(SimpleRequest.new(response_status: EchoStatus.new(code: code, message: message)))
    fail AssertionError, 'special_status_message: the call succeeded'
  rescue GRPC::BadStatus => e
    assert("special_status_message: code #{e.code}, want #{code}") { e.code == code }
    assert("special_status_message: message #{e.details.inspect}, want #{message.inspect}") do
      e.details.dup.force_encoding('UTF-8') == message
    end
  end
end

main
