using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

public sealed class PortalSettingsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static Dictionary<string, object?> Body(string? terms = "Be on time.", bool enabled = true, bool showPrices = true) => new()
    {
        ["enabled"] = enabled,
        ["signInMethods"] = new { email = true, phone = false },
        ["accessLevels"] = new { view = true, book = true, cancel = false },
        ["cancellationPolicy"] = new { hours = 48, text = "Two days' notice, please.", insideWindow = "request" },
        ["acceptingNewClients"] = false,
        ["newClientsNeedApproval"] = true,
        ["showPrices"] = showPrices,
        ["booksForPets"] = true,
        ["bookingInstructions"] = "Bring your referral.",
        ["terms"] = terms is null ? null : new { text = terms },
        ["branding"] = new { colour = "#AA3366" },
    };

    [Fact]
    public async Task Our_starting_policy_sentence_follows_the_hours_while_a_business_own_words_are_kept()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        async Task<string?> SaveAsync(int hours, string text)
        {
            var body = Body();
            body["cancellationPolicy"] = new { hours, text, insideWindow = "refuse" };
            return (await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.OK))
                .GetProperty("cancellationPolicy").GetProperty("text").GetString();
        }

        var fresh = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var ours = fresh.GetProperty("cancellationPolicy").GetProperty("text").GetString()!;
        Assert.Equal("Please give us at least 12 hours' notice if you need to cancel.", await SaveAsync(12, ours));
        Assert.Equal("Please give us at least 1 hour's notice if you need to cancel.", await SaveAsync(1, "Please give us at least 12 hours' notice if you need to cancel."));
        Assert.Equal("We need 24 hours' notice.", await SaveAsync(12, "We need 24 hours' notice."));
    }

    [Fact]
    public async Task Settings_round_trip_and_the_terms_version_moves_only_when_the_text_changes()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var put = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body())).JsonAsync(HttpStatusCode.OK);
        var get = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        // The save's answer adds what the save did (decision 191: phone-only clients it locks out, and their email-only
        // mirror; none in a new business); the rest is what a read answers.
        var saved = System.Text.Json.Nodes.JsonNode.Parse(put.GetRawText())!.AsObject();
        Assert.Equal(0, saved["phoneOnlyClientsLockedOut"]!.GetValue<int>());
        Assert.Equal(0, saved["emailOnlyClientsLockedOut"]!.GetValue<int>());
        saved.Remove("phoneOnlyClientsLockedOut");
        saved.Remove("emailOnlyClientsLockedOut");
        Assert.Equal(saved.ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(get.GetRawText())!.ToJsonString());
        Assert.False(get.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.False(get.GetProperty("accessLevels").GetProperty("cancel").GetBoolean());
        Assert.Equal(48, get.GetProperty("cancellationPolicy").GetProperty("hours").GetInt32());
        Assert.Equal("request", get.GetProperty("cancellationPolicy").GetProperty("insideWindow").GetString());
        Assert.False(get.GetProperty("acceptingNewClients").GetBoolean());
        Assert.True(get.GetProperty("newClientsNeedApproval").GetBoolean());
        Assert.True(get.GetProperty("booksForPets").GetBoolean());
        Assert.Equal("Bring your referral.", get.GetProperty("bookingInstructions").GetString());
        Assert.Equal("#aa3366", get.GetProperty("branding").GetProperty("colour").GetString());
        Assert.Equal(1, get.GetProperty("terms").GetProperty("version").GetInt32());

        var same = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body())).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, same.GetProperty("terms").GetProperty("version").GetInt32());

        var changed = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body("Be on time, always."))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, changed.GetProperty("terms").GetProperty("version").GetInt32());
        Assert.Equal("Be on time, always.", changed.GetProperty("terms").GetProperty("text").GetString());

        var none = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body(terms: null))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, none.GetProperty("terms").ValueKind);

        // Re-publishing old text after removing terms is a new version: versions are never reused.
        var again = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body())).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, again.GetProperty("terms").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Terms_changed_by_two_people_at_the_same_moment_get_a_version_each()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body(terms: null))).JsonAsync(HttpStatusCode.OK);

        // Both read the settings at version 0, then queue behind a lock on the row.
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            Assert.Equal(1, await held.ExecAsync("SELECT 1 FROM tenancy.portal_settings WHERE tenant_id = @t FOR UPDATE", ("t", biz.Id)));
            await AssertBothSavedAsync(biz, held);
        }
    }

    [Fact]
    public async Task The_first_settings_of_a_business_saved_twice_at_the_same_moment_are_both_saved()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        await (await other.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body(terms: null))).JsonAsync(HttpStatusCode.OK);

        // The business has no settings row yet: both requests create one, and both wait on a row made meanwhile.
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            await held.ExecAsync("""
                CREATE TEMP TABLE copied ON COMMIT DROP AS SELECT * FROM tenancy.portal_settings WHERE tenant_id = @other;
                UPDATE copied SET tenant_id = @t;
                INSERT INTO tenancy.portal_settings SELECT * FROM copied;
                """, ("other", other.Id), ("t", biz.Id));
            await AssertBothSavedAsync(biz, held);
        }
    }

    /// <summary>Two PUTs with different terms wait on <paramref name="held"/>; once it commits, both are saved, each text with its own version.</summary>
    private async Task AssertBothSavedAsync(TestBusiness biz, HeldTransaction held)
    {
        foreach (var answer in await held.QueueThenCommitAsync("tenancy.",
                     () => biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body("Terms A")),
                     () => biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body("Terms B"))))
        {
            await answer.JsonAsync(HttpStatusCode.OK);
        }

        var versions = new List<string>();
        for (var version = 1; version <= 2; version++)
        {
            versions.Add((await Sql.AdminScalarAsync<string>(shared.App.Database.Database,
                "SELECT text FROM tenancy.terms_versions WHERE tenant_id = @t AND version = @v", ("t", biz.Id), ("v", version)))!);
        }

        Assert.Equal(["Terms A", "Terms B"], versions.Order());
        var current = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, current.GetProperty("terms").GetProperty("version").GetInt32());
        Assert.Equal(versions[1], current.GetProperty("terms").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Put_replaces_the_whole_object_so_missing_and_bad_fields_are_all_listed()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var body = Body();
        body.Remove("terms");
        body.Remove("showPrices");
        body["cancellationPolicy"] = new { hours = 9999, text = "x", insideWindow = "maybe" };
        body["signInMethods"] = new { email = false, phone = false };
        body["branding"] = new { colour = "red" };

        var problem = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", problem.Kind());
        var fields = problem.ErrorFields();
        foreach (var field in new[] { "terms", "showPrices", "cancellationPolicy.hours", "cancellationPolicy.insideWindow", "signInMethods", "branding.colour" })
        {
            Assert.Contains(field, fields);
        }

        // Nothing was saved.
        var get = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(24, get.GetProperty("cancellationPolicy").GetProperty("hours").GetInt32());
    }

    [Theory]
    [InlineData("#112233\n")] // "$" matches before a final newline; the column holds 7 characters: a 500 before
    [InlineData("#112233\r")]
    [InlineData("\n#112233")]
    public async Task A_colour_with_a_line_break_is_a_field_error_and_nothing_is_saved(string colour)
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var body = Body();
        body["branding"] = new { colour };

        var problem = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", problem.Kind());
        Assert.Contains("branding.colour", problem.ErrorFields());
        var get = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(24, get.GetProperty("cancellationPolicy").GetProperty("hours").GetInt32());
    }

    [Fact]
    public async Task A_practitioner_may_neither_read_nor_change_the_setup()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync();
        var practitioner = await shared.App.SignInPractitionerAsync(biz);

        foreach (var (method, path, body) in new (string, string, object?)[]
                 {
                     ("GET", "/api/v1/admin/portal-settings", null),
                     ("PUT", "/api/v1/admin/portal-settings", Body()),
                     ("GET", "/api/v1/admin/booking-rules", null),
                     ("PUT", "/api/v1/admin/booking-rules", new { slotIntervalMinutes = 15, minimumNoticeMinutes = 0, horizonDays = 30 }),
                     ("GET", "/api/v1/admin/services", null),
                     ("POST", "/api/v1/admin/services", SetupApi.ServiceBody("X", [diary])),
                     ("POST", "/api/v1/admin/diaries", new { name = "D", contactEmail = "d@x.example", active = true }),
                     ("PUT", $"/api/v1/admin/diaries/{diary}", new { name = "D", contactEmail = "d@x.example", active = true }),
                     ("PUT", $"/api/v1/admin/diaries/{diary}/roster", new { blocks = Array.Empty<object>() }),
                     ("POST", $"/api/v1/admin/diaries/{diary}/exceptions", new { date = "2030-01-01", closed = true, blocks = Array.Empty<object>() }),
                     ("PUT", $"/api/v1/admin/diaries/{diary}/exceptions/{Guid.NewGuid()}", new { date = "2030-01-01", closed = true, blocks = Array.Empty<object>() }),
                     // A practitioner reads the diary only (decision 113): not the diary setup either.
                     ("GET", "/api/v1/admin/diaries", null),
                     ("GET", $"/api/v1/admin/diaries/{diary}", null),
                     ("GET", $"/api/v1/admin/diaries/{diary}/roster", null),
                     ("GET", $"/api/v1/admin/diaries/{diary}/exceptions", null),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
            var problem = await (await practitioner.SendAsync(request)).JsonAsync(HttpStatusCode.Forbidden);
            Assert.Equal("forbidden", problem.Kind());
        }
    }

    [Fact]
    public async Task OpenApi_describes_the_setup_and_portal_routes()
    {
        var json = await shared.App.NewClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        foreach (var path in new[]
                 {
                     "/api/v1/admin/portal-settings", "/api/v1/admin/booking-rules", "/api/v1/admin/services/{id}", "/api/v1/admin/diaries/{id}/roster",
                     "/api/v1/admin/diaries/{id}/exceptions/{exceptionId}", "/api/v1/portal/business", "/api/v1/portal/services",
                 })
        {
            Assert.Contains($"\"{path}\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Portal_business_answers_public_facts_without_a_session()
    {
        var biz = await shared.App.SignUpBusinessAsync(timeZone: "Europe/Berlin");
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body())).JsonAsync(HttpStatusCode.OK);
        var anonymous = shared.App.NewClient();

        var facts = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug.ToUpperInvariant()}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal($"Business {biz.Slug}", facts.GetProperty("name").GetString());
        Assert.Equal("Europe/Berlin", facts.GetProperty("timeZone").GetString());
        Assert.True(facts.GetProperty("enabled").GetBoolean());
        Assert.False(facts.GetProperty("acceptingNewClients").GetBoolean());
        Assert.True(facts.GetProperty("booksForPets").GetBoolean());
        Assert.Equal("Be on time.", facts.GetProperty("terms").GetProperty("text").GetString());
        Assert.Equal("#aa3366", facts.GetProperty("branding").GetProperty("colour").GetString());
        Assert.Equal(48, facts.GetProperty("cancellationPolicy").GetProperty("hours").GetInt32());
        Assert.False(facts.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.False(facts.GetProperty("accessLevels").GetProperty("cancel").GetBoolean());
        Assert.Equal("Bring your referral.", facts.GetProperty("bookingInstructions").GetString());
        Assert.True(facts.TryGetProperty("showPrices", out _));

        var missing = await (await anonymous.GetAsync(new Uri("/api/v1/portal/business?name=no-such-business-here", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("not-found", missing.Kind());
    }

    [Fact]
    public async Task A_disabled_portal_refuses_portal_routes_but_still_shows_the_business()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var anonymous = shared.App.NewClient();
        await (await anonymous.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body(enabled: false))).JsonAsync(HttpStatusCode.OK);

        var refused = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("portal-disabled", refused.Kind());
        var facts = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(facts.GetProperty("enabled").GetBoolean());

        var page = await anonymous.GetAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("not taking bookings online", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", Body(enabled: true))).JsonAsync(HttpStatusCode.OK);
        await (await anonymous.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var open = await anonymous.GetStringAsync(new Uri($"/ol/book?name={biz.Slug}", UriKind.Relative));
        Assert.DoesNotContain("not taking bookings online", open, StringComparison.Ordinal);
    }
}
