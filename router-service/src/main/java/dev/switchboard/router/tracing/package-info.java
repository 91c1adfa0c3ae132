/**
 * OpenTelemetry tracing of chat requests (issue #17). Start at {@link dev.switchboard.router.tracing.Tracing}: off
 * unless the {@code OTEL_*} variables ask for traces; when on, each request gets a span tree through the pipeline's
 * {@link dev.switchboard.router.chat.RequestTrace}.
 */
package dev.switchboard.router.tracing;
