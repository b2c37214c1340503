package io.chainmesh.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** Clients branch on these codes: removing or renaming one is a breaking change, not a refactoring. */
    @Test
    void theCatalogueIsExactlyTheStableCodesEachNamedOnce() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"), "snake_case")
                .containsExactlyInAnyOrder("invalid_parameter", "invalid_range", "range_too_large");
    }
}
