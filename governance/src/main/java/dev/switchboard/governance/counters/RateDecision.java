package dev.switchboard.governance.counters;

import java.time.Duration;

/**
 * What {@link LiveCounters#admit} decided. When the key and its team both limit the same thing, the quota
 * shown is the tighter one (less remaining), which is the one the client will hit first.
 *
 * @param allowed whether the request may go ahead (it was then counted in every window)
 * @param deniedBy the window that refused it, or {@code null} when allowed
 * @param requests the requests-per-minute quota to report, or {@code null} when neither key nor team has one
 * @param tokens the tokens-per-minute quota to report, or {@code null} when neither has one
 * @param retryAfter when denied, how long until this request would fit if nothing else arrived (for
 *     {@code Retry-After}, rounded up to seconds); {@code null} when allowed, or when it can never fit
 *     because its token estimate alone exceeds the limit
 * @param charge when allowed, the token estimate to correct later; {@code null} when denied
 */
public record RateDecision(
    boolean allowed,
    RateWindow deniedBy,
    Quota requests,
    Quota tokens,
    Duration retryAfter,
    TokenCharge charge) {}
