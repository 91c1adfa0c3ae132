package dev.switchboard.router.providers.anthropic;

import java.util.List;

/** POST /v1/messages body. */
record AnthropicMessagesRequest(
    String model,
    long maxTokens,
    List<AnthropicMessage> messages,
    String system,
    Double temperature,
    Double topP,
    List<String> stopSequences,
    List<AnthropicTool> tools,
    AnthropicToolChoice toolChoice,
    Boolean stream,
    AnthropicMetadata metadata) {}
