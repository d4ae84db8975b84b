package dev.rxrpc.examples.ptserver;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ptserver's own settings.
 *
 * @param dataDir where the embedded H2 database lives (file {@code prdb} in it); unused with PostgreSQL
 * @param noauth anonymous callers may do everything, like OpenAFS's -noauth; off: writes need an administrator
 * @param cell the cell name: local "name@cell" lookups drop it, and user names leave room for it
 */
@ConfigurationProperties("ptserver")
public record PtServerProperties(
        @DefaultValue("./data") String dataDir,
        @DefaultValue("true") boolean noauth,
        @DefaultValue("rxrpc.test") String cell) {

    public PtServerProperties {
        if (cell == null || cell.isBlank() || cell.length() >= 63) {
            throw new IllegalArgumentException(
                    "ptserver.cell must be a non-empty cell name shorter than 63 characters, got '" + cell + "'");
        }
    }
}
