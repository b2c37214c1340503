package io.chainmesh.common.events;

/** Stream names from DESIGN.md. Keys carry no tenant: a stream is shared by all tenants by design. */
public final class Streams {

    public static final String USAGE = "chainmesh.usage";
    public static final String TENANT = "chainmesh.tenant";
    public static final String CHAIN = "chainmesh.chain";
    public static final String TX = "chainmesh.tx";
    public static final String CONTRACT_EVENTS = "chainmesh.contract-events";

    /** The single stream field holding the JSON envelope. */
    public static final String FIELD = "event";

    private Streams() {
    }

    /** Where a message goes after it failed too many times, so one poison event cannot stall a group. */
    public static String deadLetterOf(String stream) {
        return stream + ".dead";
    }
}
