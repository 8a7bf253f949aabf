package dev.banyan.server.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.Readiness;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.GroupNotServingException;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.PointRejectedException;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.StorageBusyException;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;

/** {@link MeasureService} over the schema repository's serving groups. */
@Component(service = MeasureService.class, immediate = true)
public final class MeasureServiceComponent implements MeasureService {

    @Reference
    private SchemaRepository repository;

    @Override
    public void write(String group, String measure, List<DataPoint> points) {
        Measure schema = measure(group, measure);
        var batch = PointValidator.toBatch(schema, points);
        Tsdb tsdb = tsdb(group);
        try {
            tsdb.write(batch);
        } catch (PointRejectedException e) {
            // The client's mistake (outside the write window, over a write limit): never a server fault.
            InvalidPointException invalid = new InvalidPointException("measure " + group + "/" + measure + ": " + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        } catch (StorageBusyException e) {
            throw new GroupNotServingException("group " + group + " cannot take writes right now: " + e.getMessage(), e);
        } catch (StorageException e) {
            if (tsdb.isClosed()) {
                throw new GroupNotServingException("group " + group + " closed during the write; nothing of this write "
                        + "is acknowledged, retry it", e);
            }
            throw e;
        }
    }

    @Override
    public TimeRange acceptedTimestamps(String group) {
        return tsdb(group).acceptedTimestamps();
    }

    @Override
    public QueryResult query(String group, Query query) {
        return read(group, query.measure(), tsdb -> tsdb.query(query));
    }

    @Override
    public List<Map<String, String>> series(String group, String measure, List<TagMatcher> matchers, TimeRange range) {
        return read(group, measure, tsdb -> tsdb.series(measure, matchers, range));
    }

    @Override
    public List<String> tagValues(String group, String measure, String tag, List<TagMatcher> matchers, TimeRange range) {
        return read(group, measure, tsdb -> tsdb.tagValues(measure, tag, matchers, range));
    }

    /** Reads a measure of a serving group; a database closing under the read is "not serving" (retriable). */
    private <T> T read(String group, String measure, Function<Tsdb, T> read) {
        measure(group, measure);
        Tsdb tsdb = tsdb(group);
        try {
            return read.apply(tsdb);
        } catch (StorageException e) {
            if (tsdb.isClosed()) {
                throw new GroupNotServingException("group " + group + " closed during the read; retry it", e);
            }
            throw e;
        }
    }

    @Override
    public List<GroupStatus> status() {
        return repository.status();
    }

    @Override
    public Readiness readiness() {
        return repository.readiness();
    }

    /** The measure, or a refusal naming what is missing: the group itself, or the measure in it (the registry's words). */
    private Measure measure(String group, String measure) {
        return repository.measure(group, measure).orElseThrow(() -> new InvalidPointException(
                repository.status().stream().noneMatch(s -> s.group().equals(group))
                        ? "measure " + group + "/" + measure + ": group " + group + " does not exist"
                        : "measure " + group + "/" + measure + " does not exist"));
    }

    private Tsdb tsdb(String group) {
        GroupDatabase database = repository.database(group).orElseThrow(() -> new GroupNotServingException(
                "group " + group + " is not serving: " + repository.status().stream().filter(s -> s.group().equals(group))
                        .map(s -> s.state() + (s.reason() == null ? "" : " (" + s.reason() + ")")).findFirst()
                        .orElse("unknown group"), null));
        return ((StorageGroupDatabase) database).tsdb();
    }
}
