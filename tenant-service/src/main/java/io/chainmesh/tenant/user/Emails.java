package io.chainmesh.tenant.user;

import java.util.Locale;

/** Emails are compared and stored in one canonical form, so {@code Ann@X.io} and {@code ann@x.io} are one login. */
public final class Emails {

    private Emails() {
    }

    public static String canonical(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
