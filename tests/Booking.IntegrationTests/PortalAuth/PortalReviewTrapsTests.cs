using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>An app of its own for <see cref="PortalReviewTrapsTests"/>: the real portal settings (no test rules).</summary>
public sealed class PortalReviewTrapsApp() : AppWithTestIp("portaltraps");

/// <summary>
/// The product review's traps in the client portal (decision 250), each against the real settings a business saves:
/// a new client with booking off (not invited, refused plainly, never stuck behind a first request they cannot file, nor
/// when nothing is bookable); a mobile outside the business's SMS countries put on file (refused on <c>mobile</c>, naming
/// them); a session whose sign-in method the business switched off (ended at its next request); a window with no policy
/// text (refused on <c>cancellationPolicy.text</c>).
/// </summary>
public sealed class PortalReviewTrapsTests(PortalReviewTrapsApp fixture) : IClassFixture<PortalReviewTrapsApp>
{
    private const string NotTakingNewClients = "is not taking new clients online at the moment";

    private BookingApp App => fixture.App;

    /// <summary>The business's settings as GET answers them, changed by <paramref name="change"/>, sent back.</summary>
    private static async Task<HttpResponseMessage> PutSettingsAsync(TestBusiness biz, Action<JsonObject> change)
    {
        var current = JsonNode.Parse(await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).Content.ReadAsStringAsync())!.AsObject();
        change(current);
        return await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", current);
    }

    private static async Task SetAsync(TestBusiness biz, Action<JsonObject> change) =>
        await (await PutSettingsAsync(biz, change)).JsonAsync(HttpStatusCode.OK);

    private static void BookOff(JsonObject s) => s["accessLevels"] = new JsonObject { ["view"] = true, ["book"] = false, ["cancel"] = true };

    private static Task<HttpResponseMessage> ListAsync(HttpClient http, string slug) =>
        http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=upcoming", UriKind.Relative));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage answer, HttpStatusCode status, string kind)
    {
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == status, $"Expected {(int)status}, got {(int)answer.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.EndsWith("/" + kind, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        return problem;
    }

    private HttpClient NewClient()
    {
        var client = App.NewClient();
        client.DefaultRequestHeaders.Add("X-Test-Ip", $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        return client;
    }

    [Fact]
    public async Task With_booking_off_new_clients_are_not_invited_and_an_unknown_phone_is_told_plainly_with_nothing_saved()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        await SetAsync(b.Biz, BookOff);

        // The landing page: sign in (not "to book"), no "New here?", the one phrase.
        var visitor = NewClient();
        var landing = await visitor.PageAsync($"/ol/book?name={slug}");
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        Assert.Contains(landing.All("h2"), h => h.TextContent.Trim() == "Sign in");
        Assert.DoesNotContain("Sign in to book", landing.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("New here?", landing.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(landing.All("a[href*='/ol/register']"));
        Assert.Contains(NotTakingNewClients, landing.Document.Body!.TextContent, StringComparison.Ordinal);
        // The public facts say the same to any other front end: registration would be refused (review of decision 250).
        Assert.False((await (await visitor.GetAsync(new Uri($"/api/v1/portal/business?name={slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("acceptingNewClients").GetBoolean());

        // The phone page invites no newcomer; the register page says the same phrase.
        Assert.DoesNotContain("New clients start here too", (await visitor.PageAsync($"/ol/phone?name={slug}")).Document.Body!.TextContent, StringComparison.Ordinal);
        var register = await visitor.PageAsync($"/ol/register?name={slug}");
        Assert.Equal(HttpStatusCode.Forbidden, register.Status);
        Assert.Contains(NotTakingNewClients, register.Document.Body!.TextContent, StringComparison.Ordinal);

        // An unknown phone: the right code, then a plain refusal; no client is made.
        var mobile = PortalAuthHelpers.NewMobile();
        var attempt = (await (await visitor.StartAsync(slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        await ProblemAsync(await visitor.VerifyAsync(slug, attempt, await visitor.CodeSentToAsync(mobile)), HttpStatusCode.Forbidden, "not-accepting-new-clients");
        await ProblemAsync(await visitor.RegisterAsync(slug, PortalAuthHelpers.NewEmail()), HttpStatusCode.Forbidden, "not-accepting-new-clients");
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where tenant_id = @t", ("t", b.Biz.Id)));
    }

    [Fact]
    public async Task A_phone_new_client_is_not_held_to_a_first_request_once_booking_is_switched_off()
    {
        var b = await App.BookableAsync();
        var http = NewClient();
        await http.JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile());
        var limited = await ProblemAsync(await ListAsync(http, b.Biz.Slug), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("first-booking-request", limited.GetProperty("reason").GetString());

        // Booking off: no request can be filed, so the limit does not hold; the portal is theirs as any client's on file.
        await SetAsync(b.Biz, BookOff);
        await (await ListAsync(http, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        var page = await http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task With_nothing_bookable_yet_a_phone_new_client_joins_and_is_not_sent_back_to_booking()
    {
        var biz = await App.SignUpBusinessAsync("nothing");
        var http = NewClient();
        await http.JoinByPhoneAsync(biz.Slug, PortalAuthHelpers.NewMobile());

        await (await ListAsync(http, biz.Slug)).JsonAsync(HttpStatusCode.OK);
        var page = await http.PageAsync($"/ol/appointments?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task An_email_session_ends_at_its_next_request_once_the_business_switches_email_sign_in_off()
    {
        var b = await App.BookableAsync();
        var api = await App.RegisterClientAsync(b.Biz);
        var browser = await App.RegisterClientAsync(b.Biz, "Bea");
        await (await api.Http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        await SetAsync(b.Biz, s => s["signInMethods"] = new JsonObject { ["email"] = false, ["phone"] = true });

        var ended = await ProblemAsync(await api.Http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("sign-in-method-off", ended.GetProperty("reason").GetString());
        Assert.Contains("signed out", ended.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Ended, not only refused: the next request has no session at all.
        var after = await ProblemAsync(await api.Http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.False(after.TryGetProperty("reason", out _));

        // A page says so in words, with the way in still offered; then the client is signed out.
        var page = await browser.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal("You have been signed out", page.One("h1")!.TextContent.Trim());
        Assert.Contains("no longer offers signing in with email and password", page.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/ol/phone?name={b.Biz.Slug}", page.One("#sign-in-instead")!.GetAttribute("href"));
        var again = await browser.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.NotEqual("You have been signed out", again.One("h1")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Signing_out_of_a_session_whose_method_was_switched_off_answers_204_as_sign_out_always_does()
    {
        var b = await App.BookableAsync();
        var http = NewClient();
        await http.JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile());
        await SetAsync(b.Biz, s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = false });

        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync(new Uri($"/api/v1/portal/auth/sign-out?name={b.Biz.Slug}", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_phone_session_ends_once_phone_sign_in_is_switched_off()
    {
        var b = await App.BookableAsync();
        var http = NewClient();
        await http.JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile());
        await (await http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        await SetAsync(b.Biz, s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = false });

        var ended = await ProblemAsync(await http.GetAsync(new Uri($"/api/v1/portal/me?name={b.Biz.Slug}", UriKind.Relative)), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("sign-in-method-off", ended.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_mobile_outside_the_business_s_sms_countries_is_refused_on_mobile_by_staff_and_at_registration()
    {
        var biz = await App.SignUpBusinessAsync("uk", "Europe/London", countryCode: "GB");

        // Staff, API: a French mobile for a business that texts only the UK.
        var staff = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Fleur", lastName = "Abroad", email = "fleur@example.com", mobile = "+33 6 12 34 56 78" }),
            HttpStatusCode.BadRequest, "validation");
        var words = staff.GetProperty("errors").GetProperty("mobile")[0].GetString()!;
        Assert.Contains("only texts mobiles in the United Kingdom (this number is registered in France)", words, StringComparison.Ordinal);
        Assert.Contains("Setup → Client Portal", words, StringComparison.Ordinal);

        // Staff, the Add client form: the field error, nothing added.
        var list = await biz.Owner.PageAsync("/staff/clients");
        var failed = await biz.Owner.SubmitAsync(list, PortalHtml.Fields(("Input.FirstName", "Fleur"), ("Input.LastName", "Abroad"), ("Input.Mobile", "+33 6 12 34 56 78")),
            "form[action*='handler=Add']");
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Equal("true", failed.One("[name='Input.Mobile']")!.GetAttribute("aria-invalid"));
        Assert.Contains("United Kingdom", failed.One("#c-mobile-error")!.TextContent, StringComparison.Ordinal);

        // Registration: a Guernsey mobile typed as a UK one.
        var visitor = NewClient();
        var registered = await ProblemAsync(await visitor.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
                new { firstName = "Gus", lastName = "Island", email = PortalAuthHelpers.NewEmail(), password = "a long client password 2026!", mobile = "07911 123456" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Contains("only texts mobiles in the United Kingdom (this number is registered in Guernsey)", registered.GetProperty("errors").GetProperty("mobile")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where tenant_id = @t", ("t", biz.Id)));

        // A UK mobile is taken; changing it to a French one is refused, and a number kept from before stays editable around.
        var uk = "+447400" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var added = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Ursula", lastName = "Home", email = (string?)null, mobile = uk }))
            .JsonAsync(HttpStatusCode.Created);
        var id = added.GetProperty("id").GetGuid();
        await ProblemAsync(await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}", new { firstName = "Ursula", lastName = "Home", email = (string?)null, mobile = "+33 6 12 34 56 78" }),
            HttpStatusCode.BadRequest, "validation");
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set mobile = '+33612345678' where id = @i", ("i", id));
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}", new { firstName = "Ursula", lastName = "Abroad", email = (string?)null, mobile = "+33612345678" }))
            .JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_cancellation_window_needs_its_policy_text_and_no_window_needs_none()
    {
        var biz = await App.SignUpBusinessAsync("policy");
        var refused = await ProblemAsync(await PutSettingsAsync(biz, s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = " ", ["insideWindow"] = "refuse" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.StartsWith("Write the policy clients are shown", refused.GetProperty("errors").GetProperty("cancellationPolicy.text")[0].GetString(), StringComparison.Ordinal);

        await SetAsync(biz, s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 0, ["text"] = "", ["insideWindow"] = "refuse" });

        // Setup → Client Portal: the same field error, by its box.
        var page = await biz.Owner.PageAsync("/staff/setup/portal");
        var failed = await biz.Owner.SubmitAsync(page, PortalHtml.Fields(("Settings.CancellationHours", "24"), ("Settings.CancellationText", "")), "#settings-form");
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.StartsWith("Write the policy clients are shown", failed.One("#policy-error")!.TextContent.Trim(), StringComparison.Ordinal);
    }
}
