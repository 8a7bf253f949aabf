package dev.banyan.storage.api;

/** What to compute over the values of a field in a group (and time bucket). */
public enum AggregateFunction {
    COUNT, SUM, MIN, MAX, AVG;

    /** The result column name, e.g. {@code avg(value)}. */
    public String column(String field) {
        return name().toLowerCase() + "(" + field + ")";
    }
}
