// The page: the four patterns side by side. On opening it plays the demo's flows once (the article's inputs and
// pacing, from demo.* via page/demo.json), one after the other as the article's four programs run; then each panel
// runs whatever its inputs say.
import { callOverFetch, connectTo, openOverWebSocket } from "./calls.js";
import { Panel } from "./panel.js";

const baseUrl = new URL(".", location.href).href.replace(/\/$/, "");
const state = document.getElementById("state");
const token = document.getElementById("token");

/** A call's options from the page: the bearer token (when one is given), the panel's deadline, its Cancel. */
function options(panel, signal) {
  const bearer = token.value.trim();
  return { headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, timeoutMs: panel.deadlineMillis, signal };
}

/** The client's own pacing (Chat's pause between two messages); Cancel cuts it short. */
function pause(millis, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, millis);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/** The panel's trace, also printing what the article's client prints for each message. */
function printing(panel, { sent, received }) {
  const trace = panel.trace();
  return {
    ...trace,
    send(schema, message) { trace.send(schema, message); if (sent) panel.print(sent(message)); },
    receive(schema, message) { trace.receive(schema, message); panel.print(received(message)); },
  };
}

const patterns = [
  {
    id: "unary", kind: "Unary", service: "grpcpatterns.v1.Greeter", method: "SayHello", server: "Greeter",
    transport: "gRPC-Web over fetch", inputLabel: "name",
    demo: (flows) => ({ input: flows.name }),
    run: (service, panel, signal) => callOverFetch(service.method("grpcpatterns.v1.Greeter", "SayHello"),
      { name: panel.input }, options(panel, signal), printing(panel, { received: (reply) => reply.responseText })),
  },
  {
    id: "server-stream", kind: "Server streaming", service: "grpcpatterns.v1.ChatService", method: "ServerStream",
    server: "ChatService", transport: "gRPC-Web over fetch, streamed", inputLabel: "request",
    demo: (flows) => ({ input: flows.serverStreamRequest }),
    run: (service, panel, signal) => callOverFetch(service.method("grpcpatterns.v1.ChatService", "ServerStream"),
      { messageText: panel.input }, options(panel, signal),
      printing(panel, { received: (reply) => `Received message: ${reply.messageText}` })),
  },
  {
    id: "client-stream", kind: "Client streaming", service: "grpcpatterns.v1.ChatService", method: "ClientStream",
    server: "ChatService", transport: "gRPC over WebSocket", inputLabel: "messages, one a line", multiline: 3,
    demo: (flows) => ({ input: flows.clientStreamMessages.join("\n") }),
    async run(service, panel, signal) {
      const call = openOverWebSocket(service.method("grpcpatterns.v1.ChatService", "ClientStream"),
        options(panel, signal), printing(panel, { received: (reply) => reply.messageText }));
      panel.lines.forEach((text) => call.send({ messageText: text }));
      call.finish();
      await call.ended;
    },
  },
  {
    id: "chat", kind: "Bidirectional streaming", service: "grpcpatterns.v1.ChatService", method: "Chat",
    server: "ChatService", transport: "gRPC over WebSocket", inputLabel: "messages, one a line", multiline: 3,
    pause: true,
    demo: (flows) => ({ input: flows.chatMessages.join("\n"), pauseMillis: flows.chatPauseMillis }),
    async run(service, panel, signal) {
      const call = openOverWebSocket(service.method("grpcpatterns.v1.ChatService", "Chat"), options(panel, signal),
        printing(panel, {
          sent: (message) => `Client Message: ${message.messageText}`,
          received: (reply) => `Received message: ${reply.messageText}`,
        }));
      // As the article's client: send one, wait for its answer, pause, send the next.
      for (const [index, text] of panel.lines.entries()) {
        if (index > 0) await pause(panel.pauseMillis, signal);
        call.send({ messageText: text });
        if ((await call.next()) === undefined) break;
      }
      call.finish();
      await call.ended;
    },
  },
];

async function start() {
  const service = await connectTo(baseUrl, "page/descriptors.binpb");
  const response = await fetch("page/demo.json");
  if (!response.ok) throw new Error(`page/demo.json: HTTP ${response.status}`);
  const flows = await response.json();
  const main = document.getElementById("patterns");
  const panels = patterns.map((pattern) => {
    const panel = new Panel({ ...pattern, path: `/${pattern.service}/${pattern.method}` },
      (self, signal) => pattern.run(service, self, signal), service.registry);
    main.append(panel.section);
    return { pattern, panel };
  });

  async function play() {
    document.body.dataset.state = "playing";
    state.textContent = "Playing the article's four flows…";
    for (const { pattern, panel } of panels) {
      panel.fill({ deadlineMillis: flows.deadlineMillis, ...pattern.demo(flows) });
    }
    for (const { pattern, panel } of panels) {
      await panel.run((self, signal) => pattern.run(service, self, signal));
    }
    state.textContent = "Your turn: change an input, press Run.";
    document.body.dataset.state = "played";
  }
  document.getElementById("replay").addEventListener("click", play);
  await play();
}

start().catch((error) => {
  state.textContent = `The page could not start: ${error.message}`;
  document.body.dataset.state = "failed";
});
