package io.chainmesh.common.events;

import java.util.Map;
import java.util.UUID;

/**
 * {@code contract.event}: a log a subscription matched, decoded by the contract's ABI; sent again with
 * {@code removed: true} when a reorg takes its block away (the JSON-RPC log object's own convention).
 *
 * @param args the event's arguments by name, as plain JSON values
 */
public record ContractEventLogged(UUID subscriptionId, UUID instanceId, String address, String event, String signature,
        Map<String, Object> args, long blockNumber, String blockHash, String transactionHash, int logIndex,
        boolean removed) implements PlatformEvent {
}
