package io.chainmesh.testing.planted.a;

import io.chainmesh.testing.planted.b.Beta;

/** Half of a cycle planted for {@code ServiceArchitectureTest}: it uses {@link Beta}, which uses it. */
public class Alpha {

    public Beta partner() {
        return new Beta();
    }
}
