package dev.switchboard.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelPricesTest {

  private static ModelPrices parse(String json) {
    return ModelPrices.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  @Test
  void readsOurLayoutWithAliases() {
    ModelPrices p = parse("{\"models\":{\"a\":{\"input_usd_per_mtok\":1.5,\"output_usd_per_mtok\":2,"
        + "\"price_is_proxy\":true,\"source\":\"s\",\"aliases\":[\"A_v1\"]}}}");
    ModelPrices.Price a = p.find("a").orElseThrow();
    assertEquals(new ModelPrices.Price(1.5, 2.0, true, "s"), a);
    assertEquals(a, p.find("A_v1").orElseThrow());
    assertEquals("a", p.canonicalId("A_v1").orElseThrow());
    assertEquals(0.0035, a.cost(1000, 1000), 1e-12);
    assertTrue(p.find("b").isEmpty());
  }

  @Test
  void readsTheSourceFolderLayoutSkippingUnpricedAndAmbiguousAliases() {
    ModelPrices p = parse("{\"models\":["
        + "{\"model_id\":\"x\",\"price\":{\"input_usd_per_mtok\":1,\"output_usd_per_mtok\":2,\"source\":\"sx\"},"
        + "\"price_is_proxy\":false,\"names_in_datasets\":{\"d1\":[\"X\",\"shared\"]}},"
        + "{\"model_id\":\"y\",\"price\":{\"input_usd_per_mtok\":3,\"output_usd_per_mtok\":4,\"source\":\"sy\"},"
        + "\"price_is_proxy\":true,\"names_in_datasets\":{\"d1\":[\"shared\"]}},"
        + "{\"model_id\":\"z\",\"price\":null,\"price_is_proxy\":false}]}");
    assertEquals(2, p.asMap().size());
    assertEquals(1.0, p.find("X").orElseThrow().inputPerMTok());
    assertTrue(p.find("y").orElseThrow().isProxy());
    assertTrue(p.find("shared").isEmpty(), "an alias of two models is not guessed");
    assertTrue(p.find("z").isEmpty());
  }

  @Test
  void malformedFilesNameTheFile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("{\"models\":"));
    assertTrue(e.getMessage().contains("test.json"));
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"models\":{\"a\":{\"input_usd_per_mtok\":-1}}}"));
    assertTrue(e.getMessage().contains("model a"), e.getMessage());
    Path missing = Path.of("no/such/models.json");
    e = assertThrows(IllegalArgumentException.class, () -> ModelPrices.load(missing));
    assertTrue(e.getMessage().contains(missing.toString()));
  }

  @Test
  void shippedPriceFileLoads() {
    ModelPrices p = ModelPrices.load(RepoFiles.path("datasets/models.json"));
    assertEquals(new ModelPrices.Price(10.0, 30.0, false, p.find("gpt-4-1106-preview").orElseThrow().source()),
        p.find("gpt-4-1106-preview").orElseThrow());
    assertTrue(p.find("mistralai/Mistral-7B-v0.1").orElseThrow().isProxy());
    assertFalse(p.find("vicuna-33b-v1.3").isPresent(), "unpriced upstream, so not in our file");
  }
}
