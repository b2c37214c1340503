package io.chainmesh.tenant.user;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a user may do; becomes the {@code scp} claim of its access tokens. */
public enum UserRole {
    /** Signed up the tenant; manages everything in it. */
    OWNER("owner", Set.of("read", "write", "rpc", "keys")),
    /** Runs the platform: everything an owner can, in its own tenant, plus the admin API. */
    OPERATOR("operator", Set.of("read", "write", "rpc", "keys", "admin"));

    private final String value;
    private final Set<String> scopes;

    UserRole(String value, Set<String> scopes) {
        this.value = value;
        this.scopes = scopes;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public static UserRole of(String value) {
        for (UserRole role : values()) {
            if (role.value.equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown role " + value);
    }
}
