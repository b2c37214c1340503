package io.chainmesh.contract.connector;

import tools.jackson.databind.node.ObjectNode;

/**
 * A decoded contract event on the canonical chain.
 *
 * @param event the event's name
 * @param args  its arguments by name (position when unnamed) as plain JSON
 */
public record ChainEvent(String event, long blockNumber, String blockHash, String transactionHash, int logIndex,
        ObjectNode args) {
}
