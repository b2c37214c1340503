package io.chainmesh.notification.delivery;

import java.time.Instant;

/**
 * One attempt of a claimed delivery that got an outcome (a response, or none), to be recorded.
 *
 * @param delivery  the delivery as claimed (its attempt number guards the outcome against a newer claim)
 * @param outcome   what the transport reported
 * @param startedAt when the attempt started (the attempt log's time)
 * @param endedAt   when the outcome arrived (the completion time, or the base of the next due time)
 */
record FinishedAttempt(DeliveryRepository.Claimed delivery, WebhookTransport.Outcome outcome, Instant startedAt,
        Instant endedAt) {
}
