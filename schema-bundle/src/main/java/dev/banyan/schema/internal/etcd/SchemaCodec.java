package dev.banyan.schema.internal.etcd;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaObject;
import dev.banyan.schema.internal.registry.RegistryFile;

/**
 * Schema objects as etcd values: the JSON form of the mapping the YAML registry file uses, without
 * the revisions (etcd's create and mod revisions of the key are the object's revisions).
 */
final class SchemaCodec {

    private final KeySpace keys;

    SchemaCodec(KeySpace keys) {
        this.keys = keys;
    }

    byte[] encode(SchemaObject object) {
        Map<String, Object> map = object instanceof Group g ? RegistryFile.groupMap(g) : RegistryFile.measureMap((Measure) object);
        map.remove("createRevision");
        map.remove("modRevision");
        try {
            return EtcdClient.JSON.writeValueAsBytes(map);
        } catch (IOException e) {
            throw new SchemaException("cannot encode " + object.describe() + ": " + e.getMessage(), e);
        }
    }

    String key(SchemaObject object) {
        return object instanceof Group g ? keys.group(g.name()) : keys.measure(((Measure) object).group(), ((Measure) object).name());
    }

    /**
     * The object stored at a schema key, checked as the API checks objects.
     *
     * @throws SchemaException permanent, naming the key, if the value is not a valid object or does
     *                         not match its key: waiting cannot fix it, an operator must
     */
    SchemaObject decode(EtcdClient.KeyValue kv) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = new LinkedHashMap<>(EtcdClient.JSON.readValue(kv.value(), Map.class));
            map.put("createRevision", kv.createRevision());
            map.put("modRevision", kv.modRevision());
            SchemaObject object;
            if (keys.isGroup(kv.key())) {
                object = RegistryFile.group(map);
            } else if (keys.measureNames(kv.key()) != null) {
                object = RegistryFile.measure(map);
            } else {
                throw new IllegalArgumentException("not a group or measure key");
            }
            if (!key(object).equals(kv.key())) {
                throw new IllegalArgumentException("holds " + object.describe() + ", which belongs at " + key(object));
            }
            return object;
        } catch (IOException | RuntimeException e) {
            throw new SchemaException("invalid schema object at etcd key " + kv.key() + " (revision " + kv.modRevision()
                    + "): " + e.getMessage() + "; correct or delete it with etcdctl", PermanentErrors.asPermanent(e));
        }
    }
}
