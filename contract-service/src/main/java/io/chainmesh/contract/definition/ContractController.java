package io.chainmesh.contract.definition;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
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
@RequestMapping("/v1/contracts")
class ContractController {

    private final Contracts contracts;

    ContractController(Contracts contracts) {
        this.contracts = contracts;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ContractDtos.ContractView register(Identity identity, @Valid @RequestBody ContractDtos.RegisterContractRequest request) {
        Caller.requireScope(identity, "write");
        return contracts.register(Caller.tenantOf(identity), request);
    }

    @GetMapping
    Page<ContractDtos.ContractView> list(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor) {
        return contracts.list(Caller.tenantOf(identity), PageCursor.decode(cursor), limit);
    }

    @GetMapping("/{id}")
    ContractDtos.ContractView get(Identity identity, @PathVariable UUID id) {
        return contracts.get(Caller.tenantOf(identity), id);
    }
}
