// A Node client (grpc-js + proto-loader, loading the project's own protos at run time) for the four RPCs.
// run.sh runs it with `node --test`, GRPC_PORT pointing at the running jar.
'use strict';

const { after, test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { once } = require('node:events');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.resolve(__dirname, '../../../main/proto');
const definition = protoLoader.loadSync(
    ['grpcpatterns/v1/greeter.proto', 'grpcpatterns/v1/chat.proto'],
    { includeDirs: [PROTO_ROOT], keepCase: true });
const v1 = grpc.loadPackageDefinition(definition).grpcpatterns.v1;

const target = `127.0.0.1:${process.env.GRPC_PORT}`;
// With GRPC_TOKEN set (src/test/security/run.sh), every call carries it as a bearer token.
const bearerToken = (token) => (options, nextCall) => new grpc.InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
    },
});
const options = process.env.GRPC_TOKEN ? { interceptors: [bearerToken(process.env.GRPC_TOKEN)] } : {};
const greeter = new v1.Greeter(target, grpc.credentials.createInsecure(), options);
const chat = new v1.ChatService(target, grpc.credentials.createInsecure(), options);
const deadline = () => ({ deadline: Date.now() + 60_000 });

after(() => {
    greeter.close();
    chat.close();
});

test('SayHello answers Hello, <name>!', async () => {
    const reply = await new Promise((resolve, reject) => greeter.SayHello(
        { name: 'Hyeonghwan' }, deadline(), (error, response) => (error ? reject(error) : resolve(response))));
    assert.equal(reply.response_text, 'Hello, Hyeonghwan!');
});

test('SayHello with a blank name is INVALID_ARGUMENT with a description', async () => {
    const error = await new Promise((resolve, reject) => greeter.SayHello(
        { name: ' ' }, deadline(), (e, response) => (e ? resolve(e) : reject(new Error(`answered ${response}`)))));
    assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(error.details, 'name must not be blank');
});

test('ServerStream sends the three configured messages in order', async () => {
    const texts = [];
    for await (const message of chat.ServerStream({ message_text: 'start' }, deadline())) {
        texts.push(message.message_text);
    }
    assert.deepEqual(texts, ['Hello world', 'This is server streaming grpc', 'Good bye']);
});

test('ClientStream joins 10,000 messages with single spaces', async () => {
    const texts = Array.from({ length: 10_000 }, (_, i) => `msg${i}`);
    let call;
    const reply = new Promise((resolve, reject) => {
        call = chat.ClientStream(deadline(), (error, response) => (error ? reject(error) : resolve(response)));
    });
    for (const text of texts) {
        if (!call.write({ message_text: text })) {
            await once(call, 'drain'); // honour flow control instead of buffering everything
        }
    }
    call.end();
    assert.equal((await reply).message_text, texts.join(' '));
});

test('Chat answers each of 1,000 messages before the next is sent', async () => {
    const call = chat.Chat(deadline());
    const replies = call[Symbol.asyncIterator]();
    for (let i = 0; i < 1_000; i++) {
        call.write({ message_text: `message ${i}` });
        const { value, done } = await replies.next();
        assert.equal(done, false, `the stream ended before the reply to message ${i}`);
        assert.equal(value.message_text, `Received: message ${i}`);
    }
    call.end();
    assert.equal((await replies.next()).done, true, 'Chat sent more replies than messages');
});
