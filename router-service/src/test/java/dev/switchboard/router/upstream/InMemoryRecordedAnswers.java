package dev.switchboard.router.upstream;

import dev.switchboard.dataset.recorded.RecordedAnswer;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A small in-memory {@link RecordedAnswers} matching on {@link RecordedAnswers#normalize}. */
final class InMemoryRecordedAnswers implements RecordedAnswers {
  private final Map<String, RecordedAnswer> byKey = new HashMap<>();
  private final Set<String> models = new TreeSet<>();

  InMemoryRecordedAnswers add(String model, String prompt, String response, long inputTokens, long outputTokens) {
    byKey.put(model + "\u0000" + RecordedAnswers.normalize(prompt),
        new RecordedAnswer(model, "p" + byKey.size(), response, inputTokens, outputTokens));
    models.add(model);
    return this;
  }

  @Override
  public Optional<RecordedAnswer> find(String model, String promptText) {
    return Optional.ofNullable(byKey.get(model + "\u0000" + RecordedAnswers.normalize(promptText)));
  }

  @Override
  public Set<String> models() {
    return models;
  }
}
