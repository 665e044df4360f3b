// Clients nobody here wrote, against the jar's HTTP port: connect-es's gRPC-Web and Connect transports (JSON and
// binary) and nice-grpc-web's WebSocket transport (improbable-eng's grpc-websockets), on code protoc-gen-es generated
// from the project's protos at test time. run.sh starts the jar and sets WEB_URL; ServerStream is paced at
// PACING_MS.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, Code, ConnectError } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { createChannel, createClient as createNiceClient, Status, WebsocketTransport } from 'nice-grpc-web';
import WebSocket from 'ws';
import { Greeter, HelloRequestSchema, HelloResponseSchema } from './gen/grpcpatterns/v1/greeter_pb.js';
import { ChatService, ChatMessageSchema } from './gen/grpcpatterns/v1/chat_pb.js';

const baseUrl = process.env.WEB_URL;
const pacingMs = Number(process.env.PACING_MS);
assert.ok(baseUrl, 'WEB_URL must be set');
assert.ok(pacingMs > 0, 'PACING_MS must be set');

const ARTICLE_STREAM = ['Hello world', 'This is server streaming grpc', 'Good bye'];

const transports = {
    'gRPC-Web': createGrpcWebTransport({ baseUrl, httpVersion: '1.1' }),
    'Connect JSON': createConnectTransport({ baseUrl, httpVersion: '1.1' }),
    'Connect binary': createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: true }),
};

/** The server's open gRPC calls (every web call is one), from its own gauge. */
async function openCalls() {
    const response = await fetch(`${baseUrl}/actuator/metrics/grpc.server.calls.active`);
    const body = await response.json();
    return body.measurements[0].value;
}

/** ServerStream calls the server saw end as CANCELLED, from its per-method, per-status timer. */
async function cancelledServerStreams() {
    const response = await fetch(`${baseUrl}/actuator/metrics/grpc.server.processing.duration`
        + '?tag=method:ServerStream&tag=statusCode:CANCELLED');
    if (response.status === 404) {
        return 0;
    }
    const body = await response.json();
    return body.measurements.find((measurement) => measurement.statistic === 'COUNT').value;
}

/** Polls {@code read} until it gives {@code expected} or {@code withinMs} pass; returns the last value. */
async function until(read, expected, withinMs) {
    const deadline = Date.now() + withinMs;
    let value = await read();
    while (value !== expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        value = await read();
    }
    return value;
}

for (const [name, transport] of Object.entries(transports)) {
    describe(name, () => {
        const greeter = createClient(Greeter, transport);
        const chat = createClient(ChatService, transport);

        test('SayHello answers Hello, <name>!', async () => {
            const reply = await greeter.sayHello({ name: 'Hyeonghwan' });
            assert.equal(reply.responseText, 'Hello, Hyeonghwan!');
        });

        test('a blank name is INVALID_ARGUMENT with the rich details of the gRPC port', async () => {
            const error = await greeter.sayHello({ name: ' ' }).then(
                (reply) => assert.fail(`answered ${JSON.stringify(reply)}`), (e) => ConnectError.from(e));
            assert.equal(error.code, Code.InvalidArgument);
            assert.equal(error.rawMessage, 'name must not be blank');
            assert.deepEqual(error.details.map((detail) => detail.type).sort(),
                ['google.rpc.BadRequest', 'google.rpc.ErrorInfo']);
        });

        test('ServerStream streams the three messages, each when it is sent (paced, not buffered)', async () => {
            const arrivals = [];
            for await (const message of chat.serverStream({ messageText: 'start' })) {
                arrivals.push({ text: message.messageText, at: performance.now() });
            }
            assert.deepEqual(arrivals.map((arrival) => arrival.text), ARTICLE_STREAM);
            for (let i = 1; i < arrivals.length; i++) {
                const gap = arrivals[i].at - arrivals[i - 1].at;
                assert.ok(gap >= pacingMs / 2, `message ${i + 1} came ${gap.toFixed(0)} ms after the one before`);
            }
        });

        test('the deadline is honoured: DEADLINE_EXCEEDED', async () => {
            const messages = [];
            const error = await (async () => {
                for await (const message of chat.serverStream({ messageText: 'start' },
                    { timeoutMs: pacingMs / 2 })) {
                    messages.push(message.messageText);
                }
            })().then(() => assert.fail('the stream ended normally'), (e) => ConnectError.from(e));
            assert.equal(error.code, Code.DeadlineExceeded);
            assert.deepEqual(messages, ARTICLE_STREAM.slice(0, 1));
        });
    });
}

describe('WebSocket (nice-grpc-web, grpc-websockets)', () => {
    const channel = createChannel(baseUrl, WebsocketTransport());
    const niceDefinition = (service) => Object.fromEntries(service.methods.map((method) => [method.localName, {
        path: `/${service.typeName}/${method.name}`,
        requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
        responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
        requestSerialize: (value) => toBinary(method.input, create(method.input, value)),
        requestDeserialize: (bytes) => fromBinary(method.input, bytes),
        responseSerialize: (value) => toBinary(method.output, create(method.output, value)),
        responseDeserialize: (bytes) => fromBinary(method.output, bytes),
        options: {},
    }]));
    const greeter = createNiceClient(niceDefinition(Greeter), channel);
    const chat = createNiceClient(niceDefinition(ChatService), channel);

    async function* texts(list) {
        for (const messageText of list) {
            yield { messageText };
        }
    }

    test('SayHello answers Hello, <name>!', async () => {
        const reply = await greeter.sayHello({ name: 'Hyeonghwan' });
        assert.equal(reply.responseText, 'Hello, Hyeonghwan!');
    });

    test('a blank name is INVALID_ARGUMENT', async () => {
        const error = await greeter.sayHello({ name: '' }).then(
            (reply) => assert.fail(`answered ${JSON.stringify(reply)}`), (e) => e);
        assert.equal(error.code, Status.INVALID_ARGUMENT);
        assert.equal(error.details, 'name must not be blank');
    });

    test('ServerStream streams the three messages', async () => {
        const received = [];
        for await (const message of chat.serverStream({ messageText: 'start' })) {
            received.push(message.messageText);
        }
        assert.deepEqual(received, ARTICLE_STREAM);
    });

    test('ClientStream joins the messages', async () => {
        const reply = await chat.clientStream(texts(['msg1', 'msg2', 'msg3']));
        assert.equal(reply.messageText, 'msg1 msg2 msg3');
    });

    test('Chat answers each message before the next is sent', async () => {
        const questions = ['Hello grpc!', 'This is Bidirectional Streaming RPC!', 'Is it working good?'];
        const answers = [];
        let answered = () => { };
        async function* oneByOne() {
            for (const messageText of questions) {
                const answer = new Promise((resolve) => { answered = resolve; });
                yield { messageText };
                await answer;
            }
        }
        for await (const message of chat.chat(oneByOne())) {
            answers.push(message.messageText);
            answered();
        }
        assert.deepEqual(answers, questions.map((question) => `Received: ${question}`));
    });

    test('closing the socket mid-stream cancels the call on the server at once', async () => {
        const before = await cancelledServerStreams();
        const abort = new AbortController();
        await (async () => {
            for await (const message of chat.serverStream({ messageText: 'start' }, { signal: abort.signal })) {
                assert.equal(message.messageText, ARTICLE_STREAM[0]);
                abort.abort();
            }
        })().catch((e) => assert.equal(e.name, 'AbortError'));
        // Well before the next message would be due, the call is over, and over as CANCELLED (not completed).
        assert.equal(await until(openCalls, 0, pacingMs / 2), 0);
        assert.equal(await until(cancelledServerStreams, before + 1, pacingMs / 2), before + 1);
    });

    test('an upgrade from another site is refused (cross-site WebSocket hijacking)', async () => {
        const url = `${baseUrl.replace('http', 'ws')}/grpcpatterns.v1.ChatService/Chat`;
        const socket = new WebSocket(url, ['grpc-websockets'], { origin: 'https://evil.example' });
        const status = await new Promise((resolve, reject) => {
            socket.on('unexpected-response', (request, response) => {
                request.destroy();
                resolve(response.statusCode);
            });
            socket.on('open', () => reject(new Error('the upgrade was accepted')));
            socket.on('error', reject);
        });
        assert.equal(status, 403);
    });
});
