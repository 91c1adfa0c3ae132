package dev.switchboard.router.providers.gemini;

import java.util.List;

record GeminiToolConfig(FunctionCallingConfig functionCallingConfig) {
  /** mode AUTO | NONE | ANY, optionally restricted to some functions. */
  record FunctionCallingConfig(String mode, List<String> allowedFunctionNames) {}
}
