package dev.switchboard.router.providers.gemini;

/**
 * A part of any kind; exactly one data field is set. {@code thought} marks thinking text;
 * {@code thoughtSignature} is Gemini's opaque token for its reasoning, which Gemini 3 requires
 * back on the {@code functionCall} part of the follow-up request.
 */
record GeminiPart(
    String text,
    GeminiBlob inlineData,
    GeminiFileData fileData,
    GeminiFunctionCall functionCall,
    GeminiFunctionResponse functionResponse,
    Boolean thought,
    String thoughtSignature) {

  static GeminiPart text(String text) {
    return new GeminiPart(text, null, null, null, null, null, null);
  }

  static GeminiPart inline(String mimeType, String data) {
    return new GeminiPart(null, new GeminiBlob(mimeType, data), null, null, null, null, null);
  }

  static GeminiPart file(String mimeType, String uri) {
    return new GeminiPart(null, null, new GeminiFileData(mimeType, uri), null, null, null, null);
  }

  static GeminiPart call(GeminiFunctionCall call, String thoughtSignature) {
    return new GeminiPart(null, null, null, call, null, null, thoughtSignature);
  }

  static GeminiPart response(GeminiFunctionResponse response) {
    return new GeminiPart(null, null, null, null, response, null, null);
  }
}
