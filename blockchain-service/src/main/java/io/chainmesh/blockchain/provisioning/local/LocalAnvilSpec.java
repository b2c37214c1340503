package io.chainmesh.blockchain.provisioning.local;

import java.time.Instant;

/**
 * What the {@code local} driver keeps about a node.
 *
 * @param port        the port the node's anvil listens on (127.0.0.1), reserved for the node until it is deleted
 * @param chainId     the chain id the anvil is started with
 * @param dataDir     the node's directory: {@code state.json}, {@code anvil.log} and {@code anvil.pid}
 * @param launchedPid the anvil started last and not yet seen answering, {@code null} when none is starting
 * @param launchedAt  when it was started, for {@code start-timeout}
 */
record LocalAnvilSpec(int port, long chainId, String dataDir, Long launchedPid, Instant launchedAt) {

    LocalAnvilSpec launched(long pid, Instant at) {
        return new LocalAnvilSpec(port, chainId, dataDir, pid, at);
    }

    /** Nothing starting any more. */
    LocalAnvilSpec settled() {
        return launchedPid == null ? this : new LocalAnvilSpec(port, chainId, dataDir, null, null);
    }

    LocalAnvilSpec withDataDir(String dir) {
        return new LocalAnvilSpec(port, chainId, dir, launchedPid, launchedAt);
    }
}
