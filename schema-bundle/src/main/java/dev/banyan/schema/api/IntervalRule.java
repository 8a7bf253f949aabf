package dev.banyan.schema.api;

/** {@code num} times {@code unit}; {@code num} must be positive. */
public record IntervalRule(IntervalUnit unit, int num) {

    public static IntervalRule days(int num) {
        return new IntervalRule(IntervalUnit.DAY, num);
    }

    public static IntervalRule hours(int num) {
        return new IntervalRule(IntervalUnit.HOUR, num);
    }

    void check(String object, String field) {
        if (unit == null) {
            throw new InvalidSchemaException(object, field, "unit is missing (HOUR or DAY)");
        }
        if (num <= 0) {
            throw new InvalidSchemaException(object, field, "num must be positive, got " + num);
        }
    }

    @Override
    public String toString() {
        return num + " " + unit;
    }
}
