package io.chainmesh.tenant.signup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

class SignupRequestTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void validRequestPasses() {
        assertThat(VALIDATOR.validate(new SignupRequest("Ac", "ann@example.com", "p".repeat(12)))).isEmpty();
        assertThat(VALIDATOR.validate(new SignupRequest("A".repeat(64), "ann@example.com", "p".repeat(128)))).isEmpty();
    }

    @Test
    void eachBrokenRuleNamesItsField() {
        assertThat(fields(new SignupRequest("A", "ann@example.com", "p".repeat(12)))).containsExactly("tenantName");
        assertThat(fields(new SignupRequest("A".repeat(65), "ann@example.com", "p".repeat(12)))).containsExactly("tenantName");
        assertThat(fields(new SignupRequest("Acme", "ann", "p".repeat(12)))).containsExactly("email");
        assertThat(fields(new SignupRequest("Acme", "ann@example.com", "p".repeat(11)))).containsExactly("password");
        assertThat(fields(new SignupRequest("Acme", "ann@example.com", "p".repeat(129)))).containsExactly("password");
        assertThat(fields(new SignupRequest(null, null, null))).containsExactlyInAnyOrder("tenantName", "email", "password");
    }

    @Test
    void passwordNeverAppearsInToString() {
        assertThat(new SignupRequest("Acme", "ann@example.com", "secret-password-1").toString())
                .doesNotContain("secret-password-1");
    }

    private static Set<String> fields(SignupRequest request) {
        Set<ConstraintViolation<SignupRequest>> violations = VALIDATOR.validate(request);
        return violations.stream().map(v -> v.getPropertyPath().toString()).collect(Collectors.toSet());
    }
}
