package dev.switchboard.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.switchboard.router.testkit.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Opens report.html in headless Chromium at desktop width and at 390 px: no console errors, every chart rendered with
 * a size, and the layout faults of issue #17 absent (overlapping point labels, words broken mid-word in table cells,
 * horizontal overflow of the page, unlabelled calibration bars), for the fixture and for every shipped report.
 */
class ReportBrowserTest {

  static final int NARROW = 390;

  /** The point labels' rendered boxes that intersect another label's box, as text. */
  static final String OVERLAPPING_LABELS = """
      const boxes = [...document.querySelectorAll('#chart-cost-quality text.plabel')].map(t => [t.textContent, t.getBoundingClientRect()]);
      const out = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i][1], b = boxes[j][1];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(boxes[i][0] + ' / ' + boxes[j][0]);
      }
      return out.join('; ');""";
  /** Words of table cells that the browser split over two lines ("Categor / y"); hyphens separate words. */
  static final String BROKEN_WORDS = """
      const out = [];
      for (const cell of document.querySelectorAll('th, td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (n.parentElement.closest('code')) continue; // commands and hashes may wrap anywhere
          // runs of Latin letters, digits and underscores: a line may break at a hyphen, a space, between CJK
          // characters or emoji, but not inside such a run
          const re = /[A-Za-z0-9_\\u00C0-\\u024F]+/g;
          let m;
          while ((m = re.exec(n.data)) !== null) {
            const r = document.createRange();
            r.setStart(n, m.index);
            r.setEnd(n, m.index + m[0].length);
            const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
            if (lines.size > 1) out.push(m[0]);
          }
        }
      }
      return out.slice(0, 10).join(', ');""";

  @Test
  void reportRendersWithoutErrorsAndChartsAreVisible(@TempDir Path tmp) throws Exception {
    Path target = Paths.get(System.getProperty("java.io.tmpdir")).getParent();
    Path dir = Files.createDirectories(target.resolve("report-browser"));
    Path html = dir.resolve("report.html");
    // a dataset card beside the (absent) dataset: the report quotes its definition of quality
    Files.writeString(tmp.resolve("synthetic.md"), "# synthetic.parquet\n\nMade-up prompts, each answer graded by a made-up judge"
        + " against a reference answer.\n\n- **License**: none.\n- **quality** = the judge's grade / 10; `adequate`\n  at 0.5.\n");
    ReportFixture.WithNotes f = ReportFixture.withNotes(tmp.resolve("synthetic.parquet"));
    Files.writeString(html, HtmlReport.render(f.result(), f.notes()));

    ChromeDriver driver = chromium();
    try {
      driver.get(html.toUri().toString());
      fullHeight(driver, 1100);
      assertTrue(driver.getTitle().startsWith("Switchboard routing report"), driver.getTitle());
      List<WebElement> charts = driver.findElements(By.cssSelector("svg.chart"));
      assertEquals(4, charts.size());
      for (WebElement c : charts) {
        assertTrue(c.isDisplayed(), c.getAttribute("id"));
        assertTrue(c.getSize().getWidth() > 300 && c.getSize().getHeight() > 100, c.getAttribute("id") + " " + c.getSize());
        assertTrue(c.findElements(By.cssSelector("polyline, rect, circle, path")).size() > 5, c.getAttribute("id"));
        Files.copy(c.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(c.getAttribute("id") + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.copy(driver.findElement(By.cssSelector("header")).getScreenshotAs(OutputType.FILE).toPath(),
          dir.resolve("header.png"), StandardCopyOption.REPLACE_EXISTING);
      String verdict = driver.findElement(By.cssSelector(".verdict")).getText();
      assertTrue(verdict.contains("Against random routing it wins"), verdict);

      String quality = driver.findElement(By.cssSelector("section.quality")).getText();
      assertTrue(quality.contains("graded by a made-up judge against a reference answer") && quality.contains("grade / 10; adequate at 0.5"),
          quality);
      assertFalse(quality.contains("**") || quality.contains("`"), "card Markdown shown as plain text: " + quality);
      WebElement did = driver.findElement(By.id("router-did"));
      assertTrue(did.findElements(By.cssSelector("table.examples tbody tr")).size() >= 2, did.getText());
      assertTrue(did.getText().contains("At 200,000 requests a month"), did.getText());
      assertTrue(did.getText().contains("0.21 ms at the median"), did.getText());
      assertFalse(driver.findElements(By.cssSelector("#chart-reliability text.barcount")).isEmpty(), "calibration bars are labelled");
      String policies = driver.findElement(By.xpath("//section[h2='All policies']")).getText();
      assertTrue(policies.contains("\u20141") && policies.contains("has no sweep"), "single-point AIQ footnoted: " + policies);
      assertFalse(policies.contains("p=1.0"), "the random mix is not reported at p = 1.0 (always-best): " + policies);
      layoutChecks(driver, "fixture");
      assertNoConsoleProblems(driver);
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target.resolve("report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.quit();
    }
  }

  /** The published reports pass the same layout checks, at both widths; their screenshots go to target/report-browser/. */
  @Test
  void shippedReports_noOverlapNoBrokenWordsNoOverflow() throws Exception {
    Path reports = Paths.get("..", "reports").toAbsolutePath().normalize();
    List<Path> pages = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(reports)) {
      dirs.map(d -> d.resolve("report.html")).filter(Files::isRegularFile).sorted().forEach(pages::add);
    }
    assertTrue(pages.size() >= 5, "shipped reports under " + reports + ": " + pages);
    Path dir = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir")).getParent().resolve("report-browser"));
    ChromeDriver driver = chromium();
    try {
      for (Path page : pages) {
        String name = page.getParent().getFileName().toString();
        driver.get(page.toUri().toString());
        fullHeight(driver, 1100);
        layoutChecks(driver, name);
        assertNoConsoleProblems(driver);
        if (name.equals("default_arenabench")) {
          fullHeight(driver, 1100);
          Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + "-desktop.png"), StandardCopyOption.REPLACE_EXISTING);
          fullHeight(driver, NARROW);
          Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + "-narrow.png"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } finally {
      driver.quit();
    }
  }

  /** At desktop width and at 390 px: labels apart, no word split over lines, nothing wider than the window. */
  static void layoutChecks(ChromeDriver driver, String what) {
    JavascriptExecutor js = driver;
    for (int width : new int[] {1100, NARROW}) {
      fullHeight(driver, width);
      assertEquals("", js.executeScript(OVERLAPPING_LABELS), what + " at " + width + " px: overlapping point labels");
      assertEquals("", js.executeScript(BROKEN_WORDS), what + " at " + width + " px: words broken mid-word");
      long overflow = (Long) js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertEquals(0, overflow, what + " at " + width + " px: the page scrolls sideways");
    }
  }

  static void fullHeight(ChromeDriver driver, int width) {
    driver.manage().window().setSize(new Dimension(width, 900));
    long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
    driver.manage().window().setSize(new Dimension(width, (int) Math.min(height + 40, 16000)));
  }

  static void assertNoConsoleProblems(ChromeDriver driver) {
    HeadlessChromium.assertNoConsoleProblems(driver);
  }

  static ChromeDriver chromium() throws Exception {
    return HeadlessChromium.start(1100);
  }
}
