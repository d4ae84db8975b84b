package dev.rxrpc.spring.it.slice;

import org.springframework.stereotype.Component;

/** A plain component the slice must not scan. */
@Component
public class NotAnRxBean {}
