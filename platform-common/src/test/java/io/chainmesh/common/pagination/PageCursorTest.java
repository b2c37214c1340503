package io.chainmesh.common.pagination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.problem.ApiException;

class PageCursorTest {

    @Test
    void cursorSurvivesEncodingWithMicrosecondPrecision() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-03-01T10:15:30.123456Z"), UUID.randomUUID());
        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void missingCursorMeansTheFirstPage() {
        assertThat(PageCursor.decode(null)).isNull();
        assertThat(PageCursor.decode("")).isNull();
    }

    @Test
    void cursorNotMadeByUsIsABadRequest() {
        for (String bad : List.of("garbage!", "bm90LWEtY3Vyc29y", "MTIzOm5vdC1hLXV1aWQ")) {
            assertThatThrownBy(() -> PageCursor.decode(bad)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
        }
    }

    @Test
    void pageCarriesACursorOnlyWhenMoreRowsExist() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<PageCursor> rows = List.of(new PageCursor(t.plusSeconds(3), UUID.randomUUID()),
                new PageCursor(t.plusSeconds(2), UUID.randomUUID()), new PageCursor(t.plusSeconds(1), UUID.randomUUID()));

        Page<UUID> full = Page.of(rows, 2, r -> r, PageCursor::id);
        assertThat(full.items()).containsExactly(rows.get(0).id(), rows.get(1).id());
        assertThat(PageCursor.decode(full.nextCursor())).isEqualTo(rows.get(1));

        Page<UUID> last = Page.of(rows, 3, r -> r, PageCursor::id);
        assertThat(last.items()).hasSize(3);
        assertThat(last.nextCursor()).isNull();
    }
}
