/**
 * Reactive adapters between engine calls and Reactive Streams. Not API for users: they use {@code dev.rxrpc}'s
 * server and client; these classes are public only for the transport and the starter.
 */
package dev.rxrpc.api;
