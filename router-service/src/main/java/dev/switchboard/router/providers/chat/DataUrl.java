package dev.switchboard.router.providers.chat;

/** A {@code data:<media-type>;base64,<data>} URL, as OpenAI clients send inline images. */
public record DataUrl(String mediaType, String base64) {

  /** Parses a base64 data URL; null for anything else (http URLs, non-base64 data URLs). */
  public static DataUrl parse(String url) {
    if (url == null || !url.startsWith("data:")) return null;
    int comma = url.indexOf(',');
    if (comma < 0) return null;
    String meta = url.substring(5, comma);
    if (!meta.endsWith(";base64")) return null;
    String media = meta.substring(0, meta.length() - ";base64".length());
    return new DataUrl(media.isEmpty() ? "application/octet-stream" : media, url.substring(comma + 1));
  }
}
