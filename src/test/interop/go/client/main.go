// A grpc-go client of grpc-patterns. The four patterns print the article's output; the other modes prove
// deadlines, cancellation, health and the rich error details. The server is localhost:$GRPC_PORT (50051).
//
//	client unary | server-stream | client-stream | bidi    the article's inputs and output
//	client deadline     ServerStream with a deadline shorter than its pacing: prints DEADLINE_EXCEEDED
//	client cancel       opens a Chat, prints "open" after the first reply, cancels it on a line from stdin
//	client health       grpc.health.v1 Check of the whole server: prints its status
//	client errors       three bad requests: prints each status and its decoded google.rpc details
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"time"

	pb "grpcpatterns/v1"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

func main() {
	port := os.Getenv("GRPC_PORT")
	if port == "" {
		port = "50051"
	}
	conn, err := grpc.Dial("localhost:"+port, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		log.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	modes := map[string]func(*grpc.ClientConn) error{
		"unary": unary, "server-stream": serverStream, "client-stream": clientStream, "bidi": bidi,
		"deadline": deadline, "cancel": cancel, "health": checkHealth, "errors": richErrors,
	}
	var mode func(*grpc.ClientConn) error
	if len(os.Args) == 2 {
		mode = modes[os.Args[1]]
	}
	if mode == nil {
		log.Fatalf("usage: client unary|server-stream|client-stream|bidi|deadline|cancel|health|errors")
	}
	if err := mode(conn); err != nil {
		log.Fatal(err)
	}
}

func unary(conn *grpc.ClientConn) error {
	response, err := pb.NewGreeterClient(conn).SayHello(context.Background(), &pb.HelloRequest{Name: "Hyeonghwan"})
	if err != nil {
		return err
	}
	fmt.Println(response.GetResponseText())
	return nil
}

func serverStream(conn *grpc.ClientConn) error {
	stream, err := pb.NewChatServiceClient(conn).ServerStream(context.Background(), &pb.ChatMessage{MessageText: "start"})
	if err != nil {
		return err
	}
	return printReplies(stream)
}

// replies is the receiving side of ServerStream and Chat alike.
type replies interface {
	Recv() (*pb.ChatMessage, error)
}

// printReplies prints each reply as the article's clients do, until the stream ends.
func printReplies(stream replies) error {
	for {
		message, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Printf("Received message: %s\n", message.GetMessageText())
	}
}

func clientStream(conn *grpc.ClientConn) error {
	stream, err := pb.NewChatServiceClient(conn).ClientStream(context.Background())
	if err != nil {
		return err
	}
	for _, text := range []string{"msg1", "msg2", "msg3"} {
		if err := stream.Send(&pb.ChatMessage{MessageText: text}); err != nil {
			return err
		}
	}
	response, err := stream.CloseAndRecv()
	if err != nil {
		return err
	}
	fmt.Println(response.GetMessageText())
	return nil
}

// bidi is the article's client: a sender pausing 2 s after each message, and the replies printed as they come.
func bidi(conn *grpc.ClientConn) error {
	stream, err := pb.NewChatServiceClient(conn).Chat(context.Background())
	if err != nil {
		return err
	}
	go func() {
		for _, text := range []string{"Hello grpc!", "This is Bidirectional Streaming RPC!", "Is it working good?"} {
			fmt.Printf("Client Message: %s\n", text)
			if stream.Send(&pb.ChatMessage{MessageText: text}) != nil {
				return // the receiver reports the call's status
			}
			time.Sleep(2 * time.Second)
		}
		stream.CloseSend()
	}()
	return printReplies(stream)
}

func deadline(conn *grpc.ClientConn) error {
	ctx, stop := context.WithTimeout(context.Background(), 500*time.Millisecond) // the replies are 1 s apart
	defer stop()
	stream, err := pb.NewChatServiceClient(conn).ServerStream(ctx, &pb.ChatMessage{MessageText: "start"})
	for err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.DeadlineExceeded {
		return fmt.Errorf("want DEADLINE_EXCEEDED, got %v", err)
	}
	fmt.Println("DEADLINE_EXCEEDED")
	return nil
}

func cancel(conn *grpc.ClientConn) error {
	ctx, cancelChat := context.WithCancel(context.Background())
	stream, err := pb.NewChatServiceClient(conn).Chat(ctx)
	if err != nil {
		return err
	}
	if err := stream.Send(&pb.ChatMessage{MessageText: "Hello grpc!"}); err != nil {
		return err
	}
	if _, err := stream.Recv(); err != nil {
		return err
	}
	fmt.Println("open")
	bufio.NewReader(os.Stdin).ReadString('\n')
	cancelChat()
	if _, err := stream.Recv(); status.Code(err) != codes.Canceled {
		return fmt.Errorf("want CANCELLED, got %v", err)
	}
	fmt.Println("CANCELLED")
	return nil
}

func checkHealth(conn *grpc.ClientConn) error {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	response, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: ""})
	if err != nil {
		return err
	}
	fmt.Println(response.GetStatus())
	return nil
}

// richErrors prints each bad request's status, then its google.rpc details, one per line, in a form
// the Python client prints too (expected/rich_errors.out).
func richErrors(conn *grpc.ClientConn) error {
	ctx := context.Background()
	_, err := pb.NewGreeterClient(conn).SayHello(ctx, &pb.HelloRequest{Name: " "})
	printStatus("SayHello with a blank name", err)

	stream, err := pb.NewChatServiceClient(conn).ClientStream(ctx)
	if err != nil {
		return err
	}
	for i := 0; i <= 10000 && err == nil; i++ { // one message more than chat.client-stream.max-messages
		err = stream.Send(&pb.ChatMessage{MessageText: "x"})
	}
	_, err = stream.CloseAndRecv()
	printStatus("ClientStream with 10001 messages", err)

	// Field 1, length 5, then only 1 byte: truncated.
	err = conn.Invoke(ctx, "/grpcpatterns.v1.Greeter/SayHello", []byte{0x0a, 0x05, 'a'}, new([]byte), grpc.ForceCodec(raw{}))
	printStatus("SayHello with an unparseable request", err)
	return nil
}

func printStatus(call string, err error) {
	s := status.Convert(err)
	fmt.Printf("%s: %s: %s\n", call, strings.ToUpper(codeName(s.Code())), s.Message())
	for _, detail := range s.Details() {
		switch d := detail.(type) {
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				fmt.Printf("  BadRequest field %q: %s\n", v.GetField(), v.GetDescription())
			}
		case *errdetails.QuotaFailure:
			for _, v := range d.GetViolations() {
				fmt.Printf("  QuotaFailure subject %q: %s\n", v.GetSubject(), v.GetDescription())
			}
		case *errdetails.ErrorInfo:
			keys := make([]string, 0, len(d.GetMetadata()))
			for key := range d.GetMetadata() {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			var metadata []string
			for _, key := range keys {
				metadata = append(metadata, key+"="+d.GetMetadata()[key])
			}
			fmt.Printf("  ErrorInfo reason %s domain %s metadata {%s}\n", d.GetReason(), d.GetDomain(), strings.Join(metadata, ", "))
		default:
			fmt.Printf("  unexpected detail %v\n", detail)
		}
	}
}

// codeName is the code's name as the gRPC spec spells it (INVALID_ARGUMENT), not Go's (InvalidArgument).
func codeName(code codes.Code) string {
	var name strings.Builder
	previous := 'A'
	for _, r := range code.String() {
		if r >= 'A' && r <= 'Z' && previous >= 'a' {
			name.WriteByte('_')
		}
		name.WriteRune(r)
		previous = r
	}
	return name.String()
}

// raw sends bytes as they are, so a request can be one no protobuf parser accepts.
type raw struct{}

func (raw) Marshal(v interface{}) ([]byte, error)      { return v.([]byte), nil }
func (raw) Unmarshal(data []byte, v interface{}) error { *(v.(*[]byte)) = data; return nil }
func (raw) Name() string                               { return "proto" }
