package dev.banyan.schema.api;

import org.osgi.annotation.versioning.ProviderType;

/** A registered handler; closing it stops delivery. */
@ProviderType
public interface HandlerRegistration extends AutoCloseable {

    String name();

    @Override
    void close();
}
