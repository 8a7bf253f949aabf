package dev.banyan.server.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;

/** Writes and reads the measures of the schema registry. Thread-safe. */
@ProviderType
public interface MeasureService {

    /**
     * Validates every point against the measure, then writes all of them or none. Returns once they
     * are as durable as the group's storage says (fsync'd by default).
     *
     * @throws InvalidPointException    unknown measure, tag or field, missing entity tag, no field at
     *                                  all, wrong type or bad timestamp: names the measure, point and field
     * @throws GroupNotServingException the group's database is not open right now (retriable)
     */
    void write(String group, String measure, List<DataPoint> points);

    /** [S17] Runs a query (see {@link Query}) against a group. */
    QueryResult query(String group, Query query);

    /** Every group of the registry on this node: serving, portable or failed with the reason. */
    List<GroupStatus> status();
}
