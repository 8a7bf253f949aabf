package dev.banyan.initerror;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by a throwable type that knows whether it is worth retrying.
 * <p>
 * When {@link PermanentErrors#isPermanent(Throwable)} walks a chain, the first throwable
 * implementing this interface decides the answer, whether it says {@code true} or {@code false}.
 */
@ConsumerType
public interface Permanent {

    /** @return {@code true} if no retry can make the failed operation succeed */
    boolean isPermanent();
}
