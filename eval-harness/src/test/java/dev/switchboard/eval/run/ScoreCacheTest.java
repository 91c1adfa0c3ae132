package dev.switchboard.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCacheTest {
  @TempDir Path dir;

  @Test
  void scoresEachPromptOnceAcrossRunsAndSurvivesATornTail() throws Exception {
    AtomicInteger scored = new AtomicInteger();
    PromptScorer counting = new SyntheticRouting.StandInScorer(1, 0.2) {
      @Override
      public List<PromptScore> scoreBatch(List<PromptInput> batch) {
        scored.addAndGet(batch.size());
        return super.scoreBatch(batch);
      }
    };
    List<PromptScorer.PromptInput> in = List.of(
        new PromptScorer.PromptInput("Prompt number 1 about chat", null, "chat"),
        new PromptScorer.PromptInput("Prompt number 2 about code", null, "code"));
    ScoreCache first = ScoreCache.open(counting, dir);
    List<PromptScorer.PromptScore> a = first.scoreBatch(in);
    first.save();
    assertEquals(2, scored.get());

    ScoreCache second = ScoreCache.open(counting, dir);
    List<PromptScorer.PromptScore> b = second.scoreBatch(in);
    assertEquals(2, scored.get(), "served from the file");
    assertEquals(2, second.hits());
    assertArrayEquals(a.get(1).quality(), b.get(1).quality(), 0);
    assertEquals(a.get(0).difficulty(), b.get(0).difficulty(), 0);

    // a torn last record (crash mid-append) costs only that record
    Path f = second.file();
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    ScoreCache third = ScoreCache.open(counting, dir);
    third.scoreBatch(in);
    assertEquals(1, third.hits());
    assertEquals(3, scored.get());
  }
}
