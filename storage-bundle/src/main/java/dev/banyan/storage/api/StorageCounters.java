package dev.banyan.storage.api;

/** [R10] A snapshot of the engine's maintenance counters, summed over all groups since start. */
public record StorageCounters(long rotationsStarted, long rotationsFinished, long rotationErrors,
        long retentionsStarted, long retentionsFinished, long retentionErrors) {
}
