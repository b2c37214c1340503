package io.chainmesh.common.events;

/**
 * An event whose type is known but whose data does not fit its record. Consumers let it propagate, so the entry is
 * retried and then dead-lettered instead of being counted wrongly.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
