package io.chainmesh.e2e;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * The prices the platform charges, read from the configuration the services ship with (bin/chainmesh overrides none
 * of them), so a test can state the exact figure a request must cost instead of a lower bound.
 */
final class ComputeUnits {

    private final Map<String, Object> gatewayLimits;
    private final Map<String, Object> gatewayRpc;
    private final Map<String, Object> webSocket;

    private ComputeUnits(Map<String, Object> gateway, Map<String, Object> blockchain) {
        this.gatewayLimits = section(gateway, "chainmesh", "gateway", "limits");
        this.gatewayRpc = section(gateway, "chainmesh", "gateway", "rpc");
        this.webSocket = section(blockchain, "chainmesh", "blockchain", "rpc", "web-socket");
    }

    static ComputeUnits shipped() {
        return new ComputeUnits(yaml("gateway-service"), yaml("blockchain-service"));
    }

    /**
     * A request the gateway routes to a service ({@code chainmesh.gateway.limits}: {@code default-compute-units},
     * 1 unless configured, or the route's entry in {@code compute-units-per-route}).
     */
    long rest(String route) {
        Object perRoute = section(gatewayLimits, "compute-units-per-route").get(route);
        return perRoute != null ? number(perRoute) : number(gatewayLimits.getOrDefault("default-compute-units", 1));
    }

    /** One JSON-RPC call over HTTP, priced by the gateway ({@code chainmesh.gateway.rpc.compute-units}). */
    long rpc(String method) {
        return price(gatewayRpc, method);
    }

    /** One JSON-RPC request frame on a WebSocket, priced by blockchain-service. */
    long webSocketCall(String method) {
        return price(webSocket, method);
    }

    /** One subscription notification delivered on a WebSocket. */
    long webSocketNotification() {
        return number(webSocket.get("notification-compute-units"));
    }

    private static long price(Map<String, Object> table, String method) {
        Object units = section(table, "compute-units").get(method);
        return number(units != null ? units : table.get("default-compute-units"));
    }

    private static long number(Object value) {
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("not a number in the shipped configuration: " + value);
        }
        return n.longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> root, String... path) {
        Map<String, Object> at = root;
        for (String key : path) {
            Object next = at.get(key);
            at = next instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        }
        return at;
    }

    private static Map<String, Object> yaml(String module) {
        Path file = Platform.root().resolve(module).resolve("src/main/resources/application.yml");
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
