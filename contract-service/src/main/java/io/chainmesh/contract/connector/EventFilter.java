package io.chainmesh.contract.connector;

/**
 * Which events a listener receives.
 *
 * @param signature the event's signature, e.g. {@code Transfer(address,address,uint256)}
 * @param filter    the connector's own filter (EVM: the {@code eth_getLogs} topics) as JSON text, stored with the
 *                  listener
 */
public record EventFilter(String signature, String filter) {
}
