package dev.banyan.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@value #PID} ({@code etc/dev.banyan.http.cfg}). The listening address, port
 * and TLS belong to Pax Web: {@code etc/org.ops4j.pax.web.cfg}.
 */
@ObjectClassDefinition(name = "Banyan HTTP", description = "Protocols, authentication and limits of Banyan's HTTP endpoints.")
public @interface HttpConfig {

    String PID = "dev.banyan.http";

    @AttributeDefinition(name = "Remote-write group", description = "The group Prometheus remote write stores into "
            + "(and remote read reads from) unless a request names one with ?group=.")
    String group() default "prometheus";

    @AttributeDefinition(name = "Strict groups", description = "true: a write to a group that does not exist is refused "
            + "(404). false: the group is created with the newGroup* options.")
    boolean strict() default false;

    @AttributeDefinition(name = "Shards of a new group", description = "At least 1.", min = "1")
    int newGroupShards() default 1;

    @AttributeDefinition(name = "Segment interval of a new group", description = "<n>h or <n>d")
    String newGroupSegmentInterval() default "1d";

    @AttributeDefinition(name = "TTL of a new group", description = "<n>h or <n>d")
    String newGroupTtl() default "15d";

    @AttributeDefinition(name = "Largest request body", description = "Bytes, as sent and once decompressed; a larger "
            + "body is refused with 413. From 1024 to 2147483639.", min = "1024", max = "2147483639")
    long maxRequestBytes() default 32L * 1024 * 1024;

    @AttributeDefinition(name = "Most samples per remote read", description = "A remote-read request whose answer "
            + "would hold more samples is refused with 400, as Prometheus does. At least 1.", min = "1")
    long maxReadSamples() default 50_000_000L;

    @AttributeDefinition(name = "JAAS realm", description = "HTTP Basic credentials are checked against this realm.")
    String realm() default "karaf";

    @AttributeDefinition(name = "Roles", description = "Comma-separated: a Basic user needs one of these roles.")
    String roles() default "admin";

    @AttributeDefinition(name = "Bearer tokens", description = "Comma-separated <name>:sha256:<64 hex digits of the "
            + "token's SHA-256>. Only the hash is stored; see the README for how to make a token.")
    String bearerTokens() default "";

    @AttributeDefinition(name = "Anonymous paths", description = "Comma-separated request paths served without "
            + "credentials.")
    String anonymousPaths() default "/-/healthy,/-/ready,/ping";

    @AttributeDefinition(name = "Credential cache", description = "Seconds a successful Basic login is remembered "
            + "(0: check the realm on every request).", min = "0")
    int credentialCacheSeconds() default 60;
}
