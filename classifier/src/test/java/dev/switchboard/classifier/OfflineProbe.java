package dev.switchboard.classifier;

import dev.switchboard.classifier.base.ScoringInput;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Child-JVM main for {@link OfflineLoadTest}: records every network destination the JVM tries
 * (HttpURLConnection, java.net.http and plain client sockets all ask the default ProxySelector
 * first), then loads and uses a classifier and reports what was attempted.
 */
public final class OfflineProbe {

  public static void main(String[] args) {
    List<URI> attempts = new CopyOnWriteArrayList<>();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        attempts.add(uri);
        return List.of(Proxy.NO_PROXY);
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    });
    try (Classifier c = Classifier.load(Path.of(args[0]), ClassifierOptions.defaults())) {
      Scores s = c.score(ScoringInput.ofText("Write a haiku about offline inference."));
      System.out.println("difficulty=" + s.difficulty());
    }
    System.out.println("network-attempts=" + attempts.size() + " " + attempts);
  }
}
