package io.chainmesh.blockchain.provisioning.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

import io.chainmesh.blockchain.BlockchainProperties;

/** Picks a port from {@code CHAINMESH_NODE_PORT_RANGE} for a new local node. */
final class LocalPorts {

    private final int first;
    private final int last;

    LocalPorts(BlockchainProperties.Local config) {
        this.first = config.firstPort();
        this.last = config.lastPort();
    }

    /** The lowest port in the range that no live node holds and nothing on this host listens on. */
    OptionalInt allocate(Collection<Integer> heldByNodes) {
        Set<Integer> held = new HashSet<>(heldByNodes);
        for (int port = first; port <= last; port++) {
            if (!held.contains(port) && free(port)) {
                return OptionalInt.of(port);
            }
        }
        return OptionalInt.empty();
    }

    static boolean taken(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a port can be given to a new node: nothing listens on it and it can be bound. */
    static boolean free(int port) {
        if (taken(port)) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
