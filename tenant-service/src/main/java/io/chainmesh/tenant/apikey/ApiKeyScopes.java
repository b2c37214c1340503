package io.chainmesh.tenant.apikey;

import java.util.List;

/** Scopes an API key can carry. {@code admin} and {@code internal} are never given to keys. */
final class ApiKeyScopes {

    static final List<String> ALL = List.of("read", "write", "rpc", "keys");
    /** The regular expression Bean Validation checks each requested scope against. */
    static final String PATTERN = "read|write|rpc|keys";
    static final String MESSAGE = "must be one of read, write, rpc, keys";

    private ApiKeyScopes() {
    }

    /** Requested scopes without duplicates, in canonical order, so equal sets always look equal. */
    static List<String> normalise(List<String> requested) {
        return ALL.stream().filter(requested::contains).toList();
    }
}
