package dev.switchboard.router.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

record GeminiGenerationConfig(
    Double temperature,
    Double topP,
    Long maxOutputTokens,
    List<String> stopSequences,
    Integer candidateCount,
    String responseMimeType,
    JsonNode responseJsonSchema,
    Long seed,
    Double presencePenalty,
    Double frequencyPenalty) {

  boolean isEmpty() {
    return temperature == null && topP == null && maxOutputTokens == null && stopSequences == null
        && candidateCount == null && responseMimeType == null && responseJsonSchema == null && seed == null
        && presencePenalty == null && frequencyPenalty == null;
  }
}
