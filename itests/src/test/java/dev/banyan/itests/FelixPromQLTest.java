package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.PromQLEngine;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;
import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.MeasureService;
import dev.banyan.server.api.SchemalessLayout;
import dev.banyan.storage.api.StorageEngine;

/**
 * The PromQL engine over Banyan's storage as OSGi services: series laid out as remote write lays
 * them out ({@link SchemalessLayout}: a measure per metric, the label set as the entity tag, the
 * value in a DOUBLE field) are selected by matchers,
 * staleness markers survive storage bit-exact, and measures of another layout are not series.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixPromQLTest {

    /** A whole hour two to three hours ago: inside the group's 30-day TTL and the engine's write window [S13a]. */
    private static final long T0 = System.currentTimeMillis() / 3_600_000L * 3_600_000L - 2 * 3_600_000L;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return FelixOptions.base().toArray(new Option[0]);
    }

    @Test
    public void storageSeriesSource_answersPromQLWithMatchersAndStaleness() throws Exception {
        Path base = Paths.get(System.getProperty("banyan.reactor.dir"), "itests", "target", "felix-data");
        Files.createDirectories(base);
        Path root = Files.createTempDirectory(base, "promql").toAbsolutePath().normalize();
        long registryBefore = serviceId(SchemaRegistry.class);
        // The registry follows the storage data root (one data root): configuring it as well would
        // re-activate it twice, and the group could be created in the instance being replaced.
        configure("dev.banyan.storage", "dataRoot", root.toString());
        // Storage and registry re-activate on the new root; wait for their new services.
        Await.until(Duration.ofSeconds(30), () -> serviceId(SchemaRegistry.class) > registryBefore
                && root.equals(service(StorageEngine.class).map(StorageEngine::dataRoot).orElse(null))
                && service(MeasureService.class).isPresent() && service(SeriesSource.class).isPresent()
                && service(PromQLEngine.class).isPresent() ? null : "services not yet up on " + root);
        SchemaRegistry registry = service(SchemaRegistry.class).orElseThrow();
        registry.createGroup(Group.of("prometheus", Catalog.MEASURE, new ResourceOpts(2, IntervalRule.days(1), IntervalRule.days(30))));
        registry.createMeasure(SchemalessLayout.measure("prometheus", "http_requests_total", List.of("job", "instance"),
                List.of(new FieldSpec(SchemalessLayout.VALUE_FIELD, FieldSpec.FieldType.DOUBLE))));
        // Not a remote-write layout: not a Prometheus series, never returned.
        registry.createMeasure(new Measure("prometheus", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
                List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0));
        Await.until(Duration.ofSeconds(30), () -> service(MeasureService.class).map(m -> m.status().stream()
                .anyMatch(s -> s.group().equals("prometheus") && s.state().name().equals("SERVING"))).orElse(false)
                ? null : "group prometheus not serving");

        MeasureService measures = service(MeasureService.class).orElseThrow();
        double stale = Double.longBitsToDouble(Series.STALE_NAN_BITS);
        List<DataPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            points.add(point(T0 + i * 15_000L, "api", "a:1", 100 + 10 * i));
            points.add(point(T0 + i * 15_000L, "web", "b:1", 7 * i));
        }
        points.add(point(T0 + 21 * 15_000L, "web", "b:1", stale)); // the web target went away
        measures.write("prometheus", "http_requests_total", points);
        measures.write("prometheus", "cpu", List.of(new DataPoint(T0, Map.of("host", "h1"), Map.of("value", 1.0))));

        PromQLEngine engine = service(PromQLEngine.class).orElseThrow();
        SeriesSource source = service(SeriesSource.class).orElseThrow();
        long t = T0 + 20 * 15_000L;
        QueryResult rate = engine.instantQuery(source, "rate(http_requests_total{job=\"api\"}[5m])", t, QueryLimits.DEFAULT);
        assertEquals(1, rate.series().size());
        assertEquals(Labels.of("instance", "a:1", "job", "api"), rate.series().get(0).labels());
        // 10 per 15 s over 300 s of samples, extrapolated to the 300 s window: 2/3 per second.
        assertEquals(10.0 / 15, rate.series().get(0).values()[0], 1e-12);

        QueryResult regex = engine.instantQuery(source, "http_requests_total{job=~\"a.*|w.b\", instance!=\"x\"}", t,
                QueryLimits.DEFAULT);
        assertEquals(2, regex.series().size());
        QueryResult afterStale = engine.instantQuery(source, "http_requests_total", t + 16_000, QueryLimits.DEFAULT);
        assertEquals("the staleness marker came back from storage bit-exact and ended the web series",
                List.of(Labels.of("__name__", "http_requests_total", "instance", "a:1", "job", "api")),
                afterStale.series().stream().map(Series::labels).toList());

        // Long windows come from the storage's aggregates; the web window holds the staleness marker.
        QueryResult counts = engine.instantQuery(source, "count_over_time(http_requests_total[15m])", t + 20_000,
                QueryLimits.DEFAULT);
        assertEquals(List.of(21.0, 21.0), counts.series().stream().map(x -> x.values()[0]).toList());
        assertEquals(4200.0, engine.instantQuery(source, "sum_over_time(http_requests_total{job=\"api\"}[15m])", t,
                QueryLimits.DEFAULT).series().get(0).values()[0], 0);
        assertEquals(140.0, engine.instantQuery(source, "max_over_time(http_requests_total{job=\"web\"}[1h])", t + 60_000,
                QueryLimits.DEFAULT).series().get(0).values()[0], 0);
        assertTrue(source.windowStats(List.of(LabelMatcher.equal("job", "api")), new long[] {t}, 900_000).size() == 1);

        assertEquals(List.of("http_requests_total"), source.labelValues("__name__", T0, t));
        assertEquals(List.of("api", "web"), source.labelValues("job", T0, t));
        assertEquals(List.of("__name__", "instance", "job"), source.labelNames(T0, t));
        assertTrue(source.select(List.of(LabelMatcher.equal("__name__", "cpu")), T0, t).isEmpty());
    }

    private static DataPoint point(long t, String job, String instance, double value) {
        Map<String, String> tags = SchemalessLayout.storedTags(new TreeMap<>(Map.of("job", job, "instance", instance)));
        return new DataPoint(t, tags, Map.of(SchemalessLayout.VALUE_FIELD, value));
    }

    private void configure(String pid, String key, String value) throws Exception {
        OsgiServices.configure(configAdmin, pid, key, value);
    }

    private long serviceId(Class<?> type) {
        return OsgiServices.serviceId(context, type);
    }

    private <T> java.util.Optional<T> service(Class<T> type) {
        return OsgiServices.service(context, type);
    }
}
