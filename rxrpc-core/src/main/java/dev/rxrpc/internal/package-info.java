/**
 * Project-internal helpers (sequence arithmetic, annotations). Not API: no compatibility guarantee, do not use from
 * outside rxrpc.
 */
package dev.rxrpc.internal;
