package dev.banyan.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where an embedded engine spends its time on a data set: Java Flight Recorder samples (CPU and
 * allocation) per phase, the ingest and then each query run in a loop, summarised as the methods
 * most often on top of the stack (self) and the project methods most often on the stack (total).
 * Run: {@code java -cp ... dev.banyan.benchmarks.Profile d3 banyan DIR} (data set d1|d3, engine
 * banyan|questdb); the recordings stay in DIR for {@code jfr print}.
 */
public final class Profile {

    private static final int TOP = 12;

    private Profile() {
    }

    public static void main(String[] args) throws Exception {
        String set = args.length > 0 ? args[0] : "d3";
        String engineName = args.length > 1 ? args[1] : "banyan";
        Path dir = Path.of(args.length > 2 ? args[2] : "target/profile").toAbsolutePath();
        if (set.equals("d1")) {
            profile(EmbeddedBenchmark.d1(), engineName.equals("banyan") ? BanyanD1::new : QuestDbD1::new, dir);
        } else {
            profile(EmbeddedBenchmark.d3(), engineName.equals("banyan") ? BanyanD3::new : QuestDbD3::new, dir);
        }
    }

    private static <D> void profile(Workload<D> workload, Supplier<Engine<D>> factory, Path dir) throws Exception {
        Path store = dir.resolve("store");
        Measure.deleteTree(store);
        Files.createDirectories(store);
        try (Engine<D> engine = factory.get()) {
            engine.open(store, false);
            record(dir.resolve("ingest.jfr"), "ingest", () -> {
                long start = System.nanoTime();
                engine.ingest(workload.data());
                System.out.printf("ingest: %.2f s%n", (System.nanoTime() - start) / 1e9);
            });
        }
        System.out.printf("bytes per point: %.3f%n", (double) Measure.size(store) / workload.points());
        try (Engine<D> engine = factory.get()) {
            engine.reopen(store);
            for (int q = 0; q < workload.queries().size(); q++) {
                int query = q;
                String label = workload.queries().get(q).label();
                for (int i = 0; i < Measure.WARMUPS; i++) {
                    engine.query(query);
                }
                record(dir.resolve("q" + q + ".jfr"), label, () -> {
                    // At least 21 runs and 3 s, so that the sampler sees enough.
                    long start = System.nanoTime();
                    int runs = 0;
                    while (runs < Measure.QUERY_RUNS || System.nanoTime() - start < 3_000_000_000L) {
                        engine.query(query);
                        runs++;
                    }
                    System.out.printf("%s: %d runs, %.3f ms each%n", label, runs, (System.nanoTime() - start) / 1e6 / runs);
                });
            }
        }
    }

    interface Phase {
        void run() throws Exception;
    }

    private static void record(Path file, String label, Phase phase) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            recording.enable("jdk.ObjectAllocationSample");
            recording.start();
            phase.run();
            recording.stop();
            recording.dump(file);
        }
        summarise(file, label);
    }

    /** Prints the top frames of the CPU samples (self and project-total) and of the sampled allocations. */
    static void summarise(Path file, String label) throws Exception {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> project = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        long samples = 0;
        long allocationWeight = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                List<String> seen = new ArrayList<>();
                for (RecordedFrame frame : frames) {
                    String name = name(frame);
                    if (name.startsWith("dev.banyan.storage") && !seen.contains(name)) {
                        seen.add(name);
                        project.merge(name, 1L, Long::sum);
                    }
                }
            } else {
                long weight = event.getLong("weight");
                allocationWeight += weight;
                String site = name(frames.get(0));
                for (RecordedFrame frame : frames) {
                    if (name(frame).startsWith("dev.banyan.storage")) {
                        site = name(frame);
                        break;
                    }
                }
                allocated.merge(event.getClass("objectClass").getName() + " at " + site, weight, Long::sum);
            }
        }
        System.out.printf("== %s: %d CPU samples, %.1f MiB allocation sampled%n", label, samples, allocationWeight / 1048576.0);
        print("self", self, samples);
        print("on stack (storage)", project, samples);
        print("allocated (by weight)", allocated, allocationWeight);
    }

    private static void print(String title, Map<String, Long> counts, long total) {
        System.out.println("  " + title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> System.out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
