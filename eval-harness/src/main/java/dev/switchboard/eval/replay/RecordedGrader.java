package dev.switchboard.eval.replay;

import dev.switchboard.dataset.RoutingDataset;
import dev.switchboard.dataset.parquet.RoutingDatasets;
import dev.switchboard.dataset.recorded.RecordedAnswers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Quality from the shipped routing datasets: (candidate model, normalised prompt) -> the quality
 * the dataset recorded for that model on that prompt. For replays of traffic made of dataset
 * prompts (e.g. through the recorded upstream); a prompt or model the datasets lack is ungradable.
 */
public final class RecordedGrader implements Grader {

  /** normalised prompt -> model -> quality (first dataset wins on a clash). */
  private final Map<String, Map<String, Double>> quality;

  public RecordedGrader(Map<String, Map<String, Double>> quality) {
    this.quality = Map.copyOf(quality);
  }

  /** Loads every {@code *.parquet} directly under {@code datasetsDir}. */
  public static RecordedGrader load(Path datasetsDir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(datasetsDir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list datasets in " + datasetsDir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.parquet datasets in " + datasetsDir);
    }
    Map<String, Map<String, Double>> q = new HashMap<>();
    for (Path f : files) {
      RoutingDataset ds = RoutingDatasets.load(f);
      for (RoutingDataset.Prompt p : ds.prompts()) {
        Map<String, Double> byModel = q.computeIfAbsent(RecordedAnswers.normalize(p.prompt()), k -> new HashMap<>());
        p.byModel().forEach((model, row) -> byModel.putIfAbsent(model, row.quality()));
      }
    }
    return new RecordedGrader(q);
  }

  @Override
  public CompletableFuture<Map<String, OptionalDouble>> grade(LoggedRequest request, Map<String, CandidateAnswer> answers) {
    Map<String, Double> byModel = quality.get(RecordedAnswers.normalize(request.prompt()));
    Map<String, OptionalDouble> out = new LinkedHashMap<>();
    for (Map.Entry<String, CandidateAnswer> e : answers.entrySet()) {
      String candidate = e.getKey();
      // The model that answered: a candidate route may have been answered by a fallback deployment.
      Double q = byModel == null ? null : byModel.get(e.getValue().gradedModel());
      out.put(candidate, q == null ? OptionalDouble.empty() : OptionalDouble.of(q));
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public String name() {
    return "recorded";
  }
}
