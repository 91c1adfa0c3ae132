package dev.switchboard.router.dashboard;

/**
 * One finished request as the dashboard lists it.
 *
 * @param atEpochMs when it arrived
 * @param requestId the gateway's request id
 * @param route the route alias called
 * @param model the deployment that answered, or null when none did
 * @param status the HTTP status returned
 * @param difficulty the classifier's difficulty (eval-driven routes), or null
 * @param predictedQuality the chosen model's predicted quality, or null
 * @param why the routing reason: a {@code Decision.Reason} in lower case, {@code fallback:<reason>}, or {@code static}
 * @param attempts upstream attempts made (more than one: an upstream failed and the next deployment answered)
 * @param costUsd estimated cost from the configured prices
 * @param overheadMs time the gateway added (wall time minus upstream waits and retry backoff)
 * @param excerpt the start of the last user message as the capture mode allows (null under {@code none})
 */
public record RecentDecision(long atEpochMs, String requestId, String route, String model, int status, Double difficulty,
    Double predictedQuality, String why, int attempts, double costUsd, double overheadMs, String excerpt) {}
