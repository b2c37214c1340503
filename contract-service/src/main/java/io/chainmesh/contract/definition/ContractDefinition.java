package io.chainmesh.contract.definition;

import java.time.Instant;
import java.util.UUID;

import io.chainmesh.contract.abi.ContractAbi;

/** A registered contract: its parsed ABI and creation bytecode (null when it was registered for calls only). */
public record ContractDefinition(UUID id, UUID tenantId, String name, String abiJson, ContractAbi abi, String bytecode,
        String format, Instant createdAt) {
}
