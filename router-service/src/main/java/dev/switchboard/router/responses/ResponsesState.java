package dev.switchboard.router.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What answering one Responses request needs of it, kept from parsing to the answer.
 *
 * @param request the client's Responses body (echoed in the Response object)
 * @param partition the store partition: the caller's key id, {@code ""} with auth off
 * @param conversation prior turns and this request's input as chat messages (stored with the answer)
 */
record ResponsesState(String responseId, ObjectNode request, long createdAtSeconds, boolean store, String partition,
    ArrayNode conversation) {}
