package dev.switchboard.eval.replay;

import dev.switchboard.classifier.base.Jackson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLM-as-judge: a judge deployment scores each candidate's answer from 1 to 10 against the
 * strongest candidate's answer as a reference ({@link #RUBRIC}); the score maps to (s-1)/9 in [0,1].
 * The strongest candidate's own answer is judged without a reference. A reply without a parsable
 * score leaves that answer ungraded.
 */
public final class JudgeGrader implements Grader {

  public static final String RUBRIC = """
      You are grading an AI assistant's answer to a user's conversation.
      Score the ANSWER from 1 to 10:
      10 = fully correct, complete and helpful; as good as or better than the REFERENCE.
      7-9 = correct and helpful with minor omissions or style issues.
      4-6 = partly correct or missing important parts.
      2-3 = mostly wrong, unhelpful or off-topic.
      1 = wrong, harmful, or a refusal of a reasonable request.
      Judge correctness first, then completeness, then clarity. Do not reward length.
      If a REFERENCE is given it is a strong model's answer: use it to check facts, but it may be wrong.
      Reply with one line exactly: Score: <1-10>""";

  private static final Pattern SCORE = Pattern.compile("(?i)score\\s*[:=]?\\s*(10|[1-9])\\b");
  private static final ObjectMapper JSON = Jackson.JSON;

  private final CandidateClient client;
  private final String judge;
  private final String strongest;
  private final ToDoubleFunction<CandidateAnswer> cost;
  private final java.util.concurrent.atomic.DoubleAdder spent = new java.util.concurrent.atomic.DoubleAdder();

  /**
   * @param judge the judge deployment's name (passed to {@code client})
   * @param strongest the candidate whose answer serves as the reference
   * @param cost USD cost of one judge call from its usage
   */
  public JudgeGrader(CandidateClient client, String judge, String strongest, ToDoubleFunction<CandidateAnswer> cost) {
    this.client = client;
    this.judge = judge;
    this.strongest = strongest;
    this.cost = cost;
  }

  @Override
  public CompletableFuture<Map<String, OptionalDouble>> grade(LoggedRequest request, Map<String, CandidateAnswer> answers) {
    CandidateAnswer ref = answers.get(strongest);
    List<String> names = new ArrayList<>(answers.keySet());
    List<CompletableFuture<OptionalDouble>> scores = new ArrayList<>();
    for (String c : names) {
      CandidateAnswer a = answers.get(c);
      String reference = c.equals(strongest) || ref == null ? null : ref.text();
      scores.add(client.complete(judge, judgeMessages(request, a.text(), reference))
          .thenApply(j -> {
            spent.add(cost.applyAsDouble(j));
            return parseScore(j.text());
          })
          .exceptionally(e -> OptionalDouble.empty()));
    }
    return CompletableFuture.allOf(scores.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<String, OptionalDouble> out = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), scores.get(i).join());
      }
      return out;
    });
  }

  static ArrayNode judgeMessages(LoggedRequest request, String answer, String reference) {
    StringBuilder u = new StringBuilder();
    u.append("CONVERSATION (JSON messages):\n").append(request.messages().toString()).append("\n\n");
    if (reference != null) {
      u.append("REFERENCE:\n").append(reference).append("\n\n");
    }
    u.append("ANSWER:\n").append(answer);
    ArrayNode m = JSON.createArrayNode();
    m.add(JSON.createObjectNode().put("role", "system").put("content", RUBRIC));
    m.add(JSON.createObjectNode().put("role", "user").put("content", u.toString()));
    return m;
  }

  /** "Score: 7" -> (7-1)/9. */
  static OptionalDouble parseScore(String reply) {
    Matcher m = SCORE.matcher(reply == null ? "" : reply);
    if (!m.find()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((Integer.parseInt(m.group(1)) - 1) / 9.0);
  }

  @Override
  public double spentUsd() {
    return spent.sum();
  }

  @Override
  public String name() {
    return "judge:" + judge;
  }
}
