package dev.switchboard.classifier.base;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The project's shared Jackson mappers, one per output format. An {@link ObjectMapper} is
 * thread-safe once configured and costly to build (it caches serializers per type), so one instance
 * serves every reader and writer; never reconfigure these (derive an {@code ObjectWriter} or
 * {@code ObjectReader} instead). Provider wire formats keep their own, differently configured
 * mappers next to their mappers.
 */
public final class Jackson {

  /** Compact JSON: request logs, JSON Lines, wire bodies, reading any JSON. */
  public static final ObjectMapper JSON = new ObjectMapper();

  /** Indented JSON: files people read (cards, manifests, reports, summaries). */
  public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Jackson() {}
}
