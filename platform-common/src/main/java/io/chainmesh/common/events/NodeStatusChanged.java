package io.chainmesh.common.events;

import java.util.Locale;
import java.util.UUID;

/**
 * {@code node.provisioning}, {@code node.running}, {@code node.failed}, {@code node.deleting}, {@code node.deleted}:
 * a node reached the status it carries; the type is {@code node.} and that status in lower case.
 *
 * @param status the node's new status, e.g. {@code RUNNING}
 * @param reason why it failed, {@code null} otherwise
 */
public record NodeStatusChanged(UUID nodeId, String name, String protocol, String network, Long chainId, String driver,
        String status, String reason) implements PlatformEvent {

    @Override
    public String type() {
        return "node." + status.toLowerCase(Locale.ROOT);
    }
}
