package io.chainmesh.gateway.usage;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.chainmesh.common.events.UsageRecorded;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.gateway.auth.Caller;
import io.chainmesh.gateway.limits.TenantLimitFilter;
import io.chainmesh.gateway.rpc.RpcCost;
import io.chainmesh.gateway.web.FilterOrder;
import io.chainmesh.gateway.web.GatewayProblems;
import io.chainmesh.gateway.web.PathTemplates;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Emits one {@link UsageRecorded} per request of a tenant caller (API key or JWT), whatever its outcome (including
 * refusals such as 403 insufficient_scope and 429, which analytics counts as errors), with status, latency, bytes and
 * the compute units charged. Runs outermost so latency covers authentication and limits; reads the caller when the
 * request completes. Anonymous (public) requests are not metered. The event is only built here; its envelope and
 * JSON are made by {@link UsageRecorder}'s sender, off the request path.
 */
@Component
class UsageRecordingFilter implements GlobalFilter, Ordered {

    private static final int CLIENT_CLOSED_REQUEST = 499;

    private final UsageRecorder recorder;

    UsageRecordingFilter(UsageRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long startNanos = System.nanoTime();
        Instant startedAt = Instant.now();
        LongAdder responseBytes = new LongAdder();
        AtomicBoolean recorded = new AtomicBoolean();
        ServerHttpResponse counting = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(Flux.from(body).doOnNext(b -> responseBytes.add(b.readableByteCount())));
            }
        };
        ServerWebExchange metered = exchange.mutate().response(counting).build();
        return chain.filter(metered)
                .doOnSuccess(v -> {
                    HttpStatusCode status = metered.getResponse().getStatusCode();
                    record(metered, recorded, startedAt, startNanos, status == null ? 200 : status.value(),
                            responseBytes.sum());
                })
                .doOnError(e -> record(metered, recorded, startedAt, startNanos, GatewayProblems.statusOf(e), 0))
                .doOnCancel(() -> record(metered, recorded, startedAt, startNanos, CLIENT_CLOSED_REQUEST,
                        responseBytes.sum()));
    }

    private void record(ServerWebExchange exchange, AtomicBoolean recorded, Instant startedAt, long startNanos,
            int status, long responseBytes) {
        Caller caller = exchange.getAttribute(Caller.ATTRIBUTE);
        if (caller == null || !caller.isTenant() || !recorded.compareAndSet(false, true)) {
            return;
        }
        ServerHttpRequest request = exchange.getRequest();
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Integer computeUnits = exchange.getAttribute(TenantLimitFilter.COMPUTE_UNITS_ATTRIBUTE);
        RpcCost rpc = exchange.getAttribute(RpcCost.ATTRIBUTE);
        boolean batch = rpc != null && rpc.calls() > 1;
        Identity identity = caller.identity();
        UsageRecorded usage = new UsageRecorded(identity.keyId(), identity.principal(),
                route == null ? null : route.getId(), request.getMethod().name(),
                PathTemplates.of(request.getPath().value()), null, rpc == null ? null : rpc.method(),
                batch ? rpc.calls() : null, batch ? rpc.methods() : null, status,
                (System.nanoTime() - startNanos) / 1_000_000.0, Math.max(0, request.getHeaders().getContentLength()),
                responseBytes, computeUnits == null ? 0 : computeUnits);
        recorder.record(identity.tenantId(), usage, startedAt);
    }

    @Override
    public int getOrder() {
        return FilterOrder.USAGE_RECORDING;
    }
}
