package io.chainmesh.tenant.signup;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /v1/signup} body. */
record SignupRequest(
        @NotBlank @Size(min = 2, max = 64) String tenantName,
        @NotBlank @Email @Size(max = 254) String email,
        @NotNull @Size(min = 12, max = 128) String password) {

    @Override
    public String toString() {
        return "SignupRequest[tenantName=" + tenantName + ", email=" + email + "]";
    }
}
