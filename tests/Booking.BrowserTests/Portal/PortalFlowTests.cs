using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Portal;

/// <summary>The client portal's flows in a real browser, with axe-core and 360/1280 screenshots on each page.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PortalFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_new_client_signs_in_by_phone_gives_details_and_requests_a_booking()
    {
        var business = await fixture.BusinessAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["booksForPets"] = true;
        });
        var local = "0412" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e164 = "+61" + local[1..];
        var page = await fixture.NewPageAsync(360);

        await page.GotoAsync(business.Url("/ol/book"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Business {business.Slug}");
        // The browser is in London, the business in Sydney: the zone is named.
        await Assertions.Expect(page.Locator(".zone-note")).ToContainTextAsync("Australia/Sydney");
        await page.AssertAccessibleAsync("portal-landing");
        await page.CaptureAtWidthsAsync("portal-landing");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your mobile" }).ClickAsync();
        await page.AssertAccessibleAsync("portal-phone");
        await page.CaptureAtWidthsAsync("portal-phone");
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        // The resend cooldown is visible and the button waits for it.
        await Assertions.Expect(page.Locator("#resend-note")).ToContainTextAsync("You can ask for a new code in");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" })).ToBeDisabledAsync();
        await page.AssertAccessibleAsync("portal-phone-code");
        await page.CaptureAtWidthsAsync("portal-phone-code");

        // A wrong code is refused next to the field, with the tries left.
        await page.GetByLabel("Code").FillAsync("000000" == await fixture.LatestCodeAsync(e164) ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToContainTextAsync("tries left");
        await page.AssertAccessibleAsync("portal-phone-code-wrong");

        await page.GetByLabel("Code").FillAsync(await fixture.LatestCodeAsync(e164));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your details" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-new-client");
        await page.CaptureAtWidthsAsync("portal-new-client");
        await page.GetByLabel("First name").FillAsync("Nova");
        await page.GetByLabel("Last name").FillAsync("Newcomer");
        await page.GetByLabel("Pet's name").FillAsync("Biscuit");
        await page.GetByLabel("Species (dog, cat…)").FillAsync("Dog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to booking" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book an appointment" })).ToBeVisibleAsync();
        // Until the booking request is filed only booking is offered (PRODUCT.md, seed 004).
        await Assertions.Expect(page.GetByText("Choose a time for your first visit to finish joining")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Portal" }).GetByRole(AriaRole.Link, new() { Name = "My appointments" })).ToHaveCountAsync(0);
        // Today may have no times left (the roster ends at 23:30 in Sydney); the other days with free times are listed.
        await Assertions.Expect(page.Locator(".days a").Nth(1)).ToBeVisibleAsync();

        // Picking another day loads its free times in place (the progressive script over the availability API).
        var later = await page.Locator(".days a").Nth(1).GetAttributeAsync("href");
        var laterDate = Regex.Match(later!, @"date=(\d{4}-\d{2}-\d{2})").Groups[1].Value;
        await page.GetByLabel("Day", new() { Exact = true }).FillAsync(laterDate);
        await Assertions.Expect(page.Locator(".slot time").First).ToHaveAttributeAsync("datetime", new Regex("^" + laterDate));
        await page.AssertAccessibleAsync("portal-book-slots");
        await page.CaptureAtWidthsAsync("portal-book-slots");
        await page.Locator(".slot").First.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your booking" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("$45.00", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("For", new() { Exact = true })).ToContainTextAsync("Biscuit");
        // "A pet not listed yet" reveals the new pet's fields (always in the page; the script hides them otherwise).
        await Assertions.Expect(page.Locator("#new-pet")).ToBeHiddenAsync();
        await page.GetByLabel("For", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "A pet not listed yet" });
        await Assertions.Expect(page.GetByLabel("Pet's name")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-confirm-new-pet");
        await page.GetByLabel("For", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Biscuit (Dog)" });
        await Assertions.Expect(page.Locator("#new-pet")).ToBeHiddenAsync();
        await page.AssertAccessibleAsync("portal-confirm");
        await page.CaptureAtWidthsAsync("portal-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Request booking" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Booking requested");
        await Assertions.Expect(page.Locator("dd.status")).ToContainTextAsync("Requested");
        await Assertions.Expect(page.Locator(".summary")).ToContainTextAsync("Biscuit");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Portal" }).GetByRole(AriaRole.Link, new() { Name = "My appointments" })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-booked-requested");
        await page.CaptureAtWidthsAsync("portal-booked-requested");

        // Staff see the request.
        var requests = await business.Biz.Owner.GetStringAsync(new Uri("/api/v1/admin/requests", UriKind.Relative));
        Assert.Contains("Nova", requests, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_client_with_two_dogs_names_both_in_the_details_form_and_books_for_the_one_they_chose()
    {
        var business = await fixture.BusinessAsync(s => s["booksForPets"] = true);
        var local = "0412" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var e164 = "+61" + local[1..];
        var page = await fixture.NewPageAsync(360);
        await page.GotoAsync(business.Url("/ol/book"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your mobile" }).ClickAsync();
        await page.GetByLabel("Mobile number").FillAsync(local);
        await page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await page.GetByLabel("Code").FillAsync(await fixture.LatestCodeAsync(e164));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your details" })).ToBeVisibleAsync();
        await page.GetByLabel("First name").FillAsync("Dana");
        await page.GetByLabel("Last name").FillAsync("Twodogs");
        await page.GetByLabel("Pet's name").FillAsync("Rex");
        await page.GetByLabel("Species (dog, cat…)").FillAsync("Dog");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add another pet" }).ClickAsync();

        // The form again, as typed, with a row named "Pet 2" whose name field has the focus.
        var second = page.GetByRole(AriaRole.Group, new() { Name = "Pet 2", Exact = true });
        await Assertions.Expect(second).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByLabel("Pet's name")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Pet 1", Exact = true }).GetByLabel("Pet's name")).ToHaveValueAsync("Rex");
        await Assertions.Expect(page.GetByLabel("First name")).ToHaveValueAsync("Dana");
        await page.AssertAccessibleAsync("portal-new-client-two-pets");
        await page.CaptureAtWidthsAsync("portal-new-client-two-pets");
        await page.Keyboard.TypeAsync("Bella");
        await second.GetByLabel("Species (dog, cat…)").FillAsync("Dog");
        await second.GetByLabel("My first booking is for this pet").CheckAsync();
        // Enter in a field sends the form with its own button, not Pet 2's Remove (the first visible submit button).
        await second.GetByLabel("Species (dog, cat…)").PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book an appointment" })).ToBeVisibleAsync();
        await page.Locator(".slot").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your booking" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("select[name='Input.PetId'] option:checked")).ToHaveTextAsync("Bella (Dog)");
        await Assertions.Expect(page.GetByLabel("For", new() { Exact = true })).ToContainTextAsync("Rex (Dog)");
    }

    [Fact]
    public async Task A_returning_client_signs_in_by_email_books_sees_it_listed_and_cancels_it()
    {
        var business = await fixture.BusinessAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 1, ["text"] = "Cancel up to an hour before, please.", ["insideWindow"] = "refuse" };
            s["terms"] = new JsonObject { ["version"] = 0, ["text"] = "Be on time. Late arrivals may be shortened." };
            s["bookingInstructions"] = "Bring your referral letter.";
        });
        var user = await fixture.RegisterAsync(business);
        var page = await fixture.NewPageAsync(1280);
        await page.WatchStatusAsync();

        await page.GotoAsync(business.Url("/ol/book"));
        await Assertions.Expect(page.GetByText("Bring your referral letter.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with email" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/ol/sign-in\\?name={business.Slug}"));
        await page.AssertAccessibleAsync("portal-sign-in");
        await page.CaptureAtWidthsAsync("portal-sign-in");

        // A wrong password: one message, the same for an unknown address.
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("not the password at all, sorry");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("The email or password is not right.");
        await page.AssertAccessibleAsync("portal-sign-in-wrong");

        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My appointments" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No upcoming appointments.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Book an appointment" }).ClickAsync();
        // Two days ahead, so the booking is well outside the cancellation window.
        await page.Locator(".days a").Nth(1).ClickAsync();
        await page.Locator(".slot").First.ClickAsync();
        await Assertions.Expect(page.GetByText("Be on time.")).ToBeVisibleAsync();

        // The terms must be accepted: refused next to the checkbox first.
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();
        await Assertions.Expect(page.Locator("#terms-error")).ToContainTextAsync("Accept the Terms & Conditions to book.");
        await page.AssertAccessibleAsync("portal-confirm-terms");
        await page.CaptureAtWidthsAsync("portal-confirm-terms");
        await page.GetByLabel("I accept the Terms & Conditions").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You're booked");
        await page.AssertAccessibleAsync("portal-booked");
        await page.CaptureAtWidthsAsync("portal-booked");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Add to calendar" }).ClickAsync());
        var ics = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("BEGIN:VCALENDAR", ics, StringComparison.Ordinal);
        Assert.Contains("TZID=Australia/Sydney", ics, StringComparison.Ordinal);
        Assert.Contains(PortalSetup.ServiceName, ics, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "My appointments" }).First.ClickAsync();
        var upcoming = page.Locator("section[aria-labelledby=upcoming] .appointment");
        await Assertions.Expect(upcoming).ToHaveCountAsync(1);
        await Assertions.Expect(upcoming).ToContainTextAsync($"{PortalSetup.ServiceName} with {PortalSetup.DiaryName}");
        await Assertions.Expect(upcoming).ToContainTextAsync("Confirmed");
        await page.AssertAccessibleAsync("portal-appointments");
        await page.CaptureAtWidthsAsync("portal-appointments");

        await upcoming.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Cancel") }).ClickAsync();
        await Assertions.Expect(page.GetByText("Cancel up to an hour before, please.")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("portal-cancel");
        await page.CaptureAtWidthsAsync("portal-cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" }).ClickAsync();

        // Announced: the outcome is put back after load, so a screen reader reads it (announce.js).
        await page.AssertAnnouncedAsync("Your appointment is cancelled.");
        await Assertions.Expect(page.GetByText("No upcoming appointments.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=past] .appointment")).ToContainTextAsync("Cancelled");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();
        await page.GotoAsync(business.Url("/ol/appointments"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/ol/sign-in\\?name="));
    }

    [Fact]
    public async Task A_cancellation_inside_the_window_is_refused_with_the_policy_text()
    {
        const string policy = "We need 48 hours' notice to cancel. Please call us on 02 5550 1234.";
        var business = await fixture.BusinessAsync(s =>
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = policy, ["insideWindow"] = "refuse" });
        var user = await fixture.RegisterAsync(business);
        var booked = await user.Http.FirstSlotAsync(business);
        await user.BookAsync(business, booked);
        var page = await fixture.NewPageAsync(360);

        await page.GotoAsync(business.Url("/ol/sign-in"));
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var upcoming = page.Locator("section[aria-labelledby=upcoming] .appointment");
        await Assertions.Expect(upcoming).ToContainTextAsync("Confirmed");
        // The list offers no cancel link inside a refusing window; the cancel page, reached anyway, refuses.
        await Assertions.Expect(upcoming).ToContainTextAsync("Too late to cancel online");
        await Assertions.Expect(upcoming.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Cancel") })).ToHaveCountAsync(0);
        var calendar = await upcoming.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Add to calendar") }).GetAttributeAsync("href");
        await page.GotoAsync(calendar!.Replace("/ol/calendar", "/ol/cancel", StringComparison.Ordinal));

        var refusal = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(refusal).ToContainTextAsync("It is too late to cancel this appointment online.");
        // The policy is on the page once, above the refusal, not repeated inside it (decision 208).
        await Assertions.Expect(page.GetByText(policy)).ToHaveCountAsync(1);
        await Assertions.Expect(refusal).Not.ToContainTextAsync(policy);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" })).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync("portal-cancel-refused");
        await page.CaptureAtWidthsAsync("portal-cancel-refused");

        // The server agrees: the appointment is still confirmed.
        // The way on is the client's home, named as the menu names it (decision 94).
        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "My appointments", Exact = true }).ClickAsync();
        await Assertions.Expect(upcoming).ToContainTextAsync("Confirmed");

        // The day view shows the taken time only as unavailable: it is simply not offered.
        await page.GotoAsync(business.Url("/ol/new-booking") + $"&service={business.ServiceId}&diary=any&date={booked[..10]}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Free times on") })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($".slot time[datetime='{booked}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Register_forgot_and_reset_password_pages_work_and_are_accessible()
    {
        var business = await fixture.BusinessAsync();
        var page = await fixture.NewPageAsync(1280);
        var email = $"reg-{Guid.NewGuid():N}@client.example";

        await page.GotoAsync(business.Url("/ol/register"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.Locator("#first-error")).ToContainTextAsync("Enter your first name.");
        await page.AssertAccessibleAsync("portal-register-errors");
        await page.CaptureAtWidthsAsync("portal-register-errors");
        await page.GetByLabel("First name").FillAsync("Rey");
        await page.GetByLabel("Last name").FillAsync("Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.Locator("#password-error")).Not.ToBeEmptyAsync();
        await page.GetByLabel("Password").FillAsync("rey registers with a long passphrase");
        await page.GetByLabel("Mobile (optional)").FillAsync("0413" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book an appointment" })).ToBeVisibleAsync();
        // The mobile signs in only once verified: said once, whether or not the number was on file.
        await Assertions.Expect(page.Locator("#verify-mobile")).ToContainTextAsync("verify it first under Your details");
        await page.AssertAccessibleAsync("portal-registered-verify-mobile");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book an appointment" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#verify-mobile")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.GotoAsync(business.Url("/ol/forgot-password"));
        await page.AssertAccessibleAsync("portal-forgot");
        await page.CaptureAtWidthsAsync("portal-forgot");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a link" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("we have emailed it a link");

        var mail = await Booking.IntegrationTests.Infrastructure.Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count > 0, TimeSpan.FromSeconds(30), "the reset email");
        var link = ResetLink().Match(mail[0].TextBody ?? mail[0].HtmlBody ?? "").Value;
        Assert.StartsWith(fixture.App.BaseUrl + "/ol/reset-password?name=", link, StringComparison.Ordinal);
        // Every link in the email is on the address the app listens on (no configured origin in Development): the
        // footer once pointed at a fixed http://localhost:5000.
        var body = mail[0].TextBody ?? "";
        Assert.Contains(fixture.App.BaseUrl + "/ol/book?name=", body, StringComparison.Ordinal);
        Assert.All(System.Text.RegularExpressions.Regex.Matches(body, @"https?://[^\s]+").Select(m => m.Value),
            url => Assert.StartsWith(fixture.App.BaseUrl + "/", url, StringComparison.Ordinal));

        await page.GotoAsync(link);
        await page.AssertAccessibleAsync("portal-reset");
        await page.CaptureAtWidthsAsync("portal-reset");
        await page.GetByLabel("New password").FillAsync("rey chose a brand new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed.");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("rey chose a brand new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My appointments" })).ToBeVisibleAsync();

        // Signed in, the client changes it again from the portal's Password link.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();
        await page.GetByLabel("Current password").FillAsync("not the password I have now");
        await page.GetByLabel("New password").FillAsync("rey picks a third long passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#current-error")).ToHaveTextAsync("Your current password is not right.");
        await Assertions.Expect(page.GetByLabel("New password")).ToHaveValueAsync("");
        await page.AssertAccessibleAsync("portal-change-password-error");
        await page.GetByLabel("Current password").FillAsync("rey chose a brand new passphrase");
        await page.GetByLabel("New password").FillAsync("rey picks a third long passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is changed.");
        await page.AssertAccessibleAsync("portal-change-password");
        await page.CaptureAtWidthsAsync("portal-change-password");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "My appointments" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My appointments" })).ToBeVisibleAsync(); // still signed in
    }

    [Fact]
    public async Task Switched_off_settings_each_get_a_clear_page_with_the_business_look()
    {
        var off = await fixture.BusinessAsync(s => s["enabled"] = false);
        var closed = await fixture.BusinessAsync(s =>
        {
            s["acceptingNewClients"] = false;
            s["branding"] = new JsonObject { ["colour"] = "#ffe066" };
        });
        var page = await fixture.NewPageAsync(1280);

        await page.GotoAsync(off.Url("/ol/book"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("not taking bookings online");
        // The default dark teal gets white text.
        Assert.Equal("rgb(255, 255, 255)", await page.Locator(".bar .business").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await page.AssertAccessibleAsync("portal-off-landing");
        await page.CaptureAtWidthsAsync("portal-off-landing");
        var response = await page.GotoAsync(off.Url("/ol/sign-in"));
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Online booking is not available");
        await page.AssertAccessibleAsync("portal-off");
        await page.CaptureAtWidthsAsync("portal-off");

        response = await page.GotoAsync(closed.Url("/ol/register"));
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not taking new clients");
        // A light brand colour gets black text (the higher contrast of black and white).
        Assert.Equal("rgb(0, 0, 0)", await page.Locator(".bar .business").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal("rgb(255, 224, 102)", await page.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await page.AssertAccessibleAsync("portal-not-accepting");
        await page.CaptureAtWidthsAsync("portal-not-accepting");

        response = await page.GotoAsync("/ol/book?name=x");
        Assert.Equal(400, response!.Status);
        await page.AssertAccessibleAsync("portal-bad-link");
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/ol/reset-password\?[^\s""<>]+")]
    private static partial Regex ResetLink();
}
