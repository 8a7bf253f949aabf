package dev.banyan.schema.api;

/**
 * What the repository knows of a group on this node.
 *
 * @param group    the group name
 * @param state    serving, portable (schema only), or failed
 * @param reason   why it failed, or null
 * @param measures how many measures of the group are cached
 */
public record GroupStatus(String group, State state, String reason, int measures) {

    public enum State {
        SERVING, PORTABLE, FAILED
    }
}
