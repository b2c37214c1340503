package io.chainmesh.contract.transaction;

import java.util.UUID;

import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.ContractErrors;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@RestController
@Validated
@RequestMapping("/v1/transactions")
class TransactionController {

    private final Transactions transactions;

    TransactionController(Transactions transactions) {
        this.transactions = transactions;
    }

    @GetMapping
    Page<TransactionView> list(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) UUID instanceId,
            @RequestParam(required = false) String status) {
        return transactions.list(Caller.tenantOf(identity), instanceId, status(status), PageCursor.decode(cursor), limit);
    }

    @GetMapping("/{id}")
    TransactionView get(Identity identity, @PathVariable UUID id) {
        return transactions.get(Caller.tenantOf(identity), id);
    }

    private static TransactionStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TransactionStatus.valueOf(status.strip().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ContractErrors.INVALID_PARAMETER.exception("status must be one of PENDING, MINED, CONFIRMED, FAILED, REPLACED")
                    .with("parameter", "status");
        }
    }
}
