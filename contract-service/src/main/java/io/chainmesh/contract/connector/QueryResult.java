package io.chainmesh.contract.connector;

import tools.jackson.databind.JsonNode;

/** A read's decoded outputs by name; {@code method} is the signature that was called. */
public record QueryResult(String method, JsonNode outputs) {
}
