package io.chainmesh.analytics.usage;

import java.time.Instant;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.swagger.v3.oas.annotations.Parameter;

@RestController
class UsageController {

    private final UsageReporter reporter;

    UsageController(UsageReporter reporter) {
        this.reporter = reporter;
    }

    /**
     * The caller's own usage; the tenant comes from the identity token only, never from the query. The identity
     * is hidden from the OpenAPI document: it is the gateway's internal header, not a client parameter.
     */
    @GetMapping("/v1/analytics/usage")
    UsageReport usage(@Parameter(hidden = true) Identity identity, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String interval) {
        var tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, "read");
        return reporter.report(tenantId, from, to, interval);
    }
}
