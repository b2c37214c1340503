package io.chainmesh.common.events;

/**
 * Handles one event. Must be idempotent by {@link EventEnvelope#id()}: delivery is at-least-once.
 * Returning normally means the handler's own transaction has committed; the message is then acked.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(EventEnvelope event) throws Exception;
}
