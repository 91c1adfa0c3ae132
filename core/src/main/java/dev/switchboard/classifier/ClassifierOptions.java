package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ClassifierException;

/**
 * Runtime options of a loaded {@link Classifier}.
 *
 * @param intraOpThreads ONNX Runtime intra-op threads per session (encoder and heads); 1 is the
 *     most stable when many request threads score concurrently
 * @param cacheSize entries in the LRU cache of recent prompts (by hash); 0 disables it
 * @param runtime who evaluates the graphs this project writes (the static encoder and the router
 *     graph); MiniLM always runs in ONNX Runtime
 */
public record ClassifierOptions(int intraOpThreads, int cacheSize, GraphRuntime runtime) {

  /**
   * {@code JAVA}: the static encoder's table and the router graph are evaluated in plain Java
   * ({@link dev.switchboard.classifier.onnx.JavaGraph}, held equal to ONNX Runtime by tests), so a
   * prompt costs no native call: an ONNX Runtime call costs ~20 µs whatever the graph, more than
   * the router graph's arithmetic. A graph with an operator the Java evaluator lacks runs in ONNX
   * Runtime anyway. {@code ONNX_RUNTIME}: both through DJL's OnnxRuntime engine, as before.
   */
  public enum GraphRuntime { JAVA, ONNX_RUNTIME }

  public ClassifierOptions {
    if (intraOpThreads < 1) {
      throw new ClassifierException("ClassifierOptions.intraOpThreads must be >= 1, was " + intraOpThreads);
    }
    if (cacheSize < 0) {
      throw new ClassifierException("ClassifierOptions.cacheSize must be >= 0, was " + cacheSize);
    }
    if (runtime == null) {
      throw new ClassifierException("ClassifierOptions.runtime is null");
    }
  }

  public ClassifierOptions(int intraOpThreads, int cacheSize) {
    this(intraOpThreads, cacheSize, GraphRuntime.JAVA);
  }

  /** One intra-op thread, 10,000 cached prompts, graphs in Java. */
  public static ClassifierOptions defaults() {
    return new ClassifierOptions(1, 10_000);
  }
}
