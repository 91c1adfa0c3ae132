package dev.switchboard.eval.report;

import dev.switchboard.eval.run.EvalResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The "what the router did" section (examples, monthly projection, latency) as HTML and as Markdown, from one row model. */
final class ReaderSections {
  private ReaderSections() {}

  /** One line of the monthly projection. */
  record Month(String policy, double meanQuality, double perRequest, double perMonth, double savedPerMonth) {}

  static List<Month> months(EvalResult r, long requests) {
    EvalResult.PolicyMetrics best = r.metrics().get("single:" + r.candidates().get(r.best()));
    double bestMonth = ReaderNotes.perRequest(best) * requests;
    List<Month> out = new ArrayList<>();
    out.add(month("Always " + best.name() + " (best)", best, requests, bestMonth));
    out.add(month("Eval-driven router (reported setting)", r.metrics().get("router"), requests, bestMonth));
    EvalResult.PolicyMetrics tuned = r.metrics().get("tuned");
    if (tuned != null) out.add(month("Tuned policy", tuned, requests, bestMonth));
    EvalResult.PolicyMetrics cheapest = r.metrics().get("single:" + r.candidates().get(r.cheapest()));
    if (cheapest != null && cheapest != best) out.add(month("Always " + cheapest.name() + " (cheapest)", cheapest, requests, bestMonth));
    return out;
  }

  private static Month month(String name, EvalResult.PolicyMetrics pm, long requests, double bestMonth) {
    double perMonth = ReaderNotes.perRequest(pm) * requests;
    // the reference row saves nothing by definition: a dash, not "$0.0"
    return new Month(name, pm.meanQuality(), ReaderNotes.perRequest(pm), perMonth, name.endsWith("(best)") ? Double.NaN : bestMonth - perMonth);
  }

  static String requests(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String examplesIntro(EvalResult r, ReaderNotes notes) {
    if (notes.examples().isEmpty()) return null;
    return "At its reported setting (one quality threshold t = " + Fmt.num(notes.examples().get(0).threshold(), 3)
        + " shared by all candidates) the router sends each prompt to the cheapest candidate whose predicted quality reaches t."
        + " Per model it chose, the easiest and the hardest prompt it sent there (difficulty: the classifier's estimate,"
        + " 0 easy to 1 hard); cost and quality are that answer's in the dataset.";
  }

  // ---------------------------------------------------------------- HTML

  static String examplesHtml(EvalResult r, ReaderNotes notes) {
    String intro = examplesIntro(r, notes);
    if (intro == null) return "";
    StringBuilder b = new StringBuilder("<h3>Example prompts per model</h3><p class=\"note\">").append(Fmt.html(intro)).append("</p>");
    b.append("<table class=\"examples\"><thead><tr><th>Model</th><th>Prompt</th><th class=\"n\">Difficulty</th>"
        + "<th class=\"n\">Predicted quality</th><th>Why</th><th class=\"n\">Cost</th><th class=\"n\">Quality</th></tr></thead><tbody>");
    for (ReaderNotes.Example e : notes.examples()) {
      b.append("<tr><td>").append(Fmt.html(e.model())).append("</td><td class=\"prompt\">").append(Fmt.html(e.prompt()))
          .append("</td><td class=\"n\">").append(Fmt.num(e.difficulty(), 2)).append("</td><td class=\"n\">")
          .append(Fmt.num(e.predictedQuality(), 2)).append("</td><td>").append(Fmt.html(e.why())).append("</td><td class=\"n\">")
          .append(Fmt.usd(e.costUsd())).append("</td><td class=\"n\">").append(Fmt.num(e.quality(), 2)).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String monthlyHtml(EvalResult r, ReaderNotes notes) {
    StringBuilder b = new StringBuilder("<h3 id=\"monthly\">At ").append(requests(notes.monthlyRequests()))
        .append(" requests a month</h3><p class=\"note\">Projected from the mean cost per request on these ").append(r.meta().prompts())
        .append(" test prompts (set the volume with <code>switchboard eval --monthly-requests N</code>); your prompts' lengths and mix"
            + " move it.</p>");
    b.append("<table class=\"monthly\"><thead><tr><th>Policy</th><th class=\"n\">Mean quality</th><th class=\"n\">Per request</th>"
        + "<th class=\"n\">Per month</th><th class=\"n\">Saved vs always-best</th></tr></thead><tbody>");
    for (Month m : months(r, notes.monthlyRequests())) {
      b.append("<tr><td>").append(Fmt.html(m.policy())).append("</td><td class=\"n\">").append(Fmt.num(m.meanQuality(), 3))
          .append("</td><td class=\"n\">").append(Fmt.usd(m.perRequest())).append("</td><td class=\"n\">").append(Fmt.usd(m.perMonth()))
          .append("</td><td class=\"n\">").append(Fmt.usd(m.savedPerMonth())).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String latencyHtml(ReaderNotes notes) {
    String t = latencyText(notes);
    return t == null ? "" : "<h3>Latency</h3><p class=\"note\">" + Fmt.html(t) + "</p>";
  }

  static String latencyText(ReaderNotes notes) {
    ReaderNotes.Latency l = notes.latency();
    if (l == null) return null;
    return "Choosing a model means scoring the prompt with the classifier: " + Fmt.num(l.p50Ms(), 2) + " ms at the median and "
        + Fmt.num(l.p99Ms(), 2) + " ms at p99, one prompt at a time, over " + l.prompts() + " of these prompts after a warm-up, on "
        + l.cpu() + ". The gateway adds about 0.1 ms more per request (README, Benchmarks); the models' own response time is not"
        + " in the dataset and is not part of these numbers.";
  }

  // ---------------------------------------------------------------- Markdown

  static String markdown(EvalResult r, ReaderNotes notes) {
    StringBuilder b = new StringBuilder("## What the router did\n\n");
    String intro = examplesIntro(r, notes);
    if (intro != null) {
      b.append(Fmt.md(intro)).append("\n\n| Model | Prompt | Difficulty | Predicted quality | Why | Cost | Quality |\n")
          .append("|---|---|---:|---:|---|---:|---:|\n");
      for (ReaderNotes.Example e : notes.examples()) {
        b.append("| ").append(Fmt.md(e.model())).append(" | ").append(Fmt.md(e.prompt())).append(" | ").append(Fmt.num(e.difficulty(), 2))
            .append(" | ").append(Fmt.num(e.predictedQuality(), 2)).append(" | ").append(Fmt.md(e.why())).append(" | ")
            .append(Fmt.usd(e.costUsd())).append(" | ").append(Fmt.num(e.quality(), 2)).append(" |\n");
      }
      b.append('\n');
    }
    b.append("At ").append(requests(notes.monthlyRequests())).append(" requests a month (projected from the mean cost per request on these ")
        .append(r.meta().prompts()).append(" test prompts; `switchboard eval --monthly-requests N` sets the volume):\n\n")
        .append("| Policy | Mean quality | Per request | Per month | Saved vs always-best |\n|---|---:|---:|---:|---:|\n");
    for (Month m : months(r, notes.monthlyRequests())) {
      b.append("| ").append(Fmt.md(m.policy())).append(" | ").append(Fmt.num(m.meanQuality(), 3)).append(" | ").append(Fmt.usd(m.perRequest()))
          .append(" | ").append(Fmt.usd(m.perMonth())).append(" | ").append(Fmt.usd(m.savedPerMonth())).append(" |\n");
    }
    String lat = latencyText(notes);
    if (lat != null) b.append("\nLatency: ").append(Fmt.md(lat)).append('\n');
    return b.append('\n').toString();
  }
}
