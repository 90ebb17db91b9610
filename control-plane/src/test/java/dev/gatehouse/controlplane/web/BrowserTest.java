package dev.gatehouse.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.Store;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: Debian's headless chromium through chromedriver (Selenium),
 * against a real control plane. alice files a request, bob and carol approve it in their own
 * sessions, alice's open page shows the grant without reloading, an admin (pat) revokes it; alice
 * gets no approve button on her own request, and forged form posts are refused. Screenshots of
 * each page go to {@code target/screenshots/}.
 *
 * <p>Skipped (with the reason) when {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is
 * missing: {@code apt-get install chromium chromium-driver}; {@code .ci/run} installs them when it can.
 * At most two browsers run at once (alice's, and one reviewers take turns in), on a shared 2-core box.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("gatehouse.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("gatehouse.chromedriver", "/usr/bin/chromedriver"));
  static final Path SHOTS = Path.of("target/screenshots");
  static final Duration WAIT = Duration.ofSeconds(20);

  static Path dir;
  static Vertx vertx;
  static TestOidcProvider idp;
  static ControlPlane cp;
  static WebDriver alice;
  static WebDriver reviewer;
  static String requestId;
  static String grantId;

  static final boolean AVAILABLE = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  static final String SKIPPED = "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
      + " is missing (apt-get install -y chromium chromium-driver)";

  @BeforeAll
  static void start() throws IOException {
    if (!AVAILABLE) {
      // said once in the build log; each test then reports itself skipped with the same reason
      System.err.println("BrowserTest: " + SKIPPED);
      return;
    }
    Files.createDirectories(SHOTS);
    dir = Files.createTempDirectory("gatehouse-browser");
    vertx = Vertx.vertx();
    try {
      // the identity provider on "localhost", the control plane on 127.0.0.1: two sites, as in real life
      idp = new TestOidcProvider(vertx, "localhost", "gatehouse-ui", null);
    } catch (Exception e) {
      throw new IOException("test OIDC provider: " + e.getMessage(), e);
    }
    cp = ControlPlane.start(WebUiTest.options(dir).web(WebOptions.defaults()
        .withOidc(new OidcLogin.Config(idp.issuer(), "gatehouse-ui", null, null, null))));
    alice = browser();
    reviewer = browser();
  }

  @AfterAll
  static void stop() throws IOException {
    for (WebDriver d : new WebDriver[] {alice, reviewer}) {
      if (d != null) {
        try {
          d.quit();
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
    if (cp != null) {
      cp.close();
    }
    if (idp != null) {
      try {
        idp.close();
      } catch (Exception e) {
        // closing with the JVM anyway
      }
    }
    if (vertx != null) {
      vertx.close();
    }
    if (dir != null) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void needsABrowser() {
    assumeTrue(AVAILABLE, SKIPPED);
  }

  static WebDriver browser() {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--disable-extensions", "--no-first-run", "--window-size=1280,1000", "--lang=en-US");
    ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    WebDriver d = new ChromeDriver(svc, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return d;
  }

  static WebDriverWait waiting(WebDriver d) {
    return new WebDriverWait(d, WAIT);
  }

  static void shot(WebDriver d, String name) throws IOException {
    File f = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  static void signIn(WebDriver d, String token) {
    d.get(cp.url() + "/ui/signin");
    d.findElement(By.id("token")).sendKeys(token);
    d.findElement(By.id("token-signin")).click();
    waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("whoami")));
  }

  static void signOut(WebDriver d) {
    d.findElement(By.cssSelector("form.signout button")).click();
    waiting(d).until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
  }

  /** Every visible form control has a label (a {@code <label for>} or an enclosing one). */
  static void everyControlIsLabelled(WebDriver d) {
    Object unlabelled = ((JavascriptExecutor) d).executeScript(
        "return Array.from(document.querySelectorAll('input,select,textarea'))"
            + ".filter(e => e.type !== 'hidden' && e.labels.length === 0).map(e => e.name || e.id);");
    assertThat((List<?>) unlabelled).as("controls without a label on " + d.getCurrentUrl()).isEmpty();
  }

  @Test
  @Order(1)
  void signInWithTheKeyboardAloneAndTheSecureCookieIsKeptOnLoopback() throws IOException {
    alice.get(cp.url() + "/");
    assertThat(alice.getCurrentUrl()).endsWith("/ui/signin?next=%2Fui%2Frequest");
    everyControlIsLabelled(alice);
    shot(alice, "01-sign-in");
    // Tab from the top: the skip link first, then the brand, the single sign-on button, the token
    // field; Enter submits.
    WebElement body = alice.findElement(By.tagName("body"));
    body.sendKeys(Keys.TAB);
    assertThat(alice.switchTo().activeElement().getText()).isEqualTo("Skip to content");
    List<String> order = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      new org.openqa.selenium.interactions.Actions(alice).sendKeys(Keys.TAB).perform();
      WebElement f = alice.switchTo().activeElement();
      order.add(f.getAttribute("id") == null || f.getAttribute("id").isEmpty() ? f.getText() : f.getAttribute("id"));
    }
    assertThat(order).containsExactly("Gatehouse", "oidc-signin", "token");
    WebElement focused = alice.switchTo().activeElement();
    focused.sendKeys(WebUiTest.ALICE, Keys.ENTER);
    waiting(alice).until(ExpectedConditions.presenceOfElementLocated(By.id("whoami")));
    assertThat(alice.findElement(By.id("whoami")).getText()).isEqualTo("alice");
    // chromium kept the Secure, HttpOnly cookie on http://127.0.0.1 (a potentially trustworthy origin)
    var cookie = alice.manage().getCookieNamed(WebUi.COOKIE);
    assertThat(cookie).isNotNull();
    assertThat(cookie.isSecure()).isTrue();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    // HttpOnly: page script cannot read it
    assertThat((String) ((JavascriptExecutor) alice).executeScript("return document.cookie")).doesNotContain(WebUi.COOKIE);
  }

  @Test
  @Order(2)
  void aliceChecksThenFilesARequest() throws IOException {
    alice.get(cp.url() + "/ui/request");
    everyControlIsLabelled(alice);
    // the kind's fields: only the service ones show
    assertThat(alice.findElement(By.id("pod")).isDisplayed()).isFalse();
    alice.findElement(By.cssSelector("label[for=kind-pod-exec]")).click();
    assertThat(alice.findElement(By.id("pod")).isDisplayed()).isTrue();
    alice.findElement(By.cssSelector("label[for=kind-service]")).click();
    alice.findElement(By.id("service")).sendKeys("payments-api");
    alice.findElement(By.id("namespace")).sendKeys("payments-prod");
    alice.findElement(By.id("action-write")).click();
    WebElement duration = alice.findElement(By.id("duration"));
    duration.clear();
    duration.sendKeys("2h");
    alice.findElement(By.id("reason")).sendKeys("Replay the failed settlement batch");
    alice.findElement(By.id("ticket")).sendKeys("PAY-1234");
    alice.findElement(By.id("check")).click();
    waiting(alice).until(ExpectedConditions.presenceOfElementLocated(By.id("check-result")));
    assertThat(alice.findElement(By.id("approvals-needed")).getText()).isEqualTo("2");
    assertThat(alice.findElement(By.id("max-duration")).getText()).isEqualTo("4h");
    assertThat(alice.findElement(By.id("ticket-needed")).getText()).isEqualTo("yes");
    shot(alice, "02-request-form");
    assertThat(cp.store().requests(new Store.RequestQuery(null, null, false, 10))).isEmpty();

    alice.findElement(By.id("submit")).click();
    waiting(alice).until(ExpectedConditions.urlContains("/ui/mine"));
    List<RequestRecord> rs = cp.store().requests(new Store.RequestQuery("alice", null, false, 10));
    assertThat(rs).hasSize(1);
    requestId = rs.get(0).id();
    assertThat(alice.findElement(By.id(requestId + "-state")).getText()).isEqualTo("pending");
    assertThat(alice.findElement(By.id(requestId + "-votes")).getText()).startsWith("0 of 2 approvals");
    shot(alice, "03-my-requests-pending");
  }

  @Test
  @Order(3)
  void aliceSeesNoApproveButtonOnHerOwnRequest() throws IOException {
    alice.get(cp.url() + "/ui/review");
    WebElement card = alice.findElement(By.id("review-" + requestId));
    assertThat(card.findElements(By.cssSelector("button.approve"))).isEmpty();
    assertThat(card.getText()).contains("Your own request");
    assertThat(alice.findElements(By.cssSelector("button.approve"))).isEmpty();
  }

  @Test
  @Order(4)
  void bobAndCarolApproveAndAliceSeesTheGrantWithoutReloading() throws Exception {
    alice.get(cp.url() + "/ui/mine");
    JavascriptExecutor js = (JavascriptExecutor) alice;
    // a marker that a reload would wipe
    js.executeScript("window.__gatehouseNoReload = 'still here';");
    // the page's event stream is open before anyone votes
    waiting(alice).until(d -> cp.store() != null && streams() >= 1);

    signIn(reviewer, WebUiTest.BOB);
    reviewer.get(cp.url() + "/ui/review");
    everyControlIsLabelled(reviewer);
    WebElement card = reviewer.findElement(By.id("review-" + requestId));
    assertThat(card.getText()).contains("Replay the failed settlement batch").contains("PAY-1234");
    shot(reviewer, "04-review-inbox");
    card.findElement(By.name("comment")).sendKeys("Looks right, ticket checked");
    card.findElement(By.cssSelector("button.approve")).click();
    waiting(reviewer).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.flash"), "You approved"));
    // alice's page shows bob's vote by itself
    waiting(alice).until(ExpectedConditions.textToBePresentInElementLocated(By.id(requestId + "-votes"), "bob approved"));
    // and says so to screen readers
    assertThat(alice.findElement(By.id("live-status")).getAttribute("textContent")).isEqualTo("Page updated");
    signOut(reviewer);

    signIn(reviewer, WebUiTest.CAROL);
    reviewer.get(cp.url() + "/ui/review");
    // a comment being typed survives a change elsewhere: the live re-read waits for it
    WebElement comment = reviewer.findElement(By.id("review-" + requestId)).findElement(By.name("comment"));
    comment.sendKeys("Checked with the on-call lead");
    UiClient zoe = new UiClient(vertx, cp.url());
    MultiMap z = WebUiTest.prodWrite(zoe.signIn(WebUiTest.ZOE), "submit");
    z.set("kind", "namespace");
    z.set("namespace", "marketing-dev");
    z.set("role", "view");
    zoe.post("/ui/request", z); // any change: an event for every open page
    zoe.close();
    Thread.sleep(1500);
    assertThat(reviewer.findElement(By.id("review-" + requestId)).findElement(By.name("comment")).getAttribute("value"))
        .isEqualTo("Checked with the on-call lead");
    reviewer.findElement(By.id("review-" + requestId)).findElement(By.cssSelector("button.approve")).click();
    waiting(reviewer).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.flash"), "approved"));
    signOut(reviewer);

    RequestRecord r = cp.store().request(requestId).orElseThrow();
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    grantId = r.grantId();
    waiting(alice).until(ExpectedConditions.presenceOfElementLocated(By.id(requestId + "-grant")));
    assertThat(alice.findElement(By.id(requestId + "-grant")).getText()).contains(grantId).contains("active").contains("left");
    assertThat(alice.findElement(By.id(requestId + "-state")).getText()).isEqualTo("approved");
    assertThat(js.executeScript("return window.__gatehouseNoReload")).isEqualTo("still here");
    shot(alice, "05-my-requests-granted");
  }

  static int streams() {
    return cp.webUi().openStreams();
  }

  @Test
  @Order(5)
  void anAdminRevokesAndAlicesPagesFollow() throws IOException {
    alice.get(cp.url() + "/ui/access");
    JavascriptExecutor js = (JavascriptExecutor) alice;
    js.executeScript("window.__gatehouseNoReload = 'still here';");
    assertThat(alice.findElement(By.id(grantId)).getText()).contains("alice").contains("payments-api");
    shot(alice, "06-access-now");

    signIn(reviewer, WebUiTest.PAT);
    reviewer.get(cp.url() + "/ui/access");
    WebElement card = reviewer.findElement(By.id(grantId));
    card.findElement(By.name("reason")).sendKeys("batch replayed");
    card.findElement(By.cssSelector("button.revoke")).click();
    waiting(reviewer).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.flash"), "revoked"));
    GrantRecord g = cp.store().grant(grantId).orElseThrow();
    assertThat(g.doc().path("revoked_by").asText()).isEqualTo("pat");
    // alice's Access now page drops the grant by itself
    waiting(alice).until(ExpectedConditions.numberOfElementsToBe(By.id(grantId), 0));
    assertThat(js.executeScript("return window.__gatehouseNoReload")).isEqualTo("still here");

    reviewer.get(cp.url() + "/ui/audit");
    assertThat(reviewer.findElement(By.id("chain-status")).getText()).contains("events checked");
    assertThat(reviewer.findElement(By.id("chain-title")).getText()).isEqualTo("Hash chain: verified");
    assertThat(reviewer.findElement(By.id("audit")).getText()).contains("grant.revoked").contains("review.recorded");
    everyControlIsLabelled(reviewer);
    shot(reviewer, "07-audit");
  }

  @Test
  @Order(6)
  void forgedFormPostsAreRefused() throws Exception {
    int before = cp.store().requests(new Store.RequestQuery(null, null, false, 100)).size();
    // 1. alice's own page, its CSRF token tampered with
    alice.get(cp.url() + "/ui/request");
    ((JavascriptExecutor) alice).executeScript("document.querySelector('#request-form input[name=csrf]').value = 'forged';");
    alice.findElement(By.id("reason")).sendKeys("Replay the failed settlement batch");
    alice.findElement(By.id("submit")).click();
    waiting(alice).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-status='403']")));
    assertThat(alice.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
    assertThat(alice.getPageSource()).contains("not this session");
    shot(alice, "08-refused");

    // 2. a page on another origin posting to the control plane with alice's cookie in the jar
    Vertx vertx = Vertx.vertx();
    try {
      String page = "<!doctype html><html><body><form method=\"post\" action=\"" + cp.url() + "/ui/request\">"
          + "<input name=\"kind\" value=\"service\"><input name=\"service\" value=\"payments-api\">"
          + "<input name=\"namespace\" value=\"payments-prod\"><input name=\"actions\" value=\"write\">"
          + "<input name=\"duration\" value=\"1h\"><input name=\"reason\" value=\"totally legitimate reason\">"
          + "<input name=\"ticket\" value=\"PAY-1\"><input name=\"op\" value=\"submit\">"
          + "<button id=\"go\" type=\"submit\">go</button></form></body></html>";
      HttpServer evil = vertx.createHttpServer().requestHandler(req -> req.response()
          .putHeader("content-type", "text/html").end(page));
      evil.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // localhost vs 127.0.0.1: another site, not only another origin
      alice.get("http://localhost:" + evil.actualPort() + "/");
      alice.findElement(By.id("go")).click();
      waiting(alice).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-status='403']")));
      assertThat(alice.getPageSource()).contains("Nothing was changed");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertThat(cp.store().requests(new Store.RequestQuery(null, null, false, 100))).hasSize(before);
    assertThat(cp.store().audit(1, 10_000)).filteredOn(e -> e.type().equals("access.refused"))
        .anySatisfy(e -> assertThat(e.data()).contains("csrf"));
  }

  @Test
  @Order(7)
  void singleSignOnThroughAnIdentityProviderOnAnotherSite() throws IOException {
    idp.user = "carol";
    idp.groups = List.of();
    reviewer.get(cp.url() + "/ui/access");
    if (!reviewer.findElements(By.cssSelector("form.signout")).isEmpty()) {
      signOut(reviewer);
    }
    reviewer.get(cp.url() + "/ui/signin");
    reviewer.findElement(By.id("oidc-signin")).click();
    // provider (localhost) → callback (127.0.0.1): the Lax flow cookie survives the cross-site
    // redirect, and the refresh page makes the next request same-site for the Strict session cookie
    waiting(reviewer).until(ExpectedConditions.presenceOfElementLocated(By.id("whoami")));
    assertThat(reviewer.findElement(By.id("whoami")).getText()).isEqualTo("carol");
    assertThat(reviewer.getCurrentUrl()).isEqualTo(cp.url() + "/ui/request");
    assertThat(idp.pkceChecked.get()).isEqualTo(1);
    assertThat(idp.lastAuthorizeQuery).contains("code_challenge_method=S256");
    assertThat(reviewer.manage().getCookieNamed(WebUi.OIDC_COOKIE)).isNull();
    shot(reviewer, "10-signed-in-with-oidc");
    signOut(reviewer);
  }

  @Test
  @Order(8)
  void readableAt375PixelsWide() throws IOException {
    alice.manage().window().setSize(new Dimension(375, 900));
    try {
      for (String path : List.of("/ui/request", "/ui/mine", "/ui/review", "/ui/access")) {
        alice.get(cp.url() + path);
        long scroll = (Long) ((JavascriptExecutor) alice).executeScript("return document.documentElement.scrollWidth;");
        long inner = (Long) ((JavascriptExecutor) alice).executeScript("return window.innerWidth;");
        assertThat(scroll).as("horizontal scrolling on " + path).isLessThanOrEqualTo(inner);
      }
      alice.get(cp.url() + "/ui/request");
      shot(alice, "09-request-form-375px");
    } finally {
      alice.manage().window().setSize(new Dimension(1280, 1000));
    }
  }
}
