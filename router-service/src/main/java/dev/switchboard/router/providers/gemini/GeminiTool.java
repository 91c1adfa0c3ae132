package dev.switchboard.router.providers.gemini;

import java.util.List;

record GeminiTool(List<GeminiFunctionDeclaration> functionDeclarations) {}
