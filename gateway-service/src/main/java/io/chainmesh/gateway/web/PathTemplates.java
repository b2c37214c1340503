package io.chainmesh.gateway.web;

/**
 * Reduces a request path to a low-cardinality template for metering and logs: UUIDs and numbers become {@code {id}},
 * an API key in the path ({@code /rpc/{apiKey}/...}) becomes {@code {apiKey}}, so a key never reaches an event or a
 * log line.
 */
public final class PathTemplates {

    private PathTemplates() {
    }

    public static String of(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        StringBuilder template = new StringBuilder(path.length());
        int start = path.charAt(0) == '/' ? 1 : 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            template.append('/');
            if (segment.startsWith("cmk_") || (start == 5 && path.startsWith("/rpc/"))) {
                template.append("{apiKey}");
            } else if (isId(segment)) {
                template.append("{id}");
            } else {
                template.append(segment);
            }
            start = end + 1;
        }
        return template.toString();
    }

    private static boolean isId(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        if (segment.length() == 36 && segment.charAt(8) == '-' && segment.charAt(13) == '-') {
            return true;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
