package dev.banyan.schema.api;

/**
 * Whether this server's copy of the schema is current: the registry says so itself, so a server
 * never serves with a stale or partial schema without saying so (shown by {@code banyan:status}).
 *
 * @param backend  which registry and where, e.g. {@code embedded} or {@code etcd http://10.0.0.5:2379}
 * @param current  true while the copy is known to be up to date; false before the first
 *                 synchronisation and while the backend cannot be reached
 * @param revision the registry revision this server has applied (see {@link SchemaRegistry#revision()})
 * @param detail   why it is not current (the unreachable endpoint and since when, and when the server
 *                 will give up), or an empty string
 */
public record RegistryState(String backend, boolean current, long revision, String detail) {
}
