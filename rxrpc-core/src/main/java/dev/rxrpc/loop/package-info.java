/**
 * The engine's view of its event loop: {@link dev.rxrpc.loop.EngineLoop} (thread, clock, timers) and {@link
 * dev.rxrpc.loop.DeadlineTimer} (one timer per owner, armed for the earliest deadline). No Netty or Reactor types: the
 * transport adapts its event loop to this interface.
 */
package dev.rxrpc.loop;
