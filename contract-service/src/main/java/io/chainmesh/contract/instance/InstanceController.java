package io.chainmesh.contract.instance;

import java.time.Duration;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.transaction.RequestFingerprint;
import io.chainmesh.contract.transaction.TransactionView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deploy ({@code POST /v1/contracts/{id}/deploy}), instances, call and send. Deploy and send honour
 * {@code Idempotency-Key}; {@code ?confirm=true} waits (bounded by {@code timeout} seconds, default 30, and by configuration) for the
 * transaction to settle and answers 200, otherwise 202 with the pending state.
 */
@RestController
@Validated
class InstanceController {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Instances instances;
    private final JsonMapper json;

    InstanceController(Instances instances, JsonMapper json) {
        this.instances = instances;
        this.json = json;
    }

    @PostMapping("/v1/contracts/{contractId}/deploy")
    ResponseEntity<?> deploy(Identity identity, @PathVariable UUID contractId,
            @Valid @RequestBody InstanceDtos.DeployRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestParam(defaultValue = "false") boolean confirm,
            @RequestParam(defaultValue = "30") @Min(1) @Max(600) int timeout) {
        Caller.requireScope(identity, "write");
        UUID tenantId = Caller.tenantOf(identity);
        String key = idempotencyKey(idempotencyKey);
        Instances.Outcome outcome = instances.deploy(tenantId, contractId, request, key,
                key == null ? null : RequestFingerprint.of(json, "POST", "/v1/contracts/" + contractId + "/deploy", request));
        if (confirm) {
            TransactionView settled = instances.await(tenantId, outcome.transaction().id(), Duration.ofSeconds(timeout));
            return ResponseEntity.status(settled.status().isTerminal() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                    .body(instances.currentOperation(tenantId, settled.id()));
        }
        return raw(HttpStatus.ACCEPTED, outcome);
    }

    @PostMapping("/v1/instances")
    @ResponseStatus(HttpStatus.CREATED)
    InstanceDtos.InstanceView register(Identity identity, @Valid @RequestBody InstanceDtos.RegisterInstanceRequest request) {
        Caller.requireScope(identity, "write");
        return instances.register(Caller.tenantOf(identity), request);
    }

    @GetMapping("/v1/instances")
    Page<InstanceDtos.InstanceView> list(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) UUID contractId) {
        return instances.list(Caller.tenantOf(identity), contractId, PageCursor.decode(cursor), limit);
    }

    @GetMapping("/v1/instances/{id}")
    InstanceDtos.InstanceView get(Identity identity, @PathVariable UUID id) {
        return instances.get(Caller.tenantOf(identity), id);
    }

    @PostMapping("/v1/instances/{id}/call/{method}")
    InstanceDtos.CallResult call(Identity identity, @PathVariable UUID id, @PathVariable String method,
            @Valid @RequestBody(required = false) InstanceDtos.CallRequest request) {
        return instances.call(Caller.tenantOf(identity), id, method, request);
    }

    @PostMapping("/v1/instances/{id}/send/{method}")
    ResponseEntity<?> send(Identity identity, @PathVariable UUID id, @PathVariable String method,
            @Valid @RequestBody InstanceDtos.SendRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestParam(defaultValue = "false") boolean confirm,
            @RequestParam(defaultValue = "30") @Min(1) @Max(600) int timeout) {
        Caller.requireScope(identity, "write");
        UUID tenantId = Caller.tenantOf(identity);
        String key = idempotencyKey(idempotencyKey);
        Instances.Outcome outcome = instances.send(tenantId, id, method, request, key,
                key == null ? null : RequestFingerprint.of(json, "POST", "/v1/instances/" + id + "/send/" + method, request));
        if (confirm) {
            TransactionView settled = instances.await(tenantId, outcome.transaction().id(), Duration.ofSeconds(timeout));
            return ResponseEntity.status(settled.status().isTerminal() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(settled);
        }
        return raw(HttpStatus.ACCEPTED, outcome);
    }

    /** The stored response, byte for byte, so an idempotent retry gets exactly what the first request got. */
    private static ResponseEntity<String> raw(HttpStatus status, Instances.Outcome outcome) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotent-Replayed", String.valueOf(outcome.replayed())).body(outcome.body());
    }

    private static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 255) {
            throw ContractErrors.INVALID_IDEMPOTENCY_KEY.exception("Idempotency-Key must be 1 to 255 characters")
                    .with("header", IDEMPOTENCY_KEY);
        }
        return key;
    }
}
