package dev.switchboard.router.governance;

import dev.switchboard.governance.keys.AdminRole;
import dev.switchboard.governance.keys.Authentication;
import dev.switchboard.router.config.GatewaySnapshot;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who may read the gateway's operational views (the dashboard). Open while there is nothing to protect with: auth off
 * and no bootstrap admin key (a loopback gateway on the embedded defaults). Once either exists, the caller must present
 * the bootstrap admin key or a key with the admin or viewer role, checked from memory like {@link AuthFilter}.
 *
 * <p>Besides the API's {@code Authorization: Bearer} and {@code x-api-key}, HTTP Basic is accepted with the key as
 * password (any user name): a browser can send it for the page and for its {@code EventSource}, which cannot set
 * headers.
 */
public final class ViewerAccess {
  private final Governance governance;

  public ViewerAccess(Governance governance) {
    this.governance = governance;
  }

  /** Whether the views need a credential now. */
  public boolean required(GatewaySnapshot snapshot) {
    return governance.authRequired() || snapshot.hasAdminKey();
  }

  /**
   * @param req the request
   * @param snapshot the live config (the bootstrap admin key)
   * @return whether {@code req} may read the views
   */
  public boolean allows(HttpServerRequest req, GatewaySnapshot snapshot) {
    if (!required(snapshot)) return true;
    String presented = presented(req);
    if (presented == null) return false;
    if (snapshot.isAdminKey(presented)) return true;
    Governance.Ready ready = governance.readyOrNull();
    if (ready == null || !presented.startsWith("sk-sb-")) return false;
    Authentication a = ready.registry().check(presented);
    if (a.outcome() != Authentication.Outcome.ACCEPTED) return false;
    AdminRole role = a.keyOrNull().settings().role();
    return role == AdminRole.ADMIN || role == AdminRole.VIEWER;
  }

  /** The key from Bearer, x-api-key, or the password of HTTP Basic. */
  static String presented(HttpServerRequest req) {
    String auth = req.getHeader("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String userPass = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = userPass.indexOf(':');
        return colon < 0 ? null : userPass.substring(colon + 1);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return Credentials.presented(req);
  }
}
