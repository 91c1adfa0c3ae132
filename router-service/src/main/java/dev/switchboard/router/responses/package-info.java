/**
 * {@code POST /v1/responses} (OpenAI's Responses API) over the chat pipeline: a request is translated to a chat
 * request ({@link dev.switchboard.router.responses.ResponsesTranslator}), routed like any chat request, and the chat
 * answer or stream is written back as a Response object or the Responses event sequence
 * ({@link dev.switchboard.router.responses.ResponsesDialect}). Stored responses, for {@code previous_response_id} and
 * {@code GET/DELETE /v1/responses/{id}}, live in a bounded in-memory {@link dev.switchboard.router.responses.ResponseStore}
 * partitioned by API key.
 */
package dev.switchboard.router.responses;
