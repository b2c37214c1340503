package io.chainmesh.contract.subscription;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@RestController
@Validated
@RequestMapping("/v1/subscriptions")
class SubscriptionController {

    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    SubscriptionDtos.SubscriptionView create(Identity identity, @Valid @RequestBody SubscriptionDtos.CreateSubscriptionRequest request) {
        Caller.requireScope(identity, "write");
        return subscriptions.create(Caller.tenantOf(identity), request);
    }

    @GetMapping
    Page<SubscriptionDtos.SubscriptionView> list(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor) {
        return subscriptions.list(Caller.tenantOf(identity), PageCursor.decode(cursor), limit);
    }

    @GetMapping("/{id}")
    SubscriptionDtos.SubscriptionView get(Identity identity, @PathVariable UUID id) {
        return subscriptions.get(Caller.tenantOf(identity), id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Identity identity, @PathVariable UUID id) {
        Caller.requireScope(identity, "write");
        subscriptions.delete(Caller.tenantOf(identity), id);
    }

    @GetMapping("/{id}/events")
    Page<SubscriptionDtos.ContractEventView> events(Identity identity, @PathVariable UUID id,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) String cursor) {
        return subscriptions.events(Caller.tenantOf(identity), id, cursor, limit);
    }
}
