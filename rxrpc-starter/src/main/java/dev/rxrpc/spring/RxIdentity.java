package dev.rxrpc.spring;

/**
 * Who is calling, as a security class authenticated it (rxkad: the ticket's principal). Immutable.
 *
 * @param name the principal's name ("admin")
 * @param instance the instance, empty if none
 * @param cell the cell (realm), lower case
 * @param level the protection level the connection uses (rxkad: 0 clear, 1 auth, 2 crypt)
 */
public record RxIdentity(String name, String instance, String cell, int level) {}
