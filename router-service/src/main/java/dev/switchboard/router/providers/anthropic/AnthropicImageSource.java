package dev.switchboard.router.providers.anthropic;

/** {@code {"type":"base64","media_type","data"}} or {@code {"type":"url","url"}}. */
record AnthropicImageSource(String type, String mediaType, String data, String url) {}
