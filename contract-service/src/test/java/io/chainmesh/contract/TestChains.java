package io.chainmesh.contract;

import io.chainmesh.testing.AnvilProcess;

/**
 * The two real anvil chains of contract-service's suite. {@link #automining()} serves most tests;
 * {@link #manualMining()} mines only when a test says so, for transactions that must wait in the pool (stuck
 * transactions, confirmation depth, reorgs) without disturbing the tests that share the first one. Tests talk to a
 * chain directly only for set-up (funding, mining, snapshots); the service reaches it through
 * {@link FakeBlockchainService}.
 */
public final class TestChains {

    private TestChains() {
    }

    /** The automining chain (chain id 31337). */
    public static AnvilProcess automining() {
        return AnvilProcess.shared(31337);
    }

    /** A chain (chain id 31338) that mines only on {@code mine}: a sent transaction waits in the pool. */
    public static AnvilProcess manualMining() {
        return AnvilProcess.shared(31338, "--no-mining");
    }
}
