package io.chainmesh.notification.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.notification.ErrorCode;
import io.chainmesh.notification.NotificationProperties;
import io.chainmesh.notification.destination.RefusedTargetException;
import io.chainmesh.notification.destination.TargetAddressPolicy;

/** Creates, changes and removes a tenant's webhook endpoints; enforces the URL guard and the plan's quota. */
@Service
class WebhookEndpointService {

    private final WebhookEndpointRepository endpoints;
    private final TenantLimitsClient tenantLimits;
    private final TargetAddressPolicy targets;
    private final SigningSecretCipher secrets;
    private final TransactionTemplate tx;
    private final NotificationProperties.Endpoints limits;
    private final Clock clock;

    WebhookEndpointService(WebhookEndpointRepository endpoints, TenantLimitsClient tenantLimits,
            TargetAddressPolicy targets, SigningSecretCipher secrets, TransactionTemplate tx,
            NotificationProperties properties, Clock clock) {
        this.endpoints = endpoints;
        this.tenantLimits = tenantLimits;
        this.targets = targets;
        this.secrets = secrets;
        this.tx = tx;
        this.limits = properties.endpoints();
        this.clock = clock;
    }

    WebhookEndpointView create(UUID tenantId, WebhookEndpointRequests.Create request) {
        checkUrl(request.url());
        List<String> eventTypes = eventTypes(request.eventTypes());
        String description = description(request.description());
        // Read before the transaction: a slow tenant-service must not hold the tenant's lock.
        int maxWebhooks = tenantLimits.maxWebhooks(tenantId);
        UUID id = UUID.randomUUID();
        String secret = WebhookSecret.generate();
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            endpoints.lockTenant(tenantId);
            int existing = endpoints.count(tenantId);
            if (existing >= maxWebhooks) {
                throw ErrorCode.WEBHOOK_LIMIT_REACHED.exception("The plan allows " + maxWebhooks + " webhook endpoints and " + existing
                                + " exist; delete one or upgrade the plan")
                        .with("limit", maxWebhooks);
            }
            endpoints.insert(tenantId, id, request.url(), description, eventTypes,
                    request.enabled() == null || request.enabled(), secrets.seal(tenantId, id, secret), now);
        });
        return WebhookEndpointView.withSecret(require(tenantId, id), now, secret);
    }

    WebhookEndpointView.Page list(UUID tenantId, Integer limit, String cursor) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw ErrorCode.INVALID_PARAMETER.exception("Parameter 'limit' must be between 1 and 200")
                    .with("parameter", "limit");
        }
        long after = Cursors.decode(cursor);
        List<WebhookEndpoint> page = endpoints.page(tenantId, after, size + 1);
        Instant now = clock.instant();
        List<WebhookEndpointView> items = page.stream().limit(size).map(e -> WebhookEndpointView.of(e, now)).toList();
        String next = page.size() > size ? Cursors.encode(page.get(size - 1).seq()) : null;
        return new WebhookEndpointView.Page(items, next);
    }

    WebhookEndpointView get(UUID tenantId, UUID id) {
        return WebhookEndpointView.of(require(tenantId, id), clock.instant());
    }

    WebhookEndpointView update(UUID tenantId, UUID id, WebhookEndpointRequests.Update request) {
        WebhookEndpoint current = require(tenantId, id);
        String url = request.url() == null ? current.url() : request.url();
        if (request.url() != null) {
            checkUrl(url);
        }
        List<String> eventTypes = request.eventTypes() == null ? current.eventTypes() : eventTypes(request.eventTypes());
        String description = request.description() == null ? current.description() : description(request.description());
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            endpoints.update(tenantId, id, url, description, eventTypes, now);
            if (Boolean.TRUE.equals(request.enabled()) && !current.enabled()) {
                endpoints.enable(tenantId, id, now);
            } else if (Boolean.FALSE.equals(request.enabled()) && current.enabled()) {
                endpoints.disable(tenantId, id, null, now);
            }
        });
        return get(tenantId, id);
    }

    void delete(UUID tenantId, UUID id) {
        if (!endpoints.delete(tenantId, id)) {
            throw ErrorCode.notFound("Webhook endpoint", id);
        }
    }

    WebhookEndpointView.RotatedSecret rotate(UUID tenantId, UUID id, WebhookEndpointRequests.RotateSecret request) {
        require(tenantId, id);
        Duration overlap = request == null || request.overlapSeconds() == null ? limits.rotationOverlap()
                : Duration.ofSeconds(request.overlapSeconds());
        if (overlap.compareTo(limits.maxRotationOverlap()) > 0) {
            throw ErrorCode.VALIDATION_FAILED.exception("overlapSeconds may be at most "
                    + limits.maxRotationOverlap().toSeconds()).with("field", "overlapSeconds");
        }
        String secret = WebhookSecret.generate();
        Instant now = clock.instant();
        Instant previousExpires = now.plus(overlap).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        endpoints.rotate(tenantId, id, secrets.seal(tenantId, id, secret), previousExpires, now);
        return new WebhookEndpointView.RotatedSecret(id, secret, overlap.isZero() ? null : previousExpires);
    }

    private WebhookEndpoint require(UUID tenantId, UUID id) {
        return endpoints.find(tenantId, id).orElseThrow(() -> ErrorCode.notFound("Webhook endpoint", id));
    }

    private void checkUrl(String url) {
        try {
            targets.checkUrl(url);
        } catch (RefusedTargetException e) {
            throw ErrorCode.WEBHOOK_URL_REFUSED.exception(e.getMessage())
                    .with("field", "url").with("reason", e.reason());
        }
    }

    private List<String> eventTypes(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > limits.maxEventTypes()) {
            throw ErrorCode.VALIDATION_FAILED.exception("At most " + limits.maxEventTypes()
                    + " event types per endpoint").with("field", "eventTypes");
        }
        List<String> valid = new ArrayList<>();
        for (String pattern : new LinkedHashSet<>(requested)) {
            if (!EventTypeFilter.isValid(pattern)) {
                throw ErrorCode.INVALID_EVENT_TYPE.exception("'" + pattern
                        + "' is not an event type pattern; use e.g. tx.confirmed, tx.* or *")
                        .with("field", "eventTypes");
            }
            valid.add(pattern);
        }
        return valid;
    }

    private String description(String description) {
        String d = description == null ? "" : description.strip();
        if (d.length() > limits.maxDescriptionLength()) {
            throw ErrorCode.VALIDATION_FAILED.exception("description may be at most "
                    + limits.maxDescriptionLength() + " characters").with("field", "description");
        }
        return d;
    }
}
