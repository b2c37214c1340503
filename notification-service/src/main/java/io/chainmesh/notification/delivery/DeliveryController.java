package io.chainmesh.notification.delivery;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.swagger.v3.oas.annotations.Parameter;

/** The delivery log, manual replay, and test messages. The tenant comes from the identity token only. */
@RestController
class DeliveryController {

    private final DeliveryService service;

    DeliveryController(DeliveryService service) {
        this.service = service;
    }

    @GetMapping("/v1/webhooks/{id}/deliveries")
    DeliveryView.Page list(@Parameter(hidden = true) Identity identity, @PathVariable UUID id,
            @RequestParam(required = false) String status, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return service.list(tenant(identity, "read"), id, status, limit, cursor);
    }

    @GetMapping("/v1/deliveries/{id}")
    DeliveryView get(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        return service.get(tenant(identity, "read"), id);
    }

    /**
     * Replays one delivery now with a fresh retry schedule and the same {@code webhook-id}, so a receiver that did get
     * it can tell. 409 when its endpoint is disabled (enable it first).
     */
    @PostMapping("/v1/deliveries/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryView retry(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        return service.retry(tenant(identity, "write"), id);
    }

    /** Sends a {@code webhook.test} event to this endpoint only, whatever its filter says. */
    @PostMapping("/v1/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeliveryView test(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        return service.test(tenant(identity, "write"), id);
    }

    private static UUID tenant(Identity identity, String scope) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, scope);
        return tenantId;
    }
}
