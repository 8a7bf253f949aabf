package dev.banyan.http.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.IntervalUnit;
import dev.banyan.schema.api.Names;
import dev.banyan.schema.api.ResourceOpts;

/**
 * One checked snapshot of {@link HttpConfig}. {@link #of} refuses a bad value naming the PID, the
 * property, the value and what is allowed, so a typo never takes effect.
 *
 * @param group             the remote-write group
 * @param strict            whether writes to unknown groups are refused (404) instead of creating them
 * @param newGroupOptions   resource options of a group created by a write
 * @param maxRequestBytes   largest body, as sent and once decompressed (bytes)
 * @param maxReadSamples    most samples one remote-read request may return
 * @param realm             JAAS realm for HTTP Basic
 * @param roles             a Basic user needs one of these roles
 * @param tokens            accepted bearer tokens, by SHA-256
 * @param anonymousPaths    request paths served without credentials
 * @param credentialCacheMs how long a successful Basic login is remembered (ms)
 */
public record Settings(String group, boolean strict, ResourceOpts newGroupOptions, long maxRequestBytes,
        long maxReadSamples, String realm, Set<String> roles, List<BearerToken> tokens, Set<String> anonymousPaths,
        long credentialCacheMs) {

    /** An accepted bearer token: a name for logs and the SHA-256 of the token. */
    public record BearerToken(String name, byte[] sha256) {
    }

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([hd])");
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_.-]+):sha256:([0-9a-fA-F]{64})");

    public static Settings of(HttpConfig config) {
        String group = config.group() == null ? "" : config.group().trim();
        try {
            Names.check(HttpConfig.PID, "group", group);
        } catch (InvalidSchemaException e) {
            throw invalid("group", group, "a group name: 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (config.newGroupShards() < 1) {
            throw invalid("newGroupShards", config.newGroupShards(), "a positive number of shards");
        }
        ResourceOpts options = new ResourceOpts(config.newGroupShards(),
                interval("newGroupSegmentInterval", config.newGroupSegmentInterval()),
                interval("newGroupTtl", config.newGroupTtl()));
        if (config.maxRequestBytes() < 1024 || config.maxRequestBytes() > Integer.MAX_VALUE - 8) {
            throw invalid("maxRequestBytes", config.maxRequestBytes(), "bytes from 1024 to " + (Integer.MAX_VALUE - 8));
        }
        if (config.maxReadSamples() < 1) {
            throw invalid("maxReadSamples", config.maxReadSamples(), "a positive number of samples");
        }
        String realm = config.realm() == null ? "" : config.realm().trim();
        if (realm.isEmpty()) {
            throw invalid("realm", config.realm(), "the name of a JAAS realm, such as karaf");
        }
        Set<String> roles = list(config.roles());
        if (roles.isEmpty()) {
            throw invalid("roles", config.roles(), "one or more role names, comma-separated");
        }
        List<BearerToken> tokens = new ArrayList<>();
        for (String entry : list(config.bearerTokens())) {
            Matcher m = TOKEN.matcher(entry);
            if (!m.matches()) {
                throw invalid("bearerTokens", entry, "<name>:sha256:<64 hex digits>, comma-separated");
            }
            tokens.add(new BearerToken(m.group(1), HexFormat.of().parseHex(m.group(2).toLowerCase())));
        }
        Set<String> anonymous = list(config.anonymousPaths());
        for (String path : anonymous) {
            if (!path.startsWith("/")) {
                throw invalid("anonymousPaths", path, "request paths starting with '/', comma-separated");
            }
        }
        if (config.credentialCacheSeconds() < 0) {
            throw invalid("credentialCacheSeconds", config.credentialCacheSeconds(), "0 or more seconds");
        }
        return new Settings(group, config.strict(), options, config.maxRequestBytes(), config.maxReadSamples(), realm, roles,
                List.copyOf(tokens), anonymous, config.credentialCacheSeconds() * 1000L);
    }

    /** A group a write may create, named {@code name}, with {@link #newGroupOptions}. */
    public Group newGroup(String name) {
        return Group.of(name, dev.banyan.schema.api.Catalog.MEASURE, newGroupOptions);
    }

    private static IntervalRule interval(String property, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw invalid(property, text, "<n>h or <n>d with a positive n, such as 1d or 12h");
        }
        return new IntervalRule(m.group(2).equals("h") ? IntervalUnit.HOUR : IntervalUnit.DAY, Integer.parseInt(m.group(1)));
    }

    private static Set<String> list(String text) {
        Set<String> items = new LinkedHashSet<>();
        if (text != null) {
            Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        }
        return items;
    }

    private static IllegalArgumentException invalid(String property, Object value, String allowed) {
        return new IllegalArgumentException("configuration " + HttpConfig.PID + ": property " + property + " = '" + value
                + "' is not valid; allowed: " + allowed);
    }
}
