package dev.banyan.schema.api;

/**
 * [R11] Whether this node serves every group of the registry with its storage; see
 * {@link SchemaRepository#readiness()}.
 *
 * @param ready  true only while every group is SERVING (a node without groups is ready once booted)
 * @param reason for an operator: why not ({@code group g1: FAILED (cannot lock ...)}, {@code stopping},
 *               {@code fail-fast under way}), or {@code serving N group(s)} when ready
 * @since 1.1
 */
public record Readiness(boolean ready, String reason) {
}
