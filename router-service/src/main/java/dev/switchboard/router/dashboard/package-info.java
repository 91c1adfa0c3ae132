/**
 * The live dashboard at {@code /dashboard} (issue #17): a static page from this jar's resources that subscribes to
 * {@code /dashboard/events}, a server-sent stream of one small JSON snapshot a second.
 *
 * <p>Start at {@link dev.switchboard.router.dashboard.Dashboard}: it owns the {@link
 * dev.switchboard.router.dashboard.DecisionFeed} (an exchange observer keeping a bounded ring of recent routing decisions
 * and gateway-overhead samples), the {@link dev.switchboard.router.dashboard.DashboardSampler} (reads the gateway's
 * Prometheus meters and the feed into a snapshot once a second) and the HTTP routes with their admin check.
 */
package dev.switchboard.router.dashboard;
