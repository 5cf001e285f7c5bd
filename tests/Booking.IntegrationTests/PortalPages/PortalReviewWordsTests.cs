using System.Net;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The product review of session 32 on the portal's pages: a form whose antiforgery token failed, the new-client flow at
/// a phone-only business given a client's email, the mobile an email-only business asked for, and the wording of the
/// texting countries, the landing's line, the email-off note and the masked number.
/// </summary>
public sealed class PortalReviewWordsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task SignInMethodsAsync(TestBusiness biz, bool email, bool phone) =>
        biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = email, ["phone"] = phone });

    [Fact]
    public async Task A_portal_form_with_a_stale_token_goes_to_the_portals_sign_in_saying_nothing_was_sent()
    {
        var biz = await App.SignUpBusinessAsync("stale");
        var client = await App.RegisterClientAsync(biz);
        var page = await client.Http.PageAsync($"/ol/account/name?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        await EndSessionsAsync(biz); // the cookie stays; the session behind it is gone (signed out elsewhere, expired)

        var sent = await client.Http.SubmitAsync(page, PortalHtml.Fields(("__RequestVerificationToken", "stale"), ("Input.FirstName", "Changed")));

        Assert.Equal(HttpStatusCode.Found, sent.Status);
        var location = sent.Response.Headers.Location!.OriginalString;
        Assert.Equal($"/ol/sign-in?name={biz.Slug}&expired=1&returnUrl={Uri.EscapeDataString($"/ol/account/name?name={biz.Slug}")}", location);
        var signIn = await client.Http.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.Contains("so nothing was sent", signIn.One("#form-expired")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(client.FirstName, await Sql.AdminScalarAsync<string>(App.Database.Database, "select first_name from portalauth.clients where id = @i", ("i", client.Id)));

        // A phone-only business's sign-in is its mobile page.
        var phoneOnly = await App.SignUpBusinessAsync("stale-phone");
        var joined = App.NewClient();
        await joined.JoinByPhoneAsync(phoneOnly.Slug, PortalAuthHelpers.NewMobile());
        await SignInMethodsAsync(phoneOnly, email: false, phone: true);
        var form = await joined.PageAsync($"/ol/phone?name={phoneOnly.Slug}");
        await EndSessionsAsync(phoneOnly);
        var refused = await joined.SubmitAsync(form, PortalHtml.Fields(("__RequestVerificationToken", "stale")));
        Assert.StartsWith($"/ol/phone?name={phoneOnly.Slug}&expired=1", refused.Response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.NotNull((await joined.PageAsync(refused.Response.Headers.Location!.OriginalString)).One("#form-expired"));
    }

    /// <summary>Ends every client session of the business on the server, leaving the browsers their cookies.</summary>
    private Task EndSessionsAsync(TestBusiness biz) =>
        Sql.AdminExecAsync(App.Database.Database, "delete from platform.auth_sessions where bound_tenant_id = @t", ("t", biz.Id));

    [Fact]
    public async Task A_portal_form_refused_while_the_session_holds_comes_back_to_the_page_saying_nothing_was_saved()
    {
        var biz = await App.SignUpBusinessAsync("refusedol");
        var client = await App.RegisterClientAsync(biz);
        var page = await client.Http.PageAsync($"/ol/account/name?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);

        var sent = await client.Http.SubmitAsync(page, PortalHtml.Fields(("__RequestVerificationToken", "stale"), ("Input.FirstName", "Changed")));

        // Not the sign-in page: the session did not end. The page again, saying the form was not taken.
        Assert.Equal(HttpStatusCode.Found, sent.Status);
        var location = sent.Response.Headers.Location!.OriginalString;
        Assert.Equal($"/ol/account/name?name={biz.Slug}&formExpired=1", location);
        var again = await client.Http.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("This form had expired or was sent from elsewhere; nothing was saved. Please try again.", again.One("#form-not-saved")?.TextContent.Trim());
        Assert.Null(again.One("#form-expired"));
        Assert.Equal(client.FirstName, await Sql.AdminScalarAsync<string>(App.Database.Database, "select first_name from portalauth.clients where id = @i", ("i", client.Id)));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.MeAsync(biz.Slug)).StatusCode);

        // Sent again from the page it came back to, the form works.
        var saved = await client.Http.SubmitAsync(again, PortalHtml.Fields(("Input.FirstName", "Changed")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("Changed", await Sql.AdminScalarAsync<string>(App.Database.Database, "select first_name from portalauth.clients where id = @i", ("i", client.Id)));
    }

    [Fact]
    public async Task A_portal_post_without_a_session_gets_the_error_page_in_the_business_look()
    {
        var biz = await App.SignUpBusinessAsync("noses");
        var page = await App.NewClient().PageAsync($"/ol/sign-in?name={biz.Slug}");

        var sent = await App.NewClient().SubmitAsync(page, PortalHtml.Fields(("Input.Email", "a@b.example"), ("Input.Password", "x")));

        Assert.Equal(HttpStatusCode.BadRequest, sent.Status);
        Assert.Contains("This form had expired, so nothing was sent or saved.", sent.Text, StringComparison.Ordinal);
        Assert.Equal($"/ol/sign-in?name={biz.Slug}", sent.One("main a.button")?.GetAttribute("href"));
        Assert.Contains($"Back to Business {biz.Slug}", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_a_phone_only_business_a_new_client_giving_a_clients_email_joins_without_it_as_with_a_free_one()
    {
        var biz = await App.SignUpBusinessAsync("phone-new");
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);
        await SignInMethodsAsync(biz, email: false, phone: true);

        var withTaken = await (await App.VerifiedUnknownPhoneAsync(biz)).NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Taken", email = taken });
        var free = PortalAuthHelpers.NewEmail();
        var withFree = await (await App.VerifiedUnknownPhoneAsync(biz)).NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Free", email = free });

        // The same answer either way: nothing says the address is on file, and nothing is a dead end.
        Assert.Equal(HttpStatusCode.Created, withTaken.StatusCode);
        Assert.Equal(withFree.StatusCode, withTaken.StatusCode);
        var (a, b) = (await withTaken.JsonAsync(), await withFree.JsonAsync());
        Assert.Equal(b.EnumerateObject().Select(p => p.Name), a.EnumerateObject().Select(p => p.Name));
        Assert.Equal(b.GetProperty("status").GetString(), a.GetProperty("status").GetString());

        // The address stays its client's alone; neither new client has an email yet: a free address is only emailed the
        // confirmation link (decision 272; PhoneOnlyNewClientEmailTests follows the link).
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where email = @e", ("e", taken)));
        Assert.Null(await Sql.AdminScalarAsync<string?>(App.Database.Database, "select email from portalauth.clients where last_name = 'Taken' and tenant_id = @t", ("t", biz.Id)));
        Assert.Null(await Sql.AdminScalarAsync<string?>(App.Database.Database, "select email from portalauth.clients where last_name = 'Free' and tenant_id = @t", ("t", biz.Id)));
    }

    [Fact]
    public async Task An_email_only_business_does_not_ask_for_a_mobile_and_Your_details_says_to_ask_the_business()
    {
        var biz = await App.SignUpBusinessAsync("email-only");
        await SignInMethodsAsync(biz, email: true, phone: false);

        var register = await App.NewClient().PageAsync($"/ol/register?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, register.Status);
        Assert.Null(register.One("input[name='Input.Mobile']"));
        Assert.DoesNotContain("Mobile (optional)", register.Text, StringComparison.Ordinal);

        // A mobile posted anyway (an old form) is not kept: nothing the client, or staff, could ever see confirmed.
        var http = App.NewClient();
        var email = PortalAuthHelpers.NewEmail();
        var mobile = SchedulingApi.MobileIn("AU");
        var posted = await http.SubmitAsync(await http.PageAsync($"/ol/register?name={biz.Slug}"), PortalHtml.Fields(
            ("Input.FirstName", "Em"), ("Input.LastName", "Only"), ("Input.Email", email), ("Input.Password", "a long client password 2026!"), ("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Null(await Sql.AdminScalarAsync<string?>(App.Database.Database, "select mobile from portalauth.clients where email = @e", ("e", email)));

        var details = await http.PageAsync($"/ol/account?name={biz.Slug}");
        var summary = details.One("dl.summary")!.TextContent;
        Assert.Contains("None on file", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("verified", summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"To add a mobile, contact Business {biz.Slug}.", details.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_US_business_texts_mobiles_in_the_United_States_and_masks_the_number_as_it_writes_numbers()
    {
        var biz = await App.SignUpBusinessAsync("pawsny", timeZone: "America/New_York", countryCode: "US");
        var http = App.NewClient();
        var phone = await http.PageAsync($"/ol/phone?name={biz.Slug}");
        Assert.Contains("texts codes to mobiles in the United States only.", phone.One("#mobile-hint")?.TextContent, StringComparison.Ordinal);

        var mobile = SchedulingApi.MobileIn("US");
        var sent = await http.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var code = await http.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Contains($"We sent a 6-digit code to (•••) •••-•{mobile[^3..]}.", code.One("#code-sent-to")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_only_landing_does_not_offer_booking_and_the_email_off_note_is_only_for_businesses_that_had_email_clients()
    {
        var biz = await App.SignUpBusinessAsync("viewonly");
        await biz.SettingsAsync(s => s["accessLevels"] = new JsonObject { ["view"] = true, ["book"] = false, ["cancel"] = false });
        var landing = await App.NewClient().PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal("See your appointments online.", landing.One("#tagline")?.TextContent.Trim());
        Assert.DoesNotContain("Book and manage", landing.Text, StringComparison.Ordinal);

        // Phone sign-in only from the start: nobody used to sign in with an email, so nobody is told what to do if they did.
        var never = await App.SignUpBusinessAsync("never-email");
        await SignInMethodsAsync(never, email: false, phone: true);
        Assert.Null((await App.NewClient().PageAsync($"/ol/phone?name={never.Slug}")).One("#method-off"));
        Assert.Null((await App.NewClient().PageAsync($"/ol/book?name={never.Slug}")).One("#method-off"));

        // A business whose email client has no mobile to sign in with: they are told to ask for it.
        var had = await App.SignUpBusinessAsync("had-email");
        Assert.Equal(HttpStatusCode.Created, (await App.NewClient().RegisterAsync(had.Slug, PortalAuthHelpers.NewEmail())).StatusCode);
        await SignInMethodsAsync(had, email: false, phone: true);
        Assert.Contains("If you used to sign in with your email", (await App.NewClient().PageAsync($"/ol/phone?name={had.Slug}")).One("#method-off")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("If you used to sign in with your email", (await App.NewClient().PageAsync($"/ol/book?name={had.Slug}")).One("#method-off")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_only_business_that_never_had_phone_clients_says_nothing_of_signing_in_with_a_mobile()
    {
        // The product review's nail bar: email sign-in only from the start. Nobody used to sign in with a mobile.
        var never = await App.SignUpBusinessAsync("never-phone");
        await SignInMethodsAsync(never, email: true, phone: false);
        foreach (var page in new[] { $"/ol/sign-in?name={never.Slug}", $"/ol/book?name={never.Slug}" })
        {
            var html = await App.NewClient().PageAsync(page);
            Assert.Null(html.One("#method-off"));
            Assert.DoesNotContain("If you used to sign in with your mobile", html.Text, StringComparison.Ordinal);
        }
    }
}
