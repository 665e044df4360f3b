package dev.grpcpatterns.web;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * How one web protocol writes a call's response: its headers, each reply, and its end. Each returns the bytes to send
 * next (null for none); an HTTP format sets the response's status and headers itself before its first bytes.
 */
interface ResponseFormat {

    byte[] headers(Metadata headers);

    byte[] message(byte[] message);

    byte[] end(Status status, Metadata trailers);
}
