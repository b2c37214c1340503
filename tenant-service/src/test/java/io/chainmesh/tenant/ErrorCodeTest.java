package io.chainmesh.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** Clients branch on these codes: removing or renaming one is a breaking change, not a refactoring. */
    @Test
    void theCatalogueIsExactlyTheStableCodesEachNamedOnce() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"), "snake_case")
                .containsExactlyInAnyOrder("not_found", "unknown_plan", "email_taken", "invalid_credentials",
                        "tenant_suspended", "platform_tenant_protected", "scope_not_held", "api_key_limit_reached",
                        "usage_unavailable");
    }

    @Test
    void anErrorCarriesItsCodeAndStatus() {
        var problem = ErrorCode.notFound("Tenant", "t1").toProblemDetail();
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getProperties()).containsEntry("code", "not_found");
        assertThat(problem.getDetail()).isEqualTo("Tenant t1 was not found");
    }
}
