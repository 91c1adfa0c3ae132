package dev.switchboard.router.providers.anthropic;

import java.util.List;

/** One turn; content is always sent as blocks so consecutive turns can be merged. */
record AnthropicMessage(String role, List<AnthropicContentBlock> content) {}
