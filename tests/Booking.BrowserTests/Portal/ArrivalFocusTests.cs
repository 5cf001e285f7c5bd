using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>
/// Pages reached after a post or a redirect start at what they are about, not behind the menu (s41 review, finding 7):
/// the confirm page after signing in and Booked focus their heading, the code page its only field, the new-client page
/// its heading (<c>data-focus-first</c>, focused by error-summary.js as an error summary is); "We sent a new code" is a
/// status read after load. The sign-in page restates the time chosen (finding 9) from the return address, validated.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ArrivalFocusTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_visitor_s_sign_in_names_the_time_chosen_and_the_confirm_and_booked_pages_start_at_their_heading()
    {
        var business = await fixture.BusinessAsync();
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(business.BookingUrlTomorrow());
        var slot = page.Locator(".slot").Nth(1);
        await Assertions.Expect(slot).ToBeVisibleAsync();
        await slot.ClickAsync();

        var reason = page.Locator("#sign-in-reason");
        await Assertions.Expect(reason).ToHaveTextAsync(new Regex($"^Sign in to book {PortalSetup.ServiceName} on \\w+ \\d+ \\w+ \\d{{4}} at .+\\.$"));
        var said = (await reason.TextContentAsync())!.Trim();
        await page.AssertAccessibleAsync("portal-sign-in-time-named");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await Assertions.Expect(heading).ToHaveTextAsync("Confirm your booking");
        await Assertions.Expect(heading).ToBeFocusedAsync();
        // The sentence named the time the confirm page shows, in the business's words.
        var when = (await page.Locator(".summary time").TextContentAsync())!.Trim();
        Assert.Equal($"Sign in to book {PortalSetup.ServiceName} on {when}.", said);
        await page.AssertAccessibleAsync("portal-confirm-focused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();
        await Assertions.Expect(heading).ToHaveTextAsync("You're booked");
        await Assertions.Expect(heading).ToBeFocusedAsync();
        await page.AssertAccessibleAsync("portal-booked-focused");
    }

    [Fact]
    public async Task A_return_address_naming_no_service_offered_or_no_time_gets_the_plain_sentence_and_none_of_its_text()
    {
        var business = await fixture.BusinessAsync();
        var page = await fixture.NewPageAsync();
        var start = Uri.EscapeDataString($"{PortalSetup.TomorrowInSydney()}T10:00:00+11:00");
        string[] returns =
        [
            $"/ol/new-booking/confirm?name={business.Slug}&service={Guid.NewGuid()}&diary=any&start={start}",
            $"/ol/new-booking/confirm?name={business.Slug}&service={business.ServiceId}&diary=any&start=%3Cb%3Enoon%3C%2Fb%3E",
            $"/ol/new-booking/confirm?name={business.Slug}&service=Massage&diary=any&start={start}",
            $"/ol/new-booking/confirm?name={business.Slug}&service={business.ServiceId}&diary=any",
        ];
        foreach (var back in returns)
        {
            await page.GotoAsync(business.Url("/ol/sign-in") + "&returnUrl=" + Uri.EscapeDataString(back));
            await Assertions.Expect(page.Locator("#sign-in-reason")).ToHaveTextAsync("Sign in to book an appointment.");
            var text = await page.Locator("main").TextContentAsync();
            Assert.DoesNotContain("noon", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Massage", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_code_page_focuses_its_field_says_a_new_code_was_sent_as_a_status_and_the_new_client_page_starts_at_its_heading()
    {
        var business = await fixture.BusinessAsync();
        var local = "0415" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e164 = "+61" + local[1..];
        var page = await fixture.NewPageAsync();
        await page.WatchStatusAsync();

        await page.GotoAsync(business.Url("/ol/phone"));
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        var first = await fixture.LatestCodeAsync(e164);

        // The 30-second spacing is over (moved against the time the app wrote), and the page is opened without its wait.
        await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.code_sends set at = at - interval '1 minute' where mobile = @m", ("m", e164));
        await page.GotoAsync(Regex.Replace(page.Url, "resendAt=\\d+", "resendAt=0"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" }).ClickAsync();
        var sent = page.Locator("#code-sent-to");
        await Assertions.Expect(sent).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(sent).ToContainTextAsync("We sent a new code to");
        await page.WaitForFunctionAsync("() => window.__announced.some(t => t.indexOf('We sent a new code to') === 0)");
        await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        await page.AssertAccessibleAsync("portal-phone-code-resent");

        await page.GetByLabel("Code").FillAsync(await fixture.LatestCodeAsync(e164, first));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await Assertions.Expect(heading).ToHaveTextAsync("Your details");
        await Assertions.Expect(heading).ToBeFocusedAsync();
        await page.AssertAccessibleAsync("portal-new-client-focused");
    }
}
