package dev.banyan.initerror;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/** Marks throwables as permanent and recognises them through any wrapping. */
public final class PermanentErrors {

    private PermanentErrors() {
    }

    /**
     * Marks {@code error} as permanent.
     *
     * @return a {@link PermanentException} with the same message and {@code error} as its cause,
     *         or {@code null} if {@code error} is {@code null}
     */
    public static PermanentException asPermanent(Throwable error) {
        return error == null ? null : new PermanentException(error);
    }

    /**
     * Tells whether retrying cannot help: true if, walking {@code error}, its causes and its
     * suppressed throwables depth first, the first {@link Permanent} met says so. The JDK's
     * wrappers ({@code ExecutionException}, {@code CompletionException},
     * {@code InvocationTargetException}, {@code UndeclaredThrowableException}) expose the wrapped
     * throwable as their cause and are walked like any other. Cyclic chains are walked once.
     */
    public static boolean isPermanent(Throwable error) {
        return find(error, Permanent.class).map(Permanent::isPermanent).orElse(false);
    }

    /**
     * Finds the first throwable of the given type in the same walk order as
     * {@link #isPermanent(Throwable)}: use it to reach the sentinel inside any wrapping, for
     * example to read the details of a version-incompatible error.
     */
    public static <T> Optional<T> find(Throwable error, Class<T> type) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        if (error != null) {
            pending.push(error);
        }
        while (!pending.isEmpty()) {
            Throwable current = pending.pop();
            if (!seen.add(current)) {
                continue;
            }
            if (type.isInstance(current)) {
                return Optional.of(type.cast(current));
            }
            // Push in reverse so the cause is visited before the suppressed throwables.
            Throwable[] suppressed = current.getSuppressed();
            for (int i = suppressed.length - 1; i >= 0; i--) {
                pending.push(suppressed[i]);
            }
            if (current.getCause() != null) {
                pending.push(current.getCause());
            }
        }
        return Optional.empty();
    }
}
