package io.chainmesh.notification.endpoint;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Event-type patterns of an endpoint: an exact type ({@code tx.confirmed}), a prefix wildcard ({@code tx.*} matches
 * {@code tx.mined} and {@code tx.receipt.final} but not {@code tx}), or {@code *}. No patterns means every type.
 */
public final class EventTypeFilter {

    static final Pattern PATTERN = Pattern.compile("^(\\*|[a-z0-9_-]+(\\.[a-z0-9_-]+)*(\\.\\*)?)$");

    private EventTypeFilter() {
    }

    public static boolean matches(List<String> patterns, String type) {
        if (patterns == null || patterns.isEmpty()) {
            return true;
        }
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type)) {
                return true;
            }
            if (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    static boolean isValid(String pattern) {
        return pattern != null && PATTERN.matcher(pattern).matches();
    }
}
