package io.chainmesh.contract.definition;

import java.time.Instant;
import java.util.UUID;

import io.chainmesh.contract.connector.ContractInterface;

/**
 * A registered contract: its interface document (the ABI JSON as registered) parsed by its chain's connector, and
 * its creation code (null when it was registered for calls only).
 */
public record ContractDefinition(UUID id, UUID tenantId, String name, String interfaceJson,
        ContractInterface contractInterface, String bytecode, String format, Instant createdAt) {
}
