package dev.banyan.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/** The engine's wall clock, moved by the test: "now" for rotation, retention and the write window. */
final class TestClock extends Clock {

    private final AtomicLong millis;
    private final ZoneId zone;

    TestClock(long startMillis, ZoneId zone) {
        this(new AtomicLong(startMillis), zone);
    }

    private TestClock(AtomicLong millis, ZoneId zone) {
        this.millis = millis;
        this.zone = zone;
    }

    void set(long nowMillis) {
        millis.set(nowMillis);
    }

    void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new TestClock(millis, other);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
