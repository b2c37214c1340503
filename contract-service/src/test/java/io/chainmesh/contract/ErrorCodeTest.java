package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.problem.ApiException;

class ErrorCodeTest {

    @Test
    void everyCodeIsDistinct() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).distinct().count())
                .isEqualTo(ErrorCode.values().length);
    }

    @Test
    void eachCodeIsItsConstantsNameInSnakeCase() {
        for (ErrorCode e : ErrorCode.values()) {
            assertThat(e.code()).as(e.name()).isEqualTo(e.name().toLowerCase(Locale.ROOT)).matches("[a-z]+(_[a-z]+)*");
        }
    }

    @Test
    void aProblemCarriesTheCodesStatusAndTitle() {
        ApiException problem = ErrorCode.GAS_LIMIT_TOO_LOW.problem("gasLimit 1 is below 21000");
        assertThat(problem.code()).isEqualTo("gas_limit_too_low");
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.toProblemDetail().getTitle()).isEqualTo("Bad request");
        assertThat(problem.getMessage()).isEqualTo("gasLimit 1 is below 21000");
        assertThat(ErrorCode.notFound("Wallet", "w1").getMessage()).isEqualTo("Wallet w1 was not found");
    }
}
