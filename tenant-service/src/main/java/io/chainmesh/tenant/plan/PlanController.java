package io.chainmesh.tenant.plan;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public plan catalogue; anonymous callers welcome. */
@RestController
class PlanController {

    private final PlanCatalogue plans;

    PlanController(PlanCatalogue plans) {
        this.plans = plans;
    }

    record PlanList(List<Plan> plans) {
    }

    @GetMapping("/v1/plans")
    PlanList plans() {
        return new PlanList(plans.all());
    }
}
