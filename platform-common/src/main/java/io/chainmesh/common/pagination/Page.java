package io.chainmesh.common.pagination;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list response: {@code {items, nextCursor}}; {@code nextCursor} is null on the last page.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from {@code limit + 1} fetched rows: the extra row only tells that there is more.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, PageCursor> cursorOf, Function<R, T> view) {
        boolean more = rows.size() > limit;
        List<R> page = more ? rows.subList(0, limit) : rows;
        String next = more ? cursorOf.apply(page.get(page.size() - 1)).encode() : null;
        return new Page<>(page.stream().map(view).toList(), next);
    }
}
