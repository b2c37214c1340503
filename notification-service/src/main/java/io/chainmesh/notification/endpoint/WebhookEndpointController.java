package io.chainmesh.notification.endpoint;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;

/** {@code /v1/webhooks}: a tenant's endpoints. The tenant comes from the identity token only. */
@RestController
@RequestMapping("/v1/webhooks")
class WebhookEndpointController {

    private final WebhookEndpointService service;

    WebhookEndpointController(WebhookEndpointService service) {
        this.service = service;
    }

    @GetMapping
    WebhookEndpointView.Page list(@Parameter(hidden = true) Identity identity,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return service.list(reader(identity), limit, cursor);
    }

    /** The response carries the signing secret; it is never shown again (rotate to get a new one). */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    WebhookEndpointView create(@Parameter(hidden = true) Identity identity,
            @Valid @RequestBody WebhookEndpointRequests.Create request) {
        return service.create(writer(identity), request);
    }

    @GetMapping("/{id}")
    WebhookEndpointView get(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        return service.get(reader(identity), id);
    }

    @PatchMapping("/{id}")
    WebhookEndpointView update(@Parameter(hidden = true) Identity identity, @PathVariable UUID id,
            @Valid @RequestBody WebhookEndpointRequests.Update request) {
        return service.update(writer(identity), id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@Parameter(hidden = true) Identity identity, @PathVariable UUID id) {
        service.delete(writer(identity), id);
    }

    /**
     * New secret, shown once; deliveries carry a second signature made with the old secret until the overlap ends,
     * so receivers can switch without dropping a message (Standard Webhooks: multiple signatures).
     */
    @PostMapping("/{id}/rotate-secret")
    WebhookEndpointView.RotatedSecret rotate(@Parameter(hidden = true) Identity identity, @PathVariable UUID id,
            @Valid @RequestBody(required = false) WebhookEndpointRequests.RotateSecret request) {
        return service.rotate(writer(identity), id, request);
    }

    static UUID reader(Identity identity) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, "read");
        return tenantId;
    }

    static UUID writer(Identity identity) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, "write");
        return tenantId;
    }
}
