package dev.switchboard.eval.replay;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * Quality 1 when the answer matches the reference answer in the record's {@code metadata.reference},
 * exactly or after {@link #normalise}; 0 otherwise. A record without a reference is ungradable.
 */
public final class ReferenceGrader implements Grader {

  public static final String METADATA_KEY = "reference";

  @Override
  public CompletableFuture<Map<String, OptionalDouble>> grade(LoggedRequest request, Map<String, CandidateAnswer> answers) {
    String ref = request.metadata().get(METADATA_KEY);
    Map<String, OptionalDouble> out = new LinkedHashMap<>();
    for (CandidateAnswer a : answers.values()) {
      out.put(a.candidate(), ref == null ? OptionalDouble.empty() : OptionalDouble.of(matches(ref, a.text()) ? 1.0 : 0.0));
    }
    return CompletableFuture.completedFuture(out);
  }

  static boolean matches(String reference, String answer) {
    return reference.trim().equals(answer.trim()) || normalise(reference).equals(normalise(answer));
  }

  /**
   * NFKC, lower case, punctuation removed, whitespace collapsed; a leading "the answer is" and
   * trailing period are common answer dressing and go too.
   */
  static String normalise(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    n = n.replaceAll("[\\p{Punct}\\p{IsPunctuation}]", " ").replaceAll("\\s+", " ").trim();
    n = n.replaceFirst("^(the )?(final )?answer( is)? ", "");
    return n;
  }

  @Override
  public String name() {
    return "reference";
  }
}
