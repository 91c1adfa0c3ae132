// Writes a routing dataset Parquet file as importer-schema JSONL *without* the split column, so that
// `switchboard dataset import --seed N` re-splits it. Used for the split-seed runs in reports/README.md:
//   CP="switchboard-cli/target/switchboard.jar:$(ls switchboard-cli/target/lib/*.jar | tr "\n" :)"
//   jshell --class-path "$CP" -R-Din=datasets/alpacaeval2.parquet -R-Dout=/tmp/alpaca.jsonl reports/tools/export_jsonl.jsh
import dev.switchboard.dataset.*;
import com.fasterxml.jackson.databind.*;
import com.fasterxml.jackson.databind.node.*;
import java.nio.file.*;
var om = new ObjectMapper();
var rows = RoutingDatasets.read(Path.of(System.getProperty("in")));
try (var w = Files.newBufferedWriter(Path.of(System.getProperty("out")))) {
  for (var r : rows) {
    ObjectNode n = om.createObjectNode();
    n.put("prompt_id", r.promptId()); n.put("prompt", r.prompt());
    if (r.messagesJson() != null) n.put("messages", r.messagesJson());
    if (r.category() != null) n.put("category", r.category());
    n.put("model", r.model()); n.put("quality", r.quality());
    n.put("input_tokens", r.inputTokens()); n.put("output_tokens", r.outputTokens());
    n.put("cost_usd", r.costUsd()); n.put("source", r.source());
    w.write(om.writeValueAsString(n)); w.write("\n");
  }
}
System.out.println("rows " + rows.size());
/exit
