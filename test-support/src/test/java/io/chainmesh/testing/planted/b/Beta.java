package io.chainmesh.testing.planted.b;

import io.chainmesh.testing.planted.a.Alpha;

/** The other half of the planted cycle. */
public class Beta {

    public Alpha partner() {
        return new Alpha();
    }
}
