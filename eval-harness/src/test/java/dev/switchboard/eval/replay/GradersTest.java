package dev.switchboard.eval.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GradersTest {

  static LoggedRequest request(String prompt, Map<String, String> metadata) {
    ObjectMapper m = new ObjectMapper();
    return new LoggedRequest("r", m.createArrayNode().add(m.createObjectNode().put("role", "user").put("content", prompt)),
        prompt, null, metadata);
  }

  @Test
  void referenceMatchesExactlyOrAfterNormalisation() {
    assertTrue(ReferenceGrader.matches("Paris", "Paris"));
    assertTrue(ReferenceGrader.matches("Paris", "  paris. "));
    assertTrue(ReferenceGrader.matches("42", "The answer is 42."));
    assertFalse(ReferenceGrader.matches("Paris", "London"));
    assertFalse(ReferenceGrader.matches("42", "420"));
  }

  @Test
  void referenceGraderWithoutAReferenceCannotGrade() {
    var q = new ReferenceGrader().grade(request("q", Map.of()), Map.of("m", new CandidateAnswer("m", "x", 1, 1, 1))).join();
    assertTrue(q.get("m").isEmpty());
  }

  @Test
  void recordedGraderLooksUpByModelAndNormalisedPrompt() {
    RecordedGrader g = new RecordedGrader(Map.of("what is 2+2?", Map.of("a", 0.9, "b", 0.1)));
    var answers = Map.of("a", new CandidateAnswer("a", "4", 1, 1, 1), "c", new CandidateAnswer("c", "4", 1, 1, 1));
    Map<String, OptionalDouble> q = g.grade(request("  What is\n2+2? ".replace("What", "what"), Map.of()), answers).join();
    assertEquals(0.9, q.get("a").getAsDouble());
    assertTrue(q.get("c").isEmpty(), "a model the dataset lacks is ungradable");
  }

  @Test
  void judgeScoresMapToTheUnitInterval() {
    assertEquals(1.0, JudgeGrader.parseScore("Score: 10").getAsDouble());
    assertEquals(0.0, JudgeGrader.parseScore("score=1").getAsDouble());
    assertEquals(6 / 9.0, JudgeGrader.parseScore("Reasoning...\nScore: 7").getAsDouble(), 1e-9);
    assertTrue(JudgeGrader.parseScore("no idea").isEmpty());
  }

  @Test
  void poisonDetection() {
    assertPoison("{x", "not JSON");
    assertPoison("[1]", "not a JSON object");
    assertPoison("{\"schema_version\":3,\"request_id\":\"a\"}", "unknown schema_version 3");
    assertPoison("{\"request_id\":\"a\"}", "unknown schema_version (missing)");
    assertPoison("{\"schema_version\":1,\"request_id\":\"a\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}", "no user message");
  }

  private static void assertPoison(String json, String reason) {
    try {
      LoggedRequest.parse(json.getBytes(StandardCharsets.UTF_8));
      throw new AssertionError("not poison: " + json);
    } catch (LoggedRequest.PoisonRecordException e) {
      assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }
  }
}
