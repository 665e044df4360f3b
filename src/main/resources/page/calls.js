// The page's calls: the contract comes from the service at run time (a FileDescriptorSet read by @bufbuild/protobuf),
// unary and server streaming go through connect-web's gRPC-Web transport (fetch), client and bidirectional streaming
// through improbable-eng's WebSocket transport (the grpc-websockets subprotocol). Every call reports what crosses the
// wire to a trace: send(schema, message), halfClose(), receive(schema, message), end(status).
import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { findTrailerError } from "@connectrpc/connect/protocol-grpc";
import { createGrpcWebTransport } from "@connectrpc/connect-web";

/** gRPC's status code names by number (connect's own enum spells them in camel case, without OK). */
export const CODE_NAMES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
  "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
  "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"];

/** The service's contract and a way to call each of its methods from here. */
export async function connectTo(baseUrl, descriptorsPath) {
  const response = await fetch(descriptorsPath);
  if (!response.ok) throw new Error(`${descriptorsPath}: HTTP ${response.status}`);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, new Uint8Array(await response.arrayBuffer())));
  const transport = createGrpcWebTransport({ baseUrl });
  const clients = new Map();
  return {
    registry,
    method(service, name) {
      const desc = registry.getService(service);
      const method = desc?.methods.find((m) => m.name === name);
      if (!method) throw new Error(`the service does not describe ${service}/${name}`);
      if (!clients.has(service)) clients.set(service, createClient(desc, transport));
      return { desc: method, client: clients.get(service), registry, baseUrl };
    },
  };
}

/** What a failed call tells: its code, description and the google.rpc details the registry knows. */
function statusOf(error, registry) {
  const connectError = ConnectError.from(error);
  const cancelled = connectError.code === Code.Canceled;
  return {
    code: connectError.code,
    message: cancelled && !connectError.rawMessage ? "cancelled by the browser" : connectError.rawMessage,
    details: connectError.findDetails(registry),
  };
}

/** Unary or server streaming over gRPC-Web: one request, then the replies as they arrive. */
export async function callOverFetch({ desc, client, registry }, init, options, trace) {
  const request = create(desc.input, init);
  trace.send(desc.input, request);
  try {
    if (desc.methodKind === "unary") {
      trace.receive(desc.output, await client[desc.localName](request, options));
    } else {
      for await (const reply of client[desc.localName](request, options)) trace.receive(desc.output, reply);
    }
    trace.end({ code: 0, message: "", details: [] });
  } catch (error) {
    trace.end(statusOf(error, registry));
  }
}

/**
 * A streaming call over a WebSocket, open until it ends: send() and finish() write to it, next() resolves with the
 * next reply (undefined once the call has ended), ended resolves with the call's status.
 */
export function openOverWebSocket({ desc, registry, baseUrl }, { headers, timeoutMs, signal }, trace) {
  const replies = [];
  const waiting = [];
  let finish;
  const ended = new Promise((resolve) => { finish = resolve; });
  let done = false;
  const end = (status) => {
    if (done) return;
    done = true;
    trace.end(status);
    waiting.splice(0).forEach((wake) => wake(undefined));
    finish(status);
  };
  const call = grpc.client({
    methodName: desc.name,
    service: { serviceName: desc.parent.typeName },
    requestStream: desc.methodKind === "client_streaming" || desc.methodKind === "bidi_streaming",
    responseStream: desc.methodKind === "server_streaming" || desc.methodKind === "bidi_streaming",
    requestType: {},
    responseType: { deserializeBinary: (bytes) => fromBinary(desc.output, bytes) },
  }, { host: baseUrl, transport: grpc.WebsocketTransport() });
  call.onMessage((reply) => {
    trace.receive(desc.output, reply);
    const wake = waiting.shift();
    if (wake) wake(reply); else replies.push(reply);
  });
  call.onEnd((code, message, trailers) => {
    const headers = new Headers();
    trailers.forEach((name, values) => values.forEach((value) => headers.append(name, value)));
    const error = findTrailerError(headers);
    end(error ? statusOf(error, registry) : { code, message, details: [] });
  });
  signal.addEventListener("abort", () => {
    if (done) return;
    call.close();
    end({ code: Code.Canceled, message: "cancelled by the browser", details: [] });
  }, { once: true });
  // The deadline travels as gRPC's own header; the server ends the call with DEADLINE_EXCEEDED when it passes.
  call.start(new grpc.Metadata({ ...headers, "grpc-timeout": `${Math.max(1, Math.ceil(timeoutMs))}m` }));
  return {
    ended,
    send(init) {
      if (done) return;
      const request = create(desc.input, init);
      trace.send(desc.input, request);
      call.send({ serializeBinary: () => toBinary(desc.input, request) });
    },
    finish() {
      if (done) return;
      trace.halfClose();
      call.finishSend();
    },
    next() {
      if (replies.length) return Promise.resolve(replies.shift());
      if (done) return Promise.resolve(undefined);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}
