using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Booking.BuildingBlocks.Phones;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalAuth;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// An app of its own whose texts go through the Twilio adapter to the loopback <see cref="FakeCarrier"/>, as decision
/// 344's integration tests make code sends fail (<c>PhoneCodeSendFailureTests</c>): a number answered 400 21211 is
/// refused for good, one answered 503 is given up after the dispatcher's tries.
/// </summary>
public sealed class CarrierBrowserApp : IAsyncLifetime
{
    public FakeCarrier Carrier { get; } = new();

    public BrowserApp App { get; private set; } = null!;

    private SmtpTestServer? smtp;

    public async Task InitializeAsync()
    {
        smtp = await SmtpTestServer.StartAsync();
        App = new BrowserApp(await TestDatabaseServer.CreateDatabaseAsync("browsercarrier"), smtp);
        App.With("Sms:Adapter", "twilio").With("Sms:Twilio:BaseUrl", Carrier.BaseUrl).With("Sms:Twilio:AccountSid", FakeCarrier.Sid)
            .With("Sms:Twilio:AuthToken", FakeCarrier.Token).With("Sms:Twilio:From", "+61491570100");
        App.Start();
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (smtp is not null)
        {
            await smtp.DisposeAsync();
        }

        Carrier.Dispose();
    }
}

/// <summary>
/// The code pages' states of decision 344 in a real browser (none were tested there before): a text the carrier refused
/// for good (no code box, no resend; the sign-in page offers email, Your details' mobile page the number again), one it
/// gave up on for now (the code box and "Send a new code"), and an expired code offering a new one to the same number.
/// axe-core on each.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CodeStatesTests(BrowserFixture fixture, CarrierBrowserApp carrier) : IClassFixture<CarrierBrowserApp>
{
    private static string NewLocal(string prefix) => prefix + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<IPage> CarrierPageAsync()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = carrier.App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-AU",
            TimezoneId = "Europe/London",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Reloads the code page until the text's record says what became of it (the dispatcher's tries take seconds).</summary>
    private static async Task WaitForTextFailedAsync(IPage page, string words)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!((await page.Locator("#text-failed").AllTextContentsAsync()).Any(t => t.Contains(words, StringComparison.Ordinal))))
        {
            Assert.True(DateTime.UtcNow < until, $"the code page never said \"{words}\" ({page.Url})");
            await Task.Delay(1000);
            await page.ReloadAsync();
        }
    }

    private static async Task AskForCodeAsync(IPage page, string slug, string local)
    {
        await page.GotoAsync($"/ol/phone?name={slug}");
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_text_refused_for_good_says_so_with_no_code_box_or_resend_and_offers_the_number_again_and_email()
    {
        var biz = await carrier.App.SignUpBusinessAsync("refused");
        var local = NewLocal("0416");
        var e164 = "+61" + local[1..];
        carrier.Carrier.Answers[e164] = (400, $$"""{"code":21211,"message":"The 'To' number {{e164}} is not a valid phone number.","status":400}""");
        var page = await CarrierPageAsync();
        await AskForCodeAsync(page, biz.Slug, local);

        await WaitForTextFailedAsync(page, $"We could not send a text to {PhoneDisplay.Mask(e164, "AU")}. Check the number, or sign in another way.");
        await Assertions.Expect(page.Locator("#text-failed")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Code")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Enter your number again" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with email instead" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-phone-code-refused");
        Assert.Equal(1, carrier.Carrier.CountTo(e164));
    }

    [Fact]
    public async Task A_text_given_up_for_now_says_so_and_keeps_the_code_box_and_Send_a_new_code()
    {
        var biz = await carrier.App.SignUpBusinessAsync("givenup");
        var local = NewLocal("0417");
        var e164 = "+61" + local[1..];
        carrier.Carrier.Answers[e164] = (503, """{"code":20503,"message":"Service Unavailable","status":503}""");
        var page = await CarrierPageAsync();
        await AskForCodeAsync(page, biz.Slug, local);

        await WaitForTextFailedAsync(page, $"We could not send a text to {PhoneDisplay.Mask(e164, "AU")} just now. Ask for a new code to try again, or check the number.");
        await Assertions.Expect(page.Locator("#code-sent-to")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-phone-code-given-up");
    }

    [Fact]
    public async Task Your_details_mobile_code_page_says_a_text_refused_for_good_and_offers_the_number_again()
    {
        var business = await carrier.App.SignUpBusinessAsync("acctrefused");
        var email = $"ria-{Guid.NewGuid():N}@client.example";
        const string password = "a long client password for the browser";
        await PortalSetup.Ok(await carrier.App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={business.Slug}",
            new { firstName = "Ria", lastName = "Refused", email, password, mobile = (string?)null }));
        var local = NewLocal("0418");
        var e164 = "+61" + local[1..];
        carrier.Carrier.Answers[e164] = (400, $$"""{"code":21211,"message":"The 'To' number {{e164}} is not a valid phone number.","status":400}""");
        var page = await CarrierPageAsync();
        await page.GotoAsync($"/ol/sign-in?name={business.Slug}");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My appointments" })).ToBeVisibleAsync();

        await page.GotoAsync($"/ol/account/mobile?name={business.Slug}");
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();

        await WaitForTextFailedAsync(page, $"We could not send a text to {PhoneDisplay.Mask(e164, "AU")}. Check the number and enter it again.");
        await Assertions.Expect(page.GetByLabel("Code")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Enter your number again" })).ToHaveAttributeAsync("href", new Regex("^/ol/account/mobile\\?name="));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with email instead" })).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("portal-account-mobile-code-refused");
    }

    [Fact]
    public async Task An_expired_code_says_so_and_sends_a_new_one_to_the_same_number()
    {
        var business = await fixture.BusinessAsync();
        var local = NewLocal("0419");
        var e164 = "+61" + local[1..];
        var page = await fixture.NewPageAsync();
        await page.WatchStatusAsync();
        await AskForCodeAsync(page, business.Slug, local);
        var first = await fixture.LatestCodeAsync(e164);

        // The code's own lifetime passes, the attempt's does not; and the 30-second spacing is over (as PhoneCodePageTests).
        var db = fixture.App.Database.Database;
        await Sql.AdminExecAsync(db, "update portalauth.sign_in_attempts set code_expires_at = code_sent_at - interval '1 second' where mobile = @m", ("m", e164));
        await Sql.AdminExecAsync(db, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", e164));
        await page.GotoAsync(Regex.Replace(page.Url, "resendAt=\\d+", "resendAt=0"));

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This code has expired: a code works for 10 minutes. We can text you a new one.");
        await Assertions.Expect(page.Locator("#code-sent-to")).ToContainTextAsync($"We can text a new code to {PhoneDisplay.Mask(e164, "AU")}.");
        await Assertions.Expect(page.GetByLabel("Code")).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("portal-phone-code-expired");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-sent-to")).ToContainTextAsync("We sent a new code to");
        await page.WaitForFunctionAsync("() => window.__announced.some(t => t.indexOf('We sent a new code to') === 0)");
        await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        Assert.NotEqual(first, await fixture.LatestCodeAsync(e164, first));
    }
}
