package dev.rxrpc;

import java.nio.ByteBuffer;

/**
 * A whole reply and the service that sent it, as {@link RxClient#callUpgrading} gives it. Immutable once made; the
 * buffer belongs to the receiver.
 *
 * @param serviceId the service id the server answered on: the upgraded one if the server took the upgrade request
 * @param body the reply's bytes, positioned at 0
 */
public record RxReply(int serviceId, ByteBuffer body) {}
