package dev.banyan.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import org.junit.Test;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;

/** A write to a measure that is not there names what is missing: the group, or the measure in an existing group. */
public class MissingMeasureTest {

    @Test
    public void aWriteNamesAMissingGroupOrAMissingMeasure() throws Exception {
        MeasureServiceComponent service = new MeasureServiceComponent();
        var field = MeasureServiceComponent.class.getDeclaredField("repository");
        field.setAccessible(true);
        field.set(service, Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SchemaRepository.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "measure" -> Optional.empty();
                    case "status" -> List.of(new GroupStatus("g", GroupStatus.State.SERVING, null, 0));
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
        List<DataPoint> point = List.of(new DataPoint(1_700_000_000_000L, java.util.Map.of("host", "a"), java.util.Map.of("v", 1.0)));
        expect(() -> service.write("nogroup", "cpu", point), "measure nogroup/cpu: group nogroup does not exist");
        expect(() -> service.write("g", "cpu", point), "measure g/cpu does not exist");
    }

    private static void expect(Runnable write, String message) {
        try {
            write.run();
            fail("refused: " + message);
        } catch (InvalidPointException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
