# The article's server (src/test/interop/python/server.py) as the benchmark runs it: its own code, with its
# pauses (time.sleep in ServerStream and Chat) taken out, as the other servers run with pacing 0.
# Listens on GRPC_PORT; needs the stubs on PYTHONPATH (build-peers.sh generates them).
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop", "python"))
import server  # noqa: E402  (the article's module, found only after the path is set)

server.time = types.SimpleNamespace(sleep=lambda seconds: None)
server.serve()
