package dev.banyan.server.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.ReadinessCheck;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.storage.api.TsdbHealth;

/**
 * [R11] The storage's own health as part of readiness: a group whose database reports a problem (a
 * shard that cannot create or write its log, a full disk, a quarantined part; see
 * {@link TsdbHealth}) does not serve its writes, so the node is not ready while it lasts, naming the
 * group and the first problem. The engine retries by itself: once what failed succeeds the problem
 * is gone and the node is ready again without a restart. A permanent problem keeps it not ready
 * until an operator acts.
 */
@Component(service = ReadinessCheck.class, immediate = true)
public final class StorageReadiness implements ReadinessCheck {

    /** Optional: without it the repository's own readiness already says the node is not ready. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchemaRepository repository;

    @Override
    public String notReady() {
        SchemaRepository current = repository;
        if (current == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        for (GroupStatus status : current.status()) {
            current.database(status.group()).ifPresent(database -> {
                TsdbHealth health = ((StorageGroupDatabase) database).tsdb().health();
                if (health.state() != TsdbHealth.State.OK) {
                    TsdbHealth.Problem first = health.problems().get(0);
                    problems.add("group " + status.group() + ": storage " + health.state() + ": " + first.message()
                            + (health.problems().size() > 1 ? " (and " + (health.problems().size() - 1) + " more)" : ""));
                }
            });
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }
}
