# Reads traces back from Zipkin's HTTP API and checks their tree. Spans arrive asynchronously (the service reports
# them in batches), so each check is retried until it holds or TIMEOUT seconds have passed.
#   check_zipkin.py ZIPKIN demo SERVICE INTERVAL    the demo's run: demo span > 4 client spans > 4 server spans
#   check_zipkin.py ZIPKIN child TRACE PARENT METHOD STATUS [SENT]   a server span of METHOD under span PARENT
import json
import sys
import time
import urllib.request

TIMEOUT = 60
CHAT = "grpcpatterns.v1.chatservice/"
METHODS = ["grpcpatterns.v1.greeter/sayhello", CHAT + "serverstream", CHAT + "clientstream", CHAT + "chat"]
zipkin, what = sys.argv[1], sys.argv[2]


def get(path):
    with urllib.request.urlopen(zipkin + path, timeout=10) as response:
        return json.load(response)


def one(spans, description, **fields):
    found = [s for s in spans if all(s.get(k) == v for k, v in fields.items())]
    assert len(found) == 1, f"expected one {description} span with {fields}, found {len(found)}"
    return found[0]


def tag(span, key):
    return span.get("tags", {}).get(key)


def server_span(spans, client, status, sent=None, received=None):
    server = one(spans, "server", kind="SERVER", name=client["name"], parentId=client["id"])
    assert tag(server, "grpc.status_code") == status, f"{server['name']}: status {tag(server, 'grpc.status_code')}"
    if sent is not None:
        assert tag(server, "grpc.messages.sent") == str(sent), f"{server['name']}: sent {tag(server, 'grpc.messages.sent')}"
    if received is not None:
        assert tag(server, "grpc.messages.received") == str(received), \
            f"{server['name']}: received {tag(server, 'grpc.messages.received')}"
    return server


def demo(service, interval):
    traces = get(f"/api/v2/traces?serviceName={service}&spanName=demo&limit=10")
    assert traces, "no trace with a span named demo"
    spans = traces[0]
    root = one(spans, "demo", name="demo")
    assert "parentId" not in root, "the demo span is the trace's root"
    clients = {m: one(spans, "client", kind="CLIENT", name=m, parentId=root["id"]) for m in METHODS}
    server_span(spans, clients[METHODS[0]], "OK", sent=1, received=1)
    stream = server_span(spans, clients[METHODS[1]], "OK", sent=3, received=1)
    server_span(spans, clients[METHODS[2]], "OK", sent=1, received=3)
    server_span(spans, clients[METHODS[3]], "OK", sent=3, received=3)
    # Paced: the span lasts until the stream ends, two intervals after its first reply at least.
    assert stream["duration"] >= 2 * interval * 1e6, f"ServerStream's span lasted only {stream['duration']} µs"
    print(f"demo trace {root['traceId']}: {len(spans)} spans")
    for s in sorted(spans, key=lambda s: s["timestamp"]):
        print(f"  {s.get('kind', 'LOCAL'):6} {s['name']:45} {s['duration'] / 1000:9.1f} ms  id {s['id']}"
              f"  parent {s.get('parentId', '-')}  {tag(s, 'grpc.status_code') or ''}"
              f" {tag(s, 'grpc.messages.received') or ''} {tag(s, 'grpc.messages.sent') or ''}")


def child(trace, parent, method, status, sent=None):
    spans = get(f"/api/v2/trace/{trace}")
    server = one(spans, "server", kind="SERVER", name=method.lower(), parentId=parent)
    assert server["traceId"] == trace
    assert tag(server, "grpc.status_code") == status, f"status {tag(server, 'grpc.status_code')}, not {status}"
    if sent is not None:
        assert tag(server, "grpc.messages.sent") == sent, f"sent {tag(server, 'grpc.messages.sent')}, not {sent}"
    print(f"trace {trace}: server span {server['id']} of {method} under {parent}, {status}, "
          f"{server['duration'] / 1000:.1f} ms")


deadline = time.monotonic() + TIMEOUT
while True:
    try:
        if what == "demo":
            demo(sys.argv[3], float(sys.argv[4]))
        else:
            child(*sys.argv[3:])
        break
    except (AssertionError, OSError, IndexError) as e:
        if time.monotonic() > deadline:
            sys.exit(f"check failed: {e!r}")
        time.sleep(1)
