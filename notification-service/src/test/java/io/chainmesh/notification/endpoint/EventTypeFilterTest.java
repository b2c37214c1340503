package io.chainmesh.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EventTypeFilterTest {

    @Test
    void aPrefixWildcardMatchesEveryTypeBelowItButNotThePrefixAlone() {
        assertThat(EventTypeFilter.matches(List.of("tx.*"), "tx.confirmed")).isTrue();
        assertThat(EventTypeFilter.matches(List.of("tx.*"), "tx.receipt.final")).isTrue();
        assertThat(EventTypeFilter.matches(List.of("tx.*"), "tx")).isFalse();
        assertThat(EventTypeFilter.matches(List.of("tx.*"), "txn.confirmed")).isFalse();
        assertThat(EventTypeFilter.matches(List.of("tx.*"), "contract.event")).isFalse();
    }

    @Test
    void exactTypesStarAndNoFilterMatchAsDocumented() {
        assertThat(EventTypeFilter.matches(List.of("contract.event"), "contract.event")).isTrue();
        assertThat(EventTypeFilter.matches(List.of("contract.event"), "contract.events")).isFalse();
        assertThat(EventTypeFilter.matches(List.of("*"), "node.running")).isTrue();
        assertThat(EventTypeFilter.matches(List.of(), "node.running")).isTrue();
    }

    @Test
    void onlyWellFormedPatternsAreValid() {
        assertThat(EventTypeFilter.isValid("tx.*")).isTrue();
        assertThat(EventTypeFilter.isValid("api_key.revoked")).isTrue();
        assertThat(EventTypeFilter.isValid("tx.*.mined")).isFalse();
        assertThat(EventTypeFilter.isValid("tx,node")).isFalse();
        assertThat(EventTypeFilter.isValid("")).isFalse();
    }
}
