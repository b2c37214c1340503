package io.chainmesh.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void everyCodeIsDistinctAndSnakeCase() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
                .doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"), "snake_case");
    }

    @Test
    void anErrorCarriesItsCodeAndStatus() {
        var problem = ErrorCode.notFound("Webhook endpoint", "w1").toProblemDetail();
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getProperties()).containsEntry("code", "not_found");
        assertThat(problem.getDetail()).isEqualTo("Webhook endpoint w1 was not found");
    }
}
