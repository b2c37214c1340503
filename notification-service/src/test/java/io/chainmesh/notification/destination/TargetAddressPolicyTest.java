package io.chainmesh.notification.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetAddressPolicyTest {

    private final TargetAddressPolicy strict = new TargetAddressPolicy(false, List.of());
    private final TargetAddressPolicy onPremise = new TargetAddressPolicy(true, List.of());

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource({
            "http://127.0.0.1/, loopback",
            "http://2130706433/, loopback",
            "http://017700000001/, loopback",
            "http://0x7f000001/, loopback",
            "http://0x7f.1/, loopback",
            "http://0177.0.0.01/, loopback",
            "http://127.1/, loopback",
            "http://[::1]:8080/, loopback",
            "http://[0:0:0:0:0:0:0:1]/, loopback",
            "http://[::ffff:127.0.0.1]/, loopback",
            "http://[::ffff:7f00:1]/, loopback",
            "http://[::127.0.0.1]/, loopback",
            "http://[64:ff9b::7f00:1]/, loopback",
            "http://[2002:7f00:1::]/, loopback",
            "http://10.1.2.3/, private",
            "http://172.31.255.255/, private",
            "http://192.168.0.10/, private",
            "http://100.64.0.1/, private",
            "http://0xc0a80001/, private",
            "http://[fc00::1]/, private",
            "http://[fd12::1]/, private",
            "http://169.254.169.254/, metadata",
            "http://169.254.170.2/, metadata",
            "http://[fd00:ec2::254]/, metadata",
            "http://[::ffff:a9fe:a9fe]/, metadata",
            "http://0251.0376.0251.0376/, metadata",
            "http://metadata.google.internal/, metadata",
            "http://METADATA.google.internal./, metadata",
            "http://100.100.100.200/, metadata",
            "http://169.254.0.1/, link_local",
            "http://[fe80::1]/, link_local",
            "http://224.0.0.251/, multicast",
            "http://[ff05::2]/, multicast",
            "http://0.0.0.0/, unspecified",
            "http://0/, unspecified",
            "http://[::]/, unspecified",
            "http://240.0.0.1/, reserved",
            "http://255.255.255.255/, reserved",
            "ftp://example.com/, scheme_not_allowed",
            "javascript:alert(1), scheme_not_allowed",
            "http://a:b@example.com/, credentials_in_url",
            "http://256.1.1.1/, invalid_url"})
    void refusesInternalTargetsInEveryForm(String url, String reason) {
        RefusedTargetException e = catchThrowableOfType(RefusedTargetException.class, () -> strict.checkUrl(url));
        assertThat(e).as(url).isNotNull();
        assertThat(e.reason()).as(url).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/hook", "http://10.0.0.1/", "http://[::1]/", "http://0x7f.1/",
            "http://[fd12::1]/"})
    void theOperatorSettingAllowsLoopbackAndPrivateTargets(String url) {
        assertThatCode(() -> onPremise.checkUrl(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://0xa9fea9fe/",
            "http://[::ffff:169.254.169.254]/", "http://metadata.google.internal/", "http://169.254.10.10/",
            "http://0.0.0.0/", "http://224.0.0.1/"})
    void metadataLinkLocalAndNonUnicastStayRefusedWhateverTheSetting(String url) {
        assertThat(catchThrowableOfType(RefusedTargetException.class, () -> onPremise.checkUrl(url))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/", "http://8.8.8.8:8080/x", "https://[2606:4700::1111]/"})
    void publicAddressesAreAllowed(String url) {
        assertThatCode(() -> strict.checkUrl(url)).doesNotThrowAnyException();
    }

    @org.junit.jupiter.api.Test
    void aNameThatDoesNotResolveYetIsAcceptedWhenSavedAndRefusedWhenConnecting() {
        assertThatCode(() -> strict.checkUrl("https://no-such-host.invalid/hook")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(RefusedTargetException.class, () -> strict.resolve("no-such-host.invalid"))
                .reason()).isEqualTo("unresolvable");
    }

    @org.junit.jupiter.api.Test
    void anAllowedCidrTrustsOnlyItsRange() {
        TargetAddressPolicy policy = new TargetAddressPolicy(false, List.of("10.20.0.0/16"));
        assertThatCode(() -> policy.checkUrl("http://10.20.3.4/")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(RefusedTargetException.class, () -> policy.checkUrl("http://10.21.0.1/"))
                .reason()).isEqualTo("private");
    }
}
