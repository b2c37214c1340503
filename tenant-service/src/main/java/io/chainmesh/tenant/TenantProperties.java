package io.chainmesh.tenant;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Settings of tenant-service, under {@code chainmesh.tenant}.
 *
 * @param operator  the operator account created (or re-keyed) at every start
 * @param jwt       access tokens issued by {@code POST /v1/auth/token}
 * @param passwords password hashing
 * @param apiKeys   API key issuance
 */
@Validated
@ConfigurationProperties("chainmesh.tenant")
public record TenantProperties(@Valid @NotNull Operator operator, @Valid @DefaultValue Jwt jwt,
        @Valid @DefaultValue Passwords passwords, @Valid @DefaultValue ApiKeys apiKeys) {

    /**
     * @param email      login of the operator (env CHAINMESH_OPERATOR_EMAIL)
     * @param password   its password (env CHAINMESH_OPERATOR_PASSWORD); the stored hash follows it on restart
     * @param tenantName name of the operators' own tenant, on the enterprise plan
     */
    public record Operator(@NotBlank @Email String email, @NotNull @Size(min = 12, max = 128) String password,
            @DefaultValue("platform") @NotBlank String tenantName) {

        @Override
        public String toString() {
            // keeps the password out of any log that prints the configuration
            return "Operator[email=" + email + ", tenantName=" + tenantName + "]";
        }
    }

    /**
     * @param issuer   {@code iss} of access tokens
     * @param audience {@code aud} of access tokens
     * @param ttl      lifetime of an access token
     * @param keySize  RSA modulus length of a newly generated signing key
     */
    public record Jwt(@DefaultValue("chainmesh") @NotBlank String issuer,
            @DefaultValue("chainmesh-api") @NotBlank String audience, @DefaultValue("1h") @NotNull Duration ttl,
            @DefaultValue("2048") @Min(2048) @Max(8192) int keySize) {
    }

    /** @param bcryptStrength log2 of BCrypt rounds; 12 is ~0.25 s per hash on a server core */
    public record Passwords(@DefaultValue("12") @Min(4) @Max(16) int bcryptStrength) {
    }

    /**
     * @param maxActivePerTenant cap on unrevoked keys per tenant, so a runaway script cannot mint millions
     * @param defaultScopes      scopes of a key created without any
     */
    public record ApiKeys(@DefaultValue("100") @Min(1) int maxActivePerTenant,
            @DefaultValue({"read", "write", "rpc"}) @NotEmpty List<@Pattern(regexp = "read|write|rpc|keys") String> defaultScopes) {
    }
}
