package io.chainmesh.notification.destination;

/** A webhook target the SSRF guard refuses; {@link #reason()} is a stable snake_case word such as {@code loopback}. */
public class RefusedTargetException extends RuntimeException {

    private final String reason;

    public RefusedTargetException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
