package io.chainmesh.contract.wallet;

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
@RequestMapping("/v1/wallets")
class WalletController {

    private final Wallets wallets;

    WalletController(Wallets wallets) {
        this.wallets = wallets;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    WalletView create(Identity identity, @Valid @RequestBody(required = false) WalletDtos.CreateWalletRequest request) {
        Caller.requireScope(identity, "write");
        return wallets.create(Caller.tenantOf(identity), request == null ? new WalletDtos.CreateWalletRequest(null, null) : request);
    }

    @GetMapping
    Page<WalletView> list(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor) {
        return wallets.list(Caller.tenantOf(identity), PageCursor.decode(cursor), limit);
    }

    @GetMapping("/{id}")
    WalletView get(Identity identity, @PathVariable UUID id) {
        return wallets.get(Caller.tenantOf(identity), id);
    }
}
