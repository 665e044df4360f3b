# A bounded load of the four patterns (and a share of invalid SayHello calls) from a few threads, for Prometheus
# to scrape: load.py PORT SECONDS. Prints the number of calls per outcome; exits 1 if an unexpected status came.
import collections
import sys
import threading
import time

import grpc
from grpcpatterns.v1 import chat_pb2, chat_pb2_grpc, greeter_pb2, greeter_pb2_grpc

port, seconds = sys.argv[1], float(sys.argv[2])
end = time.monotonic() + seconds
outcomes = collections.Counter()
lock = threading.Lock()


def messages(n):
    return (chat_pb2.ChatMessage(message_text=f"m{i}") for i in range(n))


def worker(calls):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        greeter, chat = greeter_pb2_grpc.GreeterStub(channel), chat_pb2_grpc.ChatServiceStub(channel)
        for i in range(100_000):
            if time.monotonic() > end:
                return
            name, call = calls[i % len(calls)]
            try:
                call(greeter, chat)
                outcome = (name, "OK")
            except grpc.RpcError as e:
                outcome = (name, e.code().name)
            with lock:
                outcomes[outcome] += 1


calls = [
    ("SayHello", lambda g, c: g.SayHello(greeter_pb2.HelloRequest(name="load"), timeout=10)),
    ("SayHello", lambda g, c: g.SayHello(greeter_pb2.HelloRequest(name=" "), timeout=10)),  # INVALID_ARGUMENT
    ("ClientStream", lambda g, c: c.ClientStream(messages(5), timeout=10)),
    ("Chat", lambda g, c: list(c.Chat(messages(5), timeout=10))),
]
streams = [("ServerStream", lambda g, c: list(c.ServerStream(chat_pb2.ChatMessage(message_text="go"), timeout=30)))]
threads = [threading.Thread(target=worker, args=(calls,)) for _ in range(3)]
threads += [threading.Thread(target=worker, args=(streams,)) for _ in range(2)]   # paced: in flight for seconds
for t in threads:
    t.start()
for t in threads:
    t.join()
for (name, code), n in sorted(outcomes.items()):
    print(f"{name} {code} {n}")
expected = {("SayHello", "OK"), ("SayHello", "INVALID_ARGUMENT"), ("ClientStream", "OK"), ("Chat", "OK"),
            ("ServerStream", "OK")}
sys.exit(0 if set(outcomes) == expected else 1)
