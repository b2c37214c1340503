package io.chainmesh.gateway;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The gateway's cache time in the integration tests: the system's, which a test may freeze and move forward to expire
 * an in-memory cache entry exactly when it means to, without sleeping. Time never goes back: released, it continues
 * from where it was frozen.
 */
final class TestTicker implements Ticker {

    private volatile long offset;
    private volatile boolean frozen;
    private volatile long frozenAt;

    @Override
    public long read() {
        return frozen ? frozenAt : System.nanoTime() + offset;
    }

    synchronized void freeze() {
        frozenAt = read();
        frozen = true;
    }

    synchronized void advance(Duration by) {
        if (frozen) {
            frozenAt += by.toNanos();
        } else {
            offset += by.toNanos();
        }
    }

    synchronized void release() {
        if (frozen) {
            offset = frozenAt - System.nanoTime();
            frozen = false;
        }
    }
}
