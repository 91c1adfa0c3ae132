package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.governance.keys.KeySettings;
import dev.switchboard.router.chat.ChatExchange;
import dev.switchboard.router.chat.ParsedChat;
import dev.switchboard.router.chat.SwitchboardOptions;
import dev.switchboard.router.providers.contract.ChatRequest;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key's caps clamp the request's routing options (never refuse) and say so in x-switchboard-capped. */
class KeyCapsTest {
  private static final KeySettings CAPPED = KeySettings.named("k").maxQualityTarget(0.8).maxCostUsd(new BigDecimal("0.01")).build();

  private static ParsedChat chat(Double quality, Double cost) {
    return new ParsedChat(new ChatRequest("auto", false, false, JsonNodeFactory.instance.objectNode()),
        new SwitchboardOptions(quality, cost, null, null));
  }

  private static String capped(ChatExchange ex) {
    return ex.extraHeaders.stream().filter(h -> h[0].equals("x-switchboard-capped")).map(h -> h[1]).findFirst().orElse(null);
  }

  @Test
  void capped_aboveTheKeysMaximum_clampedAndNamed() {
    ChatExchange ex = new ChatExchange("r", 0, Long.MAX_VALUE);
    ParsedChat out = KeyGate.capped(chat(0.95, 0.5), CAPPED, true, ex);
    assertEquals(0.8, out.options().qualityTarget());
    assertEquals(0.01, out.options().maxCostUsd());
    assertEquals("quality_target,max_cost_usd", capped(ex));
  }

  @Test
  void capped_withinTheMaximum_unchanged() {
    ChatExchange ex = new ChatExchange("r", 0, Long.MAX_VALUE);
    ParsedChat in = chat(0.5, 0.005);
    assertSame(in, KeyGate.capped(in, CAPPED, true, ex));
    assertEquals(List.of(), ex.extraHeaders);
  }

  @Test
  void capped_evalDrivenWithoutMaxCost_getsTheKeysSilently_staticRouteNot() {
    ChatExchange ex = new ChatExchange("r", 0, Long.MAX_VALUE);
    assertEquals(0.01, KeyGate.capped(chat(null, null), CAPPED, true, ex).options().maxCostUsd());
    assertEquals(null, capped(ex), "nothing the client asked for was lowered");
    assertEquals(null, KeyGate.capped(chat(null, null), CAPPED, false, ex).options().maxCostUsd(), "static routes take no options");
  }
}
