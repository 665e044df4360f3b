// The grpc-patterns service in grpc-go: the same protos, the same behaviour as the jar (SayHello's greeting and
// its INVALID_ARGUMENT for a blank name, ServerStream's three paced replies, ClientStream's single-space join,
// Chat's "Received: <text>"), and grpc.health.v1. A peer for the jar's client profile and for the benchmark.
//
//	server -port 50051 -interval 1s     (-interval 0 sends ServerStream's replies back to back)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	pb "grpcpatterns/v1"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

var serverStreamMessages = []string{"Hello world", "This is server streaming grpc", "Good bye"}

type greeter struct {
	pb.UnimplementedGreeterServer
}

func (greeter) SayHello(_ context.Context, request *pb.HelloRequest) (*pb.HelloResponse, error) {
	if strings.TrimSpace(request.GetName()) == "" {
		return nil, status.Error(codes.InvalidArgument, "name must not be blank")
	}
	return &pb.HelloResponse{ResponseText: fmt.Sprintf("Hello, %s!", request.GetName())}, nil
}

type chat struct {
	pb.UnimplementedChatServiceServer
	interval time.Duration
}

func (c chat) ServerStream(_ *pb.ChatMessage, stream pb.ChatService_ServerStreamServer) error {
	for i, text := range serverStreamMessages {
		if i > 0 && c.interval > 0 {
			select { // a cancel or a passed deadline ends the pause, and the call
			case <-time.After(c.interval):
			case <-stream.Context().Done():
				return status.FromContextError(stream.Context().Err()).Err()
			}
		}
		if err := stream.Send(&pb.ChatMessage{MessageText: text}); err != nil {
			return err
		}
	}
	return nil
}

func (chat) ClientStream(stream pb.ChatService_ClientStreamServer) error {
	var texts []string
	for {
		message, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&pb.ChatMessage{MessageText: strings.Join(texts, " ")})
		}
		if err != nil {
			return err
		}
		texts = append(texts, message.GetMessageText())
	}
}

func (chat) Chat(stream pb.ChatService_ChatServer) error {
	for {
		message, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&pb.ChatMessage{MessageText: "Received: " + message.GetMessageText()}); err != nil {
			return err
		}
	}
}

func main() {
	port := flag.Int("port", 50051, "gRPC port (0 picks a free one, printed on stdout)")
	interval := flag.Duration("interval", time.Second, "pause between two ServerStream replies; 0 = back to back")
	flag.Parse()

	listener, err := net.Listen("tcp", fmt.Sprintf(":%d", *port))
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	server := grpc.NewServer()
	pb.RegisterGreeterServer(server, greeter{})
	pb.RegisterChatServiceServer(server, chat{interval: *interval})
	healthpb.RegisterHealthServer(server, health.NewServer()) // "" is SERVING from the start

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-signals
		server.GracefulStop()
	}()
	fmt.Printf("listening on %d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		log.Fatalf("serve: %v", err)
	}
}
