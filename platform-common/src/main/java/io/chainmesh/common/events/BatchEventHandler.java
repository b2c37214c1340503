package io.chainmesh.common.events;

import java.util.List;

/**
 * Handles the events of one stream read together, in one transaction of its own, so a burst costs one commit per
 * read instead of one per event. Must be idempotent by {@link EventEnvelope#id()}: delivery is at-least-once, and a
 * batch may hold the same event twice (a producer that published it twice). Returning normally means the handler's
 * transaction has committed; every entry of the batch is then acked. If it throws, {@link StreamConsumer} hands the
 * entries to it again one by one, so one poison event fails (and is eventually dead-lettered) alone.
 */
@FunctionalInterface
public interface BatchEventHandler {

    void handleAll(List<EventEnvelope> events) throws Exception;
}
