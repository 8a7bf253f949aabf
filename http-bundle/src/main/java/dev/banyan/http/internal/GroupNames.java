package dev.banyan.http.internal;

import dev.banyan.http.api.ApiException;
import dev.banyan.schema.api.Names;

/** The one check of a group named by a request (a parameter such as {@code ?group=}, {@code db}, {@code bucket}), for writes and reads alike. */
public final class GroupNames {

    private GroupNames() {
    }

    /**
     * @param source what named it, e.g. {@code "group"} or {@code "database"}
     * @return {@code group}
     * @throws ApiException 400 if it is not a valid group name
     */
    public static String checked(String group, String source) {
        if (!Names.VALID.matcher(group).matches()) {
            throw ApiException.badData(source + " '" + group + "' is not a valid group name (1-64 letters, digits, '_' or '-', "
                    + "starting with a letter or digit)");
        }
        return group;
    }
}
