package kdive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI in real headless Chromium (Debian's chromium + chromium-driver): bucket list, sorting,
 * click into a bucket, counts, chart, screenshots in target/screenshots, and hostile report text
 * (script tags, attribute breakouts) shown as text, never run.
 */
class WebUiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String TOKEN = "ui-token";
    static final String SCRIPT = "<script>window.kdiveXss = 1</script>";
    static final String IMG = "\"><img src=x onerror=\"window.kdiveXss = 2\">";

    @TempDir
    Path tmp;

    @Test
    void bucketListBucketPageAndEscaping() throws Exception {
        requireChromium();
        var cfg = ServerConfig.loopback(tmp.resolve("ui.sqlite"), Tokens.of(TOKEN)).withReadOpen(true);
        try (FleetServer server = FleetServer.start(cfg)) {
            var c = new Client(server.port());
            String example = Corpus.example();
            for (String host : List.of("web-1", "web-2", "db-1")) {
                assertThat(c.postReport(TOKEN, host, example, null).statusCode()).isEqualTo(201);
            }
            assertThat(c.postReport(TOKEN, "web-1", example, null).statusCode()).isEqualTo(200);
            var samples = ConcurrencyTest.samples();
            for (int i = 0; i < 20; i++) {
                assertThat(c.postReport(TOKEN, "syz-" + i % 4, samples.get(i * 7).text(), null).statusCode())
                        .isEqualTo(201);
            }
            // Hostile text inside a real oops, and a hostile host name.
            String hostile = example.replace("Hardware name:", SCRIPT + "\n" + IMG + "\nHardware name:");
            var xss = c.postReport(TOKEN, IMG + SCRIPT, hostile, null);
            assertThat(xss.statusCode()).isEqualTo(201);
            String xssReport = Client.json(xss).get("id").asText();
            String exampleTitle = Client.json(xss).get("title").asText();

            WebDriver driver = chromium();
            try {
                String base = "http://127.0.0.1:" + server.port();
                driver.get(base + "/buckets");
                assertThat(driver.getTitle()).contains("Crash buckets");
                List<WebElement> rows = driver.findElements(By.cssSelector("#buckets tbody tr"));
                assertThat(rows).hasSize(Integer.parseInt(
                        driver.findElement(By.id("total")).getText().split(" ")[0]));
                WebElement row = rows.stream()
                        .filter(r -> r.findElement(By.cssSelector("td.title")).getText().equals(exampleTitle))
                        .findFirst().orElseThrow();
                assertThat(row.findElement(By.cssSelector("td.count")).getText()).isEqualTo("4");
                assertThat(row.findElement(By.cssSelector("td.hosts")).getText()).isEqualTo("4");
                assertThat(row.findElement(By.cssSelector("td.kernels")).getText())
                        .isEqualTo("3.10.0-327.36.1.el7.x86_64");
                screenshot(driver, "buckets.png");

                // Sort by report count (click the header): the example's bucket (4) comes first.
                driver.findElement(By.linkText("Reports")).click();
                assertThat(driver.getCurrentUrl()).contains("sort=count");
                assertThat(driver.findElement(By.cssSelector("#buckets tbody tr td.count")).getText()).isEqualTo("4");

                driver.findElement(By.linkText(exampleTitle)).click();
                assertThat(driver.findElement(By.id("title")).getText()).isEqualTo(exampleTitle);
                assertThat(driver.findElement(By.id("count")).getText()).isEqualTo("4");
                assertThat(driver.findElement(By.id("hosts")).getText()).isEqualTo("4");
                assertThat(driver.findElements(By.cssSelector("#host-table tbody tr"))).hasSize(4);
                assertThat(driver.findElements(By.cssSelector("svg.chart rect.bar"))).hasSize(1);
                assertThat(driver.findElement(By.cssSelector("svg.chart rect.bar")).getAttribute("data-count"))
                        .isEqualTo("4");
                assertThat(driver.findElement(By.cssSelector("pre.raw")).getText()).contains("skb_entail+0x52/0xd0");
                assertThat(driver.findElement(By.cssSelector("pre.analysis")).getText()).contains("skb_entail");
                screenshot(driver, "bucket.png");
                assertNothingInjected(driver);
                assertThat(driver.findElement(By.id("host-table")).getText()).contains(IMG + SCRIPT);

                // A kernel links to the list of buckets seen on it.
                driver.findElement(By.cssSelector("#kernel-table a")).click();
                assertThat(driver.getCurrentUrl()).contains("kernel=3.10.0-327.36.1.el7.x86_64");
                assertThat(driver.findElements(By.cssSelector("#buckets tbody tr"))).hasSize(1);

                driver.get(base + "/reports/" + xssReport);
                assertThat(driver.findElement(By.cssSelector("pre.raw")).getText()).contains(SCRIPT).contains(IMG);
                assertThat(driver.findElement(By.cssSelector("td.host")).getText()).isEqualTo(IMG + SCRIPT);
                assertNothingInjected(driver);
                screenshot(driver, "xss-report.png");

                // Reflected input: the search box echoes q.
                driver.get(base + "/buckets?q=" + java.net.URLEncoder.encode(IMG + SCRIPT,
                        java.nio.charset.StandardCharsets.UTF_8));
                assertThat(driver.findElement(By.name("q")).getAttribute("value")).isEqualTo(IMG + SCRIPT);
                assertNothingInjected(driver);
            } finally {
                driver.quit();
            }
        }
    }

    /** No element came from report text, and no script ran (the DOM check holds even without the CSP). */
    private static void assertNothingInjected(WebDriver driver) {
        var js = (JavascriptExecutor) driver;
        assertThat(js.executeScript("return document.scripts.length")).isEqualTo(0L);
        assertThat(js.executeScript("return document.querySelectorAll('img').length")).isEqualTo(0L);
        assertThat(js.executeScript("return typeof window.kdiveXss")).isEqualTo("undefined");
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
        Files.createDirectories(dir);
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(name), png);
        assertThat(png.length).isGreaterThan(1000);
    }

    private WebDriver chromium() throws Exception {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        var driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String why = "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver;"
                + " scripts/ci/50-server.sh does it)";
        if (Backend.fixturesRequired()) {
            fail(why + " [KDIVE_REQUIRE_FIXTURES=1]");
        }
        assumeTrue(false, why);
    }
}
