package dev.switchboard.router.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.router.chat.ExchangeObserver;
import dev.switchboard.router.testkit.MockOpenAiServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles on the admin API: a team-admin manages its own team's keys only, a viewer only reads; refusals are audited. */
class TeamAdminEndToEndTest {
  private static Vertx vertx;
  private static MockOpenAiServer upstream;

  @BeforeAll
  static void upstream() throws Exception {
    vertx = Vertx.vertx();
    upstream = GovernedGateway.upstream(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    GovernedGateway.close(vertx);
  }

  @Test
  void teamAdmin_managesOwnTeamOnly_viewerReadsOnly_everyCallAudited(@TempDir Path dir) throws Exception {
    try (GovernedGateway gw = GovernedGateway.start(KeyLifecycleEndToEndTest.yaml(upstream.baseUrl()), dir, GovernedGateway.env(), ExchangeObserver.NONE, o -> o)) {
      String a = gw.admin.post("/admin/teams", "{\"name\":\"a\"}").json().path("id").asText();
      String b = gw.admin.post("/admin/teams", "{\"name\":\"b\"}").json().path("id").asText();
      String bKey = gw.admin.post("/admin/keys", "{\"name\":\"b-app\",\"team_id\":\"" + b + "\"}").json().path("id").asText();
      AdminClient.Reply ta = gw.admin.post("/admin/keys", "{\"name\":\"a-lead\",\"team_id\":\"" + a + "\",\"role\":\"team-admin\"}");
      assertEquals("team-admin", ta.json().path("role").asText(), ta.text());
      AdminClient lead = gw.as(ta.json().path("secret").asText());
      String leadId = ta.json().path("id").asText();

      // its own team: create (the team is implied), list, change, revoke
      AdminClient.Reply own = lead.post("/admin/keys", "{\"name\":\"a-app\",\"rpm\":10}");
      assertEquals(201, own.status(), own.text());
      assertEquals(a, own.json().path("team_id").asText());
      String ownId = own.json().path("id").asText();
      assertEquals(200, lead.patch("/admin/keys/" + ownId, "{\"rpm\":20}").status());
      List<String> listed = new ArrayList<>();
      for (JsonNode k : lead.get("/admin/keys").json().path("data")) listed.add(k.path("team_id").asText());
      assertTrue(!listed.isEmpty() && listed.stream().allMatch(a::equals), "a team-admin lists only its team's keys: " + listed);
      assertEquals(200, lead.get("/admin/teams/" + a).status());

      // another team: 403 for every way in
      assertEquals(403, lead.post("/admin/keys", "{\"name\":\"x\",\"team_id\":\"" + b + "\"}").status());
      assertEquals(403, lead.get("/admin/keys/" + bKey).status());
      assertEquals(403, lead.patch("/admin/keys/" + bKey, "{\"rpm\":1}").status());
      assertEquals(403, lead.delete("/admin/keys/" + bKey).status());
      assertEquals(403, lead.patch("/admin/keys/" + ownId, "{\"team_id\":\"" + b + "\"}").status(), "cannot move a key out");
      assertEquals(403, lead.get("/admin/teams/" + b).status());
      assertEquals(403, lead.post("/admin/keys", "{\"name\":\"boss\",\"role\":\"admin\"}").status(), "cannot grant admin");
      assertEquals(403, lead.post("/admin/teams", "{\"name\":\"c\"}").status());
      assertEquals(403, lead.patch("/admin/teams/" + a, "{\"rpm\":100000}").status(), "cannot raise its own team's limits");
      assertEquals(403, lead.get("/admin/audit").status());
      assertEquals(403, lead.get("/admin/spend?group_by=model").status());
      // team b's key is untouched
      assertEquals("enabled", gw.admin.get("/admin/keys/" + bKey).json().path("status").asText());
      assertEquals(200, lead.delete("/admin/keys/" + ownId).status());

      // a viewer reads everything, changes nothing
      AdminClient viewer = gw.as(gw.admin.post("/admin/keys", "{\"name\":\"auditor\",\"role\":\"viewer\"}").json().path("secret").asText());
      assertEquals(200, viewer.get("/admin/keys").status());
      assertEquals(200, viewer.get("/admin/audit").status());
      assertEquals(200, viewer.get("/admin/spend?group_by=day").status());
      assertEquals(403, viewer.post("/admin/keys", "{\"name\":\"x\"}").status());
      assertEquals(403, viewer.delete("/admin/keys/" + bKey).status());

      // the audit log has the team-admin's changes under its key id, and every refusal
      JsonNode entries = gw.admin.get("/admin/audit?actor=" + leadId).json().path("data");
      List<String> actions = new ArrayList<>();
      for (JsonNode e : entries) actions.add(e.path("action").asText());
      assertTrue(actions.containsAll(List.of("key.create", "key.update", "key.list", "team.read", "key.revoke")), actions.toString());
      assertEquals(11, actions.stream().filter("admin.denied"::equals).count(), actions.toString());
    }
  }
}
