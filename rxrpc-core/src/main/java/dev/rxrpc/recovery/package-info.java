/**
 * Loss recovery policies, in packets and nanoseconds: {@link dev.rxrpc.recovery.RttEstimator} (RFC 6298), {@link
 * dev.rxrpc.recovery.CongestionController} / {@link dev.rxrpc.recovery.NewRenoCongestionController} and {@link
 * dev.rxrpc.recovery.RackLossDetector} (RFC 8985). Policies take numbers and times, never packets, and read no clock.
 */
package dev.rxrpc.recovery;
