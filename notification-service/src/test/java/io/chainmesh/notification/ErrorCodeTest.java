package io.chainmesh.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** Clients branch on these codes: removing or renaming one is a breaking change, not a refactoring. */
    @Test
    void theCatalogueIsExactlyTheStableCodesEachNamedOnce() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"), "snake_case")
                .containsExactlyInAnyOrder("not_found", "invalid_parameter", "validation_failed", "invalid_cursor",
                        "webhook_url_refused", "invalid_event_type", "webhook_limit_reached", "endpoint_disabled");
    }

    @Test
    void anErrorCarriesItsCodeAndStatus() {
        var problem = ErrorCode.notFound("Webhook endpoint", "w1").toProblemDetail();
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getProperties()).containsEntry("code", "not_found");
        assertThat(problem.getDetail()).isEqualTo("Webhook endpoint w1 was not found");
    }
}
