/**
 * The UDP socket under an endpoint: {@link dev.rxrpc.transport.UdpTransport} binds it with Reactor Netty (native
 * epoll with recvmmsg when available), owns the {@link dev.rxrpc.endpoint.LocalEndpoint} and its lifecycle, and
 * adapts the channel's event loop to {@link dev.rxrpc.loop.EngineLoop}. The only package that touches Netty channels
 * and Reactor Netty.
 */
package dev.rxrpc.transport;
