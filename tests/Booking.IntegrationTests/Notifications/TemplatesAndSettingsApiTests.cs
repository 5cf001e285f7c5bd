using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;
using Booking.BuildingBlocks.Jobs;
using Booking.Notifications.Delivery;
using Booking.Notifications.Domain;
using Booking.Notifications.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.Notifications;

public sealed class TemplatesAndSettingsApiTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static string Errors(JsonElement problem) => problem.GetProperty("errors").GetRawText();

    [Fact]
    public async Task A_practitioner_may_not_read_or_change_templates_settings_preview_or_messages()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Mine", subject = "S", body = "B" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var practitioner = await shared.App.SignInPractitionerAsync(biz);

        foreach (var (method, path, body) in new (string, string, object?)[]
                 {
                     ("GET", "/api/v1/admin/templates", null),
                     ("GET", $"/api/v1/admin/templates/{id}", null),
                     ("POST", "/api/v1/admin/templates", new { name = "P", subject = "S", body = "B" }),
                     ("PUT", $"/api/v1/admin/templates/{id}", new { name = "P", subject = "S", body = "B" }),
                     ("DELETE", $"/api/v1/admin/templates/{id}", null),
                     ("POST", "/api/v1/admin/templates/preview", new { subject = "S", body = "{ClientFullName}" }),
                     ("GET", "/api/v1/admin/notification-settings", null),
                     ("GET", "/api/v1/admin/messages", null),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
            var problem = await ProblemAsync(await practitioner.SendAsync(request), HttpStatusCode.Forbidden);
            Assert.Equal("forbidden", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        }

        // The owner still may, and the practitioner's tries changed nothing.
        Assert.Equal("Mine", (await biz.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/admin/templates/{id}")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_new_business_has_the_default_templates_including_seed_000s_text()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var list = await Eventually.ReturnsAsync(
            () => biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates"),
            j => j.GetProperty("items").GetArrayLength() >= 3, TimeSpan.FromSeconds(60), "default templates");
        Assert.Contains("{ClientFullName} ({ClientPhone}, {ClientEmail}) has a new appointment, made by {ChangedBy}:\\n{ServiceName} {WithDiary}\\nPet: {PetName}\\nPet notes: {PetNotes}\\n{AppointmentTimes}", list.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("CancellationReason", list.GetProperty("mergeFields").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("\"ChangedBy\"", list.GetProperty("mergeFields").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_or_malformed_merge_fields_are_refused_naming_them()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var unknown = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Bad", subject = "Hi {ClientFirstName}", body = "See you {AppointmentStart} {ServiceName}" }), HttpStatusCode.BadRequest);
        Assert.EndsWith("/validation", unknown.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("{AppointmentStart}", Errors(unknown), StringComparison.Ordinal);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("body", out _), Errors(unknown));

        var malformed = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Bad", subject = "Hi {ClientFirstName", body = "ok {Client Name}" }), HttpStatusCode.BadRequest);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("subject", out _), Errors(malformed));
        Assert.Contains("{Client Name}", Errors(malformed), StringComparison.Ordinal);

        // Literal braces are written doubled and are fine.
        var ok = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Braces", subject = "{{ok}}", body = "{ClientFirstName} {{literal}}" });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    /// <summary>A field typed in the wrong case or a letter or two off gets a "did you mean" before the list of fields.</summary>
    [Fact]
    public async Task An_unknown_merge_field_near_a_known_one_is_told_which_it_may_have_meant()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        foreach (var (typed, meant, field) in new[]
                 {
                     ("{clientfullname}", "{ClientFullName}", "body"), ("{CLIENTFIRSTNAME}", "{ClientFirstName}", "subject"),
                     ("{ClientFulName}", "{ClientFullName}", "body"), ("{BusinesNam}", "{BusinessName}", "subject"),
                 })
        {
            var subject = field == "subject" ? "Hi " + typed : "Hi";
            var body = field == "body" ? "Dear " + typed : "Dear {ClientFirstName}";
            var problem = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Typo", subject, body }), HttpStatusCode.BadRequest);
            var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
            Assert.StartsWith($"Unknown merge field {typed}. Did you mean {meant}? Known fields: {{ClientFullName}},", message, StringComparison.Ordinal);
        }

        // Nothing near (or two as near): no guess, the list only.
        foreach (var typed in new[] { "{Nope}", "{ClientXyzName}" })
        {
            var problem = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Typo", subject = "S", body = typed }), HttpStatusCode.BadRequest);
            var message = problem.GetProperty("errors").GetProperty("body")[0].GetString()!;
            Assert.StartsWith($"Unknown merge field {typed}. Known fields: ", message, StringComparison.Ordinal);
        }

        // The preview says it too.
        var preview = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
            new { subject = "S", body = "{petname}", notification = "notifyDiaryContactOnNew" }), HttpStatusCode.BadRequest);
        Assert.Contains("Did you mean {PetName}?", Errors(preview), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_can_be_read_changed_and_deleted_and_a_malformed_id_is_not_found()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Mine", subject = "S {ServiceName}", body = "B" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal($"/api/v1/admin/templates/{id}", created.Headers.Location!.ToString());

        var put = await biz.Owner.PutAsJsonAsync($"/api/v1/admin/templates/{id}", new { name = "Mine 2", subject = "S2", body = "B2 {DiaryName}" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var read = await biz.Owner.GetFromJsonAsync<JsonElement>($"/api/v1/admin/templates/{id}");
        Assert.Equal("B2 {DiaryName}", read.GetProperty("body").GetString());

        // Instants carry the business's offset (Sydney: +11:00 in summer, +10:00 in winter), as the API's other instants do.
        foreach (var field in new[] { "createdAt", "updatedAt" })
        {
            var text = read.GetProperty(field).GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+1[01]:00\z", text);
        }

        var duplicate = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Mine 2", subject = "x", body = "y" }), HttpStatusCode.BadRequest);
        Assert.True(duplicate.GetProperty("errors").TryGetProperty("name", out _));
        // In another case too: "mINE 2" would look like "Mine 2" in the template choices. The template itself may change its own case.
        var otherCase = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "mINE 2", subject = "x", body = "y" }), HttpStatusCode.BadRequest);
        Assert.Equal("A template with this name already exists.", otherCase.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/templates/{id}", new { name = "MINE 2", subject = "S2", body = "B2 {DiaryName}" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{id}", UriKind.Relative))).StatusCode);
        await ProblemAsync(await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ProblemAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/templates/not-a-guid", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_business_cannot_see_a_template_nor_use_it_in_its_settings()
    {
        var a = await shared.App.SignUpBusinessAsync();
        var b = await shared.App.SignUpBusinessAsync();
        var created = await a.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "A's", subject = "s", body = "b" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await ProblemAsync(await b.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
        var problem = await ProblemAsync(await b.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = id },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("notifyDiaryContactOnNew.templateId", out _), Errors(problem));
    }

    [Fact]
    public async Task Settings_refuse_a_bad_address_more_than_20_addresses_and_missing_fields_and_keep_good_ones()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var bad = await ProblemAsync(await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = false, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = new[] { "ok@example.com", "not an address" }, templateId = (Guid?)null },
            includeStaffChanges = false,
        }), HttpStatusCode.BadRequest);
        Assert.Contains("not an address", Errors(bad), StringComparison.Ordinal);
        Assert.Contains("extraAddressesOnNew.addresses[1]", Errors(bad), StringComparison.Ordinal);

        var many = await ProblemAsync(await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = false, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Enumerable.Range(0, 21).Select(i => $"a{i}@example.com").ToArray(), templateId = (Guid?)null },
            includeStaffChanges = false,
        }), HttpStatusCode.BadRequest);
        Assert.Contains("20", Errors(many), StringComparison.Ordinal);

        var missing = await ProblemAsync(await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
        }), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("includeStaffChanges", out _), Errors(missing));

        var good = await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = new[] { "Front@Example.com", " BOSS@example.com ", "front@example.com " }, templateId = (Guid?)null },
            includeStaffChanges = true,
        });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var read = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings");
        Assert.True(read.GetProperty("notifyDiaryContactOnNew").GetProperty("enabled").GetBoolean());
        // Saved trimmed and lower-cased, each once.
        Assert.Equal(["front@example.com", "boss@example.com"],
            read.GetProperty("extraAddressesOnNew").GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.True(read.GetProperty("includeStaffChanges").GetBoolean());
    }

    [Fact]
    public async Task Settings_refuse_a_missing_templateId_naming_it_but_take_an_explicit_null_as_the_default()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var before = (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings")).GetRawText();
        var missing = await ProblemAsync(await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true },
            notifyDiaryContactOnCancelled = new { enabled = false },
            extraAddressesOnNew = new { addresses = Array.Empty<string>() },
            includeStaffChanges = false,
        }), HttpStatusCode.BadRequest);
        var errors = missing.GetProperty("errors");
        Assert.True(errors.TryGetProperty("notifyDiaryContactOnNew.templateId", out _), Errors(missing));
        Assert.True(errors.TryGetProperty("notifyDiaryContactOnCancelled.templateId", out _), Errors(missing));
        Assert.True(errors.TryGetProperty("extraAddressesOnNew.templateId", out _), Errors(missing));
        Assert.Equal(before, (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings")).GetRawText());

        var explicitNull = await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });
        Assert.Equal(HttpStatusCode.OK, explicitNull.StatusCode);
        var read = await explicitNull.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(read.GetProperty("notifyDiaryContactOnCancelled").GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("notifyDiaryContactOnNew").GetProperty("templateId").ValueKind);
        Assert.False(read.GetProperty("notifyDiaryContactOnNew").TryGetProperty("templateIdGiven", out _));
    }

    private static Task InsertSentMessageAsync(BookingApp app, Guid tenant, string recipient, DateTimeOffset createdAt, Guid? id = null) =>
        Sql.AdminExecAsync(app.Database.Database, """
            INSERT INTO notifications.outbound_messages
                (tenant_id, id, event_id, recipient, kind, status, attempts, next_attempt_at, created_at, sent_at, content)
            VALUES (@t, @id, @e, @r, 'client-booking-confirmation', 'sent', 1, @c, @c, @c, '{}'::jsonb)
            """, ("t", tenant), ("id", id ?? Guid.NewGuid()), ("e", Guid.NewGuid()), ("r", recipient), ("c", createdAt));

    [Fact]
    public async Task Messages_page_by_limit_and_cursor_newest_first_stable_when_messages_arrive_and_refuse_a_bad_cursor()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        // The sign-up's "Confirm your email" to the owner is the business's first message: out of the way, so the log holds only these.
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(shared.App.Database.Database,
                "select count(*) from notifications.outbound_messages where tenant_id = @t and kind = 'staff-email-verification'", ("t", biz.Id)),
            n => n == 1, TimeSpan.FromSeconds(60), "the sign-up's confirmation email");
        await Sql.AdminExecAsync(shared.App.Database.Database, "delete from notifications.outbound_messages where tenant_id = @t", ("t", biz.Id));
        var t0 = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        // Five messages, two of them written in the same microsecond (the id breaks the tie).
        for (var i = 0; i < 5; i++)
        {
            await InsertSentMessageAsync(shared.App, biz.Id, $"m{i}@example.com", t0.AddMinutes(i == 4 ? 3 : i));
        }

        async Task<JsonElement> PageAsync(string query) =>
            await ProblemAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?" + query, UriKind.Relative)), HttpStatusCode.OK);

        var seen = new List<string>();
        var first = await PageAsync("status=sent&limit=2");
        seen.AddRange(first.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("to").GetString()!));
        // A newer message arrives while staff page through: it is not on the later pages, and nothing is repeated or skipped.
        await InsertSentMessageAsync(shared.App, biz.Id, "newer@example.com", t0.AddHours(1));
        var cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await PageAsync($"status=sent&limit=2&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("to").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(["m3@example.com", "m4@example.com"], seen.Take(2).Order().ToArray());
        Assert.Equal(["m2@example.com", "m1@example.com", "m0@example.com"], seen.Skip(2).ToArray());
        Assert.Equal("newer@example.com", (await PageAsync("limit=1")).GetProperty("items")[0].GetProperty("to").GetString());

        foreach (var bad in new[] { "cursor=not-a-cursor", "cursor=" + new string('A', 300), "cursor=e30" })
        {
            var problem = await ProblemAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?" + bad, UriKind.Relative)), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), Errors(problem));
        }

        var tooMany = await ProblemAsync(await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?limit=501", UriKind.Relative)), HttpStatusCode.BadRequest);
        Assert.True(tooMany.GetProperty("errors").TryGetProperty("limit", out _), Errors(tooMany));
    }

    [Fact]
    public async Task The_messages_page_links_to_older_messages_and_back_to_the_newest()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var t0 = new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 51; i++)
        {
            await InsertSentMessageAsync(shared.App, biz.Id, $"p{i:00}@example.com", t0.AddMinutes(i));
        }

        var newest = await biz.Owner.GetStringAsync(new Uri("/staff/tools/messages?status=sent", UriKind.Relative));
        Assert.Contains("p50@example.com", newest, StringComparison.Ordinal);
        Assert.DoesNotContain("p00@example.com", newest, StringComparison.Ordinal);
        Assert.DoesNotContain(">Newest</a>", newest, StringComparison.Ordinal);
        var older = System.Text.RegularExpressions.Regex.Match(newest, "href=\"(?<href>[^\"]+)\" rel=\"next\">Older</a>");
        Assert.True(older.Success, newest);

        var page2 = await biz.Owner.GetStringAsync(new Uri(System.Net.WebUtility.HtmlDecode(older.Groups["href"].Value), UriKind.Relative));
        Assert.Contains("p00@example.com", page2, StringComparison.Ordinal);
        Assert.DoesNotContain("p50@example.com", page2, StringComparison.Ordinal);
        Assert.Contains("href=\"/staff/tools/messages?status=sent\">Newest</a>", page2, StringComparison.Ordinal);
        Assert.DoesNotContain(">Older</a>", page2, StringComparison.Ordinal);

        var bad = await biz.Owner.GetAsync(new Uri("/staff/tools/messages?cursor=nonsense", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Use the nextCursor of the previous page.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_renders_sample_data_encoded_in_the_business_zone()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var response = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
            new { subject = "For {ClientFullName}", body = "<script>x</script> {ServiceName} at {AppointmentStartDateTime}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("For Jane Citizen", preview.GetProperty("subject").GetString());
        Assert.Matches(@"Sample service at Tuesday \d{1,2} \w+ \d{4} at 9:00 AM", preview.GetProperty("text").GetString());
        var html = preview.GetProperty("html").GetString()!;
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug}", html, StringComparison.Ordinal);

        var bad = await ProblemAsync(await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview", new { subject = "x", body = "{Nope}" }), HttpStatusCode.BadRequest);
        Assert.Contains("{Nope}", Errors(bad), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_without_SMTP_keeps_mail_in_the_local_sink_shown_at_dev_mail()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var to = $"reset-{Guid.NewGuid():N}@example.com";
        await using (var scope = await TenantScope.OpenAsync(shared.App.Services.GetRequiredService<IServiceScopeFactory>(), biz.Id, CancellationToken.None))
        {
            var writer = scope.ServiceProvider.GetRequiredService<MessageWriter>();
            // Not a reset kind: a reset message's link is encrypted in its content (ResetLinkContent), and this one carries none.
            writer.Add(Guid.NewGuid(), to, MessageKinds.ClientApproved, new MessageContent(
                "Reset your password", "Hi {ClientFirstName}, open https://x.test/reset?t=1",
                new Dictionary<string, string?> { [MergeFields.ClientFirstName] = "Robin" }));
            await writer.SaveAndEnqueueAsync(CancellationToken.None);
        }

        var client = shared.App.NewClient();
        var mails = await Eventually.ReturnsAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(to)}"),
            j => j.GetArrayLength() == 1, TimeSpan.FromSeconds(60), "dev mail");
        var mail = mails[0];
        Assert.Equal(to, mail.GetProperty("to").GetString());
        Assert.Equal(biz.Slug, mail.GetProperty("tenant").GetString());
        Assert.Contains("https://x.test/reset?t=1", mail.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Robin", mail.GetProperty("html").GetString(), StringComparison.Ordinal);
        var page = await client.GetStringAsync(new Uri("/dev/mail", UriKind.Relative));
        Assert.Contains(to, page, StringComparison.Ordinal);

        var messages = await Eventually.ReturnsAsync(
            () => biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=sent"),
            j => j.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("to").GetString() == to) == 1, TimeSpan.FromSeconds(60), "the message marked sent");
        // (The owner's sign-up "Confirm your email" is in the log too, to another address.)
        Assert.Equal("client-approved", messages.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("to").GetString() == to).GetProperty("kind").GetString());
        var badStatus = await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?status=bogus", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }
}
