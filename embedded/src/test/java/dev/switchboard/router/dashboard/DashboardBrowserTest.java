package dev.switchboard.router.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.router.embedded.SwitchboardServer;
import dev.switchboard.router.testkit.HeadlessChromium;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in headless Chromium (the setup of eval-harness's ReportBrowserTest): it loads with the admin key as
 * HTTP Basic credentials, its numbers change as traffic arrives, it has no console errors and no horizontal overflow
 * at a phone's width. Screenshots (desktop and 390 px) go to target/dashboard-browser/; docs/ holds copies.
 */
class DashboardBrowserTest {
  static final List<String> PROMPTS = List.of(
      "What is the capital of France?",
      "Prove that there are infinitely many primes p such that p + 2 is also prime, or explain precisely why this is an open"
          + " problem, and write a Rust function that finds all twin primes below n using a segmented sieve.",
      "Translate 'good morning' into Spanish.",
      "Write a SQL query that returns the second highest salary per department, and explain how it handles ties.",
      "Summarise the plot of Hamlet in two sentences.",
      "Derive the closed form of the sum of the first n squares and prove it by induction.");

  @Test
  void dashboardLoads_numbersChangeUnderTraffic_noOverflowWhenNarrow(@TempDir Path dir) throws Exception {
    Path target = Paths.get(System.getProperty("java.io.tmpdir")).getParent();
    Path shots = Files.createDirectories(target.resolve("dashboard-browser"));
    HttpClient http = HttpClient.newHttpClient();
    try (SwitchboardServer server = DashboardEndToEndTest.governed(dir)) {
      String base = server.baseUrl();
      String team = DashboardEndToEndTest.admin(http, base, "POST", "/admin/teams",
          "{\"name\":\"research\",\"budget\":{\"limit_usd\":0.02,\"period\":\"month\"}}").path("id").asText();
      String secret = DashboardEndToEndTest.admin(http, base, "POST", "/admin/keys",
          "{\"name\":\"notebook\",\"team_id\":\"" + team + "\",\"budget\":{\"limit_usd\":0.01,\"period\":\"day\"}}").path("secret").asText();
      DashboardEndToEndTest.admin(http, base, "POST", "/admin/keys",
          "{\"name\":\"batch-jobs\",\"budget\":{\"limit_usd\":5,\"period\":\"month\"}}");

      ChromeDriver driver = HeadlessChromium.start(1280);
      try {
        // credentials in the URL: Chromium answers the Basic challenge with them, for the page and its EventSource
        driver.get(base.replace("http://", "http://admin:" + DashboardEndToEndTest.ADMIN_KEY + "@") + "/dashboard");
        assertEquals("Switchboard · live", driver.getTitle());
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("status")).getText().startsWith("live"));
        assertEquals("0 since start", driver.findElement(By.id("req-total")).getText());
        assertEquals("No requests yet.", driver.findElement(By.cssSelector("#recent tbody")).getText());

        for (int i = 0; i < 12; i++) {
          assertEquals(200, DashboardEndToEndTest.chat(http, base, secret, PROMPTS.get(i % PROMPTS.size())).statusCode());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertEquals("12 since start", driver.findElement(By.id("req-total")).getText());
          assertTrue(Double.parseDouble(driver.findElement(By.id("rps")).getText()) > 0);
          assertEquals(12, driver.findElements(By.cssSelector("#recent tbody tr")).size());
          assertTrue(driver.findElements(By.cssSelector("#models .row")).size() >= 2);
        });
        assertTrue(driver.findElement(By.id("savings")).getText().endsWith("%"), driver.findElement(By.id("savings")).getText());
        assertTrue(driver.findElement(By.id("p50")).getText().matches("\\d+\\.\\d\\d"), driver.findElement(By.id("p50")).getText());
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.findElements(By.cssSelector("#budgets .row")).size() == 3
            && !driver.findElement(By.cssSelector("#budgets .row .value")).getText().startsWith("$0.00000"));

        JavascriptExecutor js = driver;
        long height = (Long) js.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 120, 4000)));
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("dashboard-desktop.png"), StandardCopyOption.REPLACE_EXISTING);

        driver.manage().window().setSize(new Dimension(390, 2400));
        await().atMost(Duration.ofSeconds(5)).until(() -> (Long) js.executeScript("return window.innerWidth") <= 390);
        long overflow = (Long) js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow, "horizontal overflow at 390 px");
        long narrowHeight = (Long) js.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(390, (int) Math.min(narrowHeight + 120, 6000)));
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("dashboard-narrow.png"), StandardCopyOption.REPLACE_EXISTING);

        HeadlessChromium.assertNoConsoleProblems(driver);
      } finally {
        driver.quit();
      }
    }
  }
}
