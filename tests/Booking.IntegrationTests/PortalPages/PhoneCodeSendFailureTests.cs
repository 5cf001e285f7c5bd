using System.Net;
using System.Text.Json;
using Booking.BuildingBlocks.Phones;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The code page when the text carrying the code could not be sent (finding 2 of the s41 review, decision 344): the
/// Twilio adapter against the loopback carrier. Refused for good (an invalid number): the page says so in plain words,
/// offers the number again (and email), no code box and no resend; staff's log does not say "ask for a new code".
/// Failed for now: the page says so and a new code may be asked for. The /dev/sms hint is not shown with the carrier on.
/// </summary>
public sealed class PhoneCodeSendFailureTests(CarrierApp fixture) : IClassFixture<CarrierApp>
{
    private BookingApp App => fixture.App;

    private static FakeCarrier Carrier => CarrierApp.Carrier;

    /// <summary>/ol/phone with the number, as a browser posts it: the code page's address.</summary>
    private async Task<string> AskForCodeAsync(HttpClient browser, string slug, string mobile)
    {
        var phone = await browser.PageAsync($"/ol/phone?name={slug}");
        var posted = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        return posted.Response.Headers.Location!.OriginalString;
    }

    /// <summary>The code's text in staff's message log, once its tries are over.</summary>
    private static async Task<JsonElement> LoggedCodeTextAsync(HttpClient owner, string mobile) =>
        await Eventually.ReturnsAsync(
            async () => (await (await owner.GetAsync(new Uri("/api/v1/admin/messages", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray().FirstOrDefault(m => m.GetProperty("to").GetString() == mobile),
            m => m.ValueKind == JsonValueKind.Object && m.GetProperty("status").GetString() == "failed", TimeSpan.FromSeconds(60), "the code's failed text in the log");

    [Fact]
    public async Task A_code_the_carrier_refuses_for_good_is_said_on_the_code_page_with_the_number_again_and_no_resend()
    {
        var biz = await App.SignUpBusinessAsync("nosend");
        var mobile = PortalAuthHelpers.NewMobile();
        Carrier.Answers[mobile] = (400, $$"""{"code":21211,"message":"The 'To' number {{mobile}} is not a valid phone number.","status":400}""");
        var browser = fixture.NewClient();
        var codeUrl = await AskForCodeAsync(browser, biz.Slug, mobile);

        var logged = await LoggedCodeTextAsync(biz.Owner, mobile);
        Assert.Equal("text-sign-in-code", logged.GetProperty("kind").GetString());
        var note = logged.GetProperty("note").GetString()!;
        Assert.DoesNotContain("can ask for a new code", note, StringComparison.Ordinal);
        Assert.Contains("fail the same way", note, StringComparison.Ordinal);
        Assert.True(logged.GetProperty("refusedForGood").GetBoolean());

        // The page reads the stored flag (texts.permanent, decision 348), not the note's words: staff's wording may change.
        Assert.Equal(1, await Sql.AdminScalarAsync<int>(App.Database.Database,
            "update portalauth.texts set note = 'Reworded.' where tenant_id = @t and \"to\" = @m returning 1", ("t", biz.Id), ("m", mobile)));

        var page = await browser.PageAsync(codeUrl);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var said = page.One("#text-failed")!.TextContent;
        Assert.Contains($"We could not send a text to {PhoneDisplay.Mask(mobile, "AU")}. Check the number, or sign in another way.", said, StringComparison.Ordinal);
        Assert.DoesNotContain("We sent", page.Text, StringComparison.Ordinal);
        Assert.Null(page.One("input[name='Input.Code']"));
        Assert.Null(page.One("#resend"));
        Assert.StartsWith($"/ol/phone?name={biz.Slug}", page.One("#enter-number-again")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.StartsWith($"/ol/sign-in?name={biz.Slug}", page.One("#sign-in-email")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Null(page.One(".demo")); // the carrier sends the texts: nothing lands on /dev/sms
        Assert.Equal(1, Carrier.CountTo(mobile)); // refused for good: not tried again
    }

    [Fact]
    public async Task A_code_the_carrier_could_not_take_for_now_is_said_on_the_code_page_and_a_new_code_is_offered()
    {
        var biz = await App.SignUpBusinessAsync("nosend");
        var mobile = PortalAuthHelpers.NewMobile();
        Carrier.Answers[mobile] = (503, """{"code":20503,"message":"Service Unavailable","status":503}""");
        var browser = fixture.NewClient();
        var codeUrl = await AskForCodeAsync(browser, biz.Slug, mobile);

        var logged = await LoggedCodeTextAsync(biz.Owner, mobile);
        Assert.Equal("Not sent: given up. The client can ask for a new code.", logged.GetProperty("note").GetString());
        Assert.False(logged.GetProperty("refusedForGood").GetBoolean());

        var page = await browser.PageAsync(codeUrl);
        Assert.Contains($"We could not send a text to {PhoneDisplay.Mask(mobile, "AU")} just now.", page.One("#text-failed")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("We sent", page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.One("#resend"));
        Assert.NotNull(page.One("input[name='Input.Code']"));
        Assert.Null(page.One(".demo"));
        Assert.Equal(3, Carrier.CountTo(mobile)); // the dispatcher's tries
    }

    /// <summary>
    /// Decision 348: the carrier refusing our account (401, bad credentials) is not the number's fault, so the page does not
    /// tell the client to check their number: it is a failure for now, with the code form and a new code offered.
    /// </summary>
    [Fact]
    public async Task A_code_refused_for_our_account_s_credentials_is_no_refusal_of_the_number_on_the_code_page()
    {
        var biz = await App.SignUpBusinessAsync("nosend");
        var mobile = PortalAuthHelpers.NewMobile();
        Carrier.Answers[mobile] = (401, """{"code":20003,"message":"Authenticate","status":401}""");
        var browser = fixture.NewClient();
        var codeUrl = await AskForCodeAsync(browser, biz.Slug, mobile);

        var logged = await LoggedCodeTextAsync(biz.Owner, mobile);
        Assert.False(logged.GetProperty("refusedForGood").GetBoolean());
        Assert.Equal("Not sent: given up. The client can ask for a new code.", logged.GetProperty("note").GetString());
        Assert.Equal(1, Carrier.CountTo(mobile)); // not transient: not tried again

        var page = await browser.PageAsync(codeUrl);
        Assert.Contains($"We could not send a text to {PhoneDisplay.Mask(mobile, "AU")} just now.", page.One("#text-failed")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Check the number, or sign in another way", page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.One("#resend"));
    }
}
