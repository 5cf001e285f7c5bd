using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.Notifications.Features.Templates;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// The session-28 review of the Notifications module and Tools pages: a template edited on its page keeps its id and is
/// what its notification sends; the list says which templates are in use (the standard text is built in); the staff
/// standard texts name the service and diary without double spaces or "at … at"; client emails write the business's
/// contact in words; typed reasons reach the emails; the log's empty filter says so; a message about a request since
/// decided is not sent again. Real handlers, real SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class NotificationReviewFixesTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "Australia/Sydney";
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb[Zone];

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, string DiaryContact, string Tag);

    private sealed record Client(HttpClient Http, Guid Id, string Email);

    private async Task<Scene> SceneAsync(string prefix, bool confirmContact = true)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync(prefix, Zone);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"diary-{tag}@example.com";
        if (confirmContact)
        {
            await biz.ConfirmAddressAsync(contact);
        }

        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Deep tissue massage", 45, 15, [diary]);
        return new Scene(biz, diary, service, contact, tag);
    }

    private async Task<Client> RegisterAsync(Scene s, string firstName)
    {
        var http = fixture.App.NewClient();
        var email = $"{firstName.ToLowerInvariant()}-{s.Tag}@example.com";
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}", new
        {
            firstName, lastName = "Client", email, password = "a long client password 2026!",
            mobile = "+61412" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
        })).JsonAsync(HttpStatusCode.Created);
        // Verified, as an SMS code or staff would: {ClientMobilePhone} shows only a verified mobile (decision 251).
        await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.clients set mobile_verified = true where id = @id", ("id", json.GetProperty("id").GetGuid()));
        return new Client(http, json.GetProperty("id").GetGuid(), email);
    }

    private static string At(int days, int hour) =>
        SystemClock.Instance.GetCurrentInstant().InZone(Sydney).Date.PlusDays(days).At(new LocalTime(hour, 0)).InZoneStrictly(Sydney)
            .ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> BookAsync(Client client, Scene s, string start, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}",
            new { serviceId = s.ServiceId, diaryId = s.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(expected);

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    private static async Task NotifyAsync(Scene s, Guid? onNew = null, string[]? extras = null) =>
        await (await s.Biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = onNew },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extras ?? [], templateId = (Guid?)null },
            includeStaffChanges = true,
        })).JsonAsync(HttpStatusCode.OK);

    /// <summary>Presses a submit button of the page as a browser does: the form's fields, posted to the button's formaction.</summary>
    private static async Task<HtmlPage> PressAsync(HttpClient http, HtmlPage page, string buttonText, IDictionary<string, string> fields)
    {
        var button = page.All("button[type=submit]").Single(b => b.TextContent.Trim() == buttonText);
        var form = (IHtmlFormElement)button.Closest("form")!;
        var values = form.QuerySelectorAll("input[name], textarea[name]")
            .Select(e => new KeyValuePair<string, string>(e.GetAttribute("name")!, e is IHtmlTextAreaElement area ? area.Value : ((IHtmlInputElement)e).Value))
            .Where(kv => !fields.ContainsKey(kv.Key)).Concat(fields).ToList();
        var action = WebUtility.HtmlDecode(button.GetAttribute("formaction") ?? form.GetAttribute("action")!);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative)) { Content = new FormUrlEncodedContent(values) };
        return await PortalHtml.ReadAsync(await http.SendAsync(request));
    }

    [Fact]
    public async Task A_template_edited_on_its_page_keeps_its_id_and_its_notification_sends_the_new_text_and_the_list_says_what_is_in_use()
    {
        var s = await SceneAsync("tedit");
        var created = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Front desk", subject = "Old: {ClientFullName}", body = "Old text for {ClientFullName}" })).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await NotifyAsync(s, onNew: id);

        // The business's copies of the standard texts are listed as what they are: templates nothing uses yet.
        var list = await Eventually.ReturnsAsync(() => s.Biz.Owner.PageAsync("/staff/tools/communication"),
            p => p.All("li[data-template]").Length >= 4, TimeSpan.FromSeconds(30), "the default templates");
        Assert.DoesNotContain("(default)", list.Text, StringComparison.Ordinal);
        Assert.Equal($"(used for: {TemplateUse.DiaryContactOnNew})", list.One($"li[data-template='{id}'] .template-use")!.TextContent.Trim());
        var copy = list.All("li[data-template]").Single(li => li.TextContent.Contains("Diary contact: new portal appointment", StringComparison.Ordinal));
        Assert.Equal("(not in use)", copy.QuerySelector(".template-use")!.TextContent.Trim());
        Assert.Contains("Until then it sends the standard text", list.One("#templates-standard-text")!.TextContent, StringComparison.Ordinal);
        var copyPage = await s.Biz.Owner.PageAsync(copy.QuerySelector("a")!.GetAttribute("href")!);
        Assert.NotNull(copyPage.One("#template-not-in-use"));

        // Opened, changed and saved (the name kept): the same template changes, no second one appears.
        var editor = await s.Biz.Owner.PageAsync($"/staff/tools/communication?id={id}");
        Assert.Null(editor.One("#template-not-in-use"));
        var preview = await PressAsync(s.Biz.Owner, editor, "Preview", PortalHtml.Fields(("Input.Body", "Preview of {ServiceName}")));
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Equal("Edit “Front desk”", preview.One("#editor-heading")!.TextContent.Trim());
        Assert.Contains("Preview of", preview.One("[data-preview-text]")!.TextContent, StringComparison.Ordinal);
        var saved = await PressAsync(s.Biz.Owner, editor, "Save template",
            PortalHtml.Fields(("Input.Subject", "New: {ClientFullName} for {ServiceName}"), ("Input.Body", "New text: {ClientFullName} booked {ServiceName}.")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal($"/staff/tools/communication?id={id}&saved=1", saved.Response.Headers.Location!.OriginalString);
        var templates = (await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates")).GetProperty("items").EnumerateArray().ToList();
        var frontDesk = Assert.Single(templates, t => t.GetProperty("name").GetString() == "Front desk");
        Assert.Equal(id, frontDesk.GetProperty("id").GetGuid());
        Assert.Equal("New: {ClientFullName} for {ServiceName}", frontDesk.GetProperty("subject").GetString());

        // The notification that uses it sends the new text.
        var ana = await RegisterAsync(s, "Ana");
        await BookAsync(ana, s, At(5, 10));
        var mail = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("New: Ana Client for Deep tissue massage", mail.Subject);
        Assert.Contains("New text: Ana Client booked Deep tissue massage.", Text(mail), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_staff_standard_texts_name_the_service_and_diary_in_plain_lines_and_client_emails_write_the_contact_in_words()
    {
        var s = await SceneAsync("words");
        var desk = $"desk-{s.Tag}@business.example";
        await s.Biz.SettingsAsync(x => x["contact"] = new JsonObject { ["phone"] = "02 9999 0000", ["email"] = desk });
        var boss = $"boss-{s.Tag}@example.com";
        await fixture.App.ConfirmAddressesAsync(s.Biz.Id, boss);
        await NotifyAsync(s, extras: [boss]);
        var ana = await RegisterAsync(s, "Ana");
        var id = (await BookAsync(ana, s, At(5, 10))).GetProperty("id").GetGuid();

        var toContact = Text(Assert.Single(await MailAsync(s.DiaryContact)));
        Assert.Matches(@"^Ana Client \(0412 \d{3} \d{3}, \S+@\S+\) has a new appointment, made by the client:\nDeep tissue massage with Dr Lee\n\w+day \d+ \w+ \d{4}, 10:00–10:45 AM AE[DS]T\n", toContact);
        var toBoss = Text(Assert.Single(await MailAsync(boss)));
        Assert.Matches(@"^Ana Client \(0412 \d{3} \d{3}, \S+@\S+\) has a new appointment, made by the client:\nDeep tissue massage with Dr Lee\n\w+day \d+ \w+ \d{4}, 10:00–10:45 AM AE[DS]T\n", toBoss);
        var confirmation = Text(Assert.Single(await MailAsync(ana.Email)));
        Assert.Contains($"Questions? Contact Business {s.Biz.Slug} on (02) 9999 0000 or at {desk}.", confirmation, StringComparison.Ordinal);

        (await ana.Http.CancelAsync(s.Biz.Slug, id, "Feeling better")).EnsureSuccessStatusCode();
        var cancelled = Text(Assert.Single(await MailAsync(s.DiaryContact, 2), m => m.Subject!.StartsWith("Cancellation", StringComparison.Ordinal)));
        Assert.Matches(@"^Ana Client \(0412 \d{3} \d{3}, \S+@\S+\): this appointment was cancelled by the client:\nDeep tissue massage with Dr Lee\n\w+day \d+ \w+ \d{4} at 10:00 AM AE[DS]T\nReason: Feeling better\n", cancelled);
        foreach (var text in new[] { toContact, toBoss, cancelled })
        {
            Assert.DoesNotContain("  ", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("((", confirmation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typed_reasons_reach_the_withdrawn_request_email_and_the_accepted_cancellation_request_email()
    {
        var s = await SceneAsync("reasons");
        await NotifyAsync(s);
        await s.Biz.SettingsAsync(x =>
        {
            x["newClientsNeedApproval"] = true;
            x["cancellationPolicy"] = new JsonObject { ["hours"] = 72, ["text"] = "Three days' notice, please.", ["insideWindow"] = "request" };
        });

        // A booking request withdrawn with a reason: the diary contact reads it.
        var pat = await RegisterAsync(s, "Pat");
        var request = await BookAsync(pat, s, At(6, 11));
        Assert.Equal("requested", request.GetProperty("status").GetString());
        (await pat.Http.CancelAsync(s.Biz.Slug, request.GetProperty("id").GetGuid(), "changed my mind")).EnsureSuccessStatusCode();
        var withdrawn = Assert.Single(await MailAsync(s.DiaryContact, 2), m => m.Subject == "Booking request withdrawn: Pat Client");
        Assert.Contains("\nReason: changed my mind\n", Text(withdrawn), StringComparison.Ordinal);

        // A cancellation request the staff settle by cancelling from the diary with their own reason: the client reads it.
        await (await s.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/clients/{pat.Id}/approve", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        var booked = await BookAsync(pat, s, At(1, 15));
        Assert.Equal("confirmed", booked.GetProperty("status").GetString());
        var bookedId = booked.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await pat.Http.CancelAsync(s.Biz.Slug, bookedId, "feeling unwell")).StatusCode);
        await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{bookedId}/cancel", new { reason = "done from diary" })).JsonAsync(HttpStatusCode.OK);
        var accepted = Assert.Single(await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(pat.Email)),
            m => m.Any(x => x.Subject == $"Business {s.Biz.Slug} accepted your cancellation request"), TimeSpan.FromSeconds(60), "the acceptance"),
            m => m.Subject == $"Business {s.Biz.Slug} accepted your cancellation request");
        Assert.Contains("\nReason: done from diary\n", Text(accepted), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_withheld_request_email_is_not_sent_again_once_the_request_is_decided_and_the_log_says_why()
    {
        var s = await SceneAsync("stale", confirmContact: false);
        await NotifyAsync(s);
        await s.Biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var pat = await RegisterAsync(s, "Pat");
        var request = await BookAsync(pat, s, At(6, 11));
        var requestId = request.GetProperty("id").GetGuid();
        var held = (await Eventually.ReturnsAsync(
            async () => (await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=withheld")).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("kind").GetString() == "diary-contact-booking-request").ToList(),
            rows => rows.Count == 1, TimeSpan.FromSeconds(60), "the withheld request email")).Single();
        var id = held.GetProperty("id").GetGuid();

        // Decided meanwhile, then the contact confirmed: the email would ask for a decision already made.
        await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/requests/{requestId}/decline", new { reason = "Fully booked" })).JsonAsync(HttpStatusCode.OK);
        await s.Biz.ConfirmAddressAsync(s.DiaryContact);
        var refused = await s.Biz.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative), new { to = (string?)null });
        var problem = await refused.JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/no-longer-current", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("This booking request has since been declined. It is not sent again.", problem.GetProperty("detail").GetString());

        // The log answers the refusal beforehand (the resend's own check), and the page offers no Resend, only its words.
        var listed = (await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=withheld")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal("withheld", listed.GetProperty("status").GetString());
        Assert.Equal("This booking request has since been declined. It is not sent again.", listed.GetProperty("noLongerCurrent").GetString());
        var page = await s.Biz.Owner.PageAsync("/staff/tools/messages?status=withheld");
        var row = page.All("tbody tr").Single(r => r.TextContent.Contains("Booking request to diary contact", StringComparison.Ordinal));
        Assert.Null(page.One($"form[action*='{id}']"));
        Assert.Empty(row.QuerySelectorAll("button"));
        Assert.Equal("This booking request has since been declined. It is not sent again.", row.QuerySelector(".message-stale")!.TextContent.Trim());

        Assert.DoesNotContain(fixture.Smtp.MessagesTo(s.DiaryContact), m => m.Subject!.StartsWith("Booking request", StringComparison.Ordinal));

        // A message still current keeps its Resend: the owners' withheld copy of a request still waiting.
        var waiting = await BookAsync(pat, s, At(7, 11));
        var current = (await Eventually.ReturnsAsync(
            async () => (await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=withheld")).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("appointment").ValueKind == JsonValueKind.Object
                    && i.GetProperty("appointment").GetProperty("id").GetGuid() == waiting.GetProperty("id").GetGuid()).ToList(),
            rows => rows.Count > 0, TimeSpan.FromSeconds(60), "a withheld email about the waiting request")).First();
        Assert.Equal(JsonValueKind.Null, current.GetProperty("noLongerCurrent").ValueKind);
        Assert.NotNull((await s.Biz.Owner.PageAsync("/staff/tools/messages?status=withheld")).One($"form[action*='{current.GetProperty("id").GetGuid()}'] button"));

        // A filter that matches nothing says so, with the way back to every message; the heading is the page's title.
        var failed = await s.Biz.Owner.PageAsync("/staff/tools/messages?status=failed");
        Assert.Equal("No failed messages. Show all messages", failed.One("#no-messages")!.TextContent.Trim());
        Assert.Equal("/staff/tools/messages", failed.One("#no-messages a")!.GetAttribute("href"));
        Assert.Equal("Tools · Sent messages", failed.One("h1")!.TextContent.Trim());
        Assert.StartsWith("Tools · Sent messages", failed.Document.Title, StringComparison.Ordinal);
    }

    /// <summary>
    /// The log judges each failed message about an appointment on where the appointment stands now, asking Appointments
    /// for the page's appointments in one query (<c>GetAppointmentStates</c>), not one per row (decision 241); the query
    /// finds only the current business's appointments.
    /// </summary>
    [Fact]
    public async Task The_log_asks_the_state_of_its_page_s_appointments_in_one_query_which_finds_only_the_business_s_own()
    {
        var s = await SceneAsync("batch");
        await NotifyAsync(s);
        var ada = await RegisterAsync(s, "Ada");
        var ids = new List<Guid>();
        foreach (var (day, hour) in new[] { (3, 9), (3, 11), (4, 9) })
        {
            ids.Add((await BookAsync(ada, s, At(day, hour))).GetProperty("id").GetGuid());
        }

        await MailAsync(ada.Email, 3);
        await MailAsync(s.DiaryContact, 3);
        var db = fixture.App.Database.Database;
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<long>(db, "select count(*) from notifications.outbound_messages where tenant_id = @t and status not in ('sent', 'withheld', 'failed')", ("t", s.Biz.Id)),
            n => n == 0, TimeSpan.FromSeconds(60), "every message sent");
        Assert.Equal(6, await Sql.AdminScalarAsync<long>(db,
            "with f as (update notifications.outbound_messages set status = 'failed' where tenant_id = @t and appointment_id is not null and status = 'sent' returning 1) select count(*) from f",
            ("t", s.Biz.Id)));
        // One of them cancelled since: its two messages are no longer current.
        await (await s.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{ids[1]}/cancel", new { reason = "Diary change" })).JsonAsync(HttpStatusCode.OK);

        using var trips = new RoundTrips();
        var (trace, header) = RoundTrips.NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/admin/messages?status=failed", UriKind.Relative));
        request.Headers.Add(header.Name, header.Value);
        var items = (await (await s.Biz.Owner.SendAsync(request)).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(6, items.Count);
        foreach (var item in items)
        {
            var about = item.GetProperty("appointment").GetProperty("id").GetGuid();
            var stale = item.GetProperty("noLongerCurrent");
            if (about == ids[1])
            {
                Assert.Equal("This appointment has since been cancelled. It is not sent again.", stale.GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, stale.ValueKind);
            }
        }

        Assert.Single(trips.Of(trace), sql => sql.Contains("FROM appointments.appointments", StringComparison.Ordinal));

        // Asked under another business, the same ids find nothing; under this one, each.
        var other = await fixture.App.SignUpBusinessAsync("batch-other", Zone);
        var scopes = fixture.App.Services.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>();
        foreach (var (tenant, expected) in new[] { (other.Id, 0), (s.Biz.Id, 3) })
        {
            await using var scope = await Booking.BuildingBlocks.Jobs.TenantScope.OpenAsync(scopes, tenant, CancellationToken.None);
            var states = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Booking.Appointments.Contracts.GetAppointmentStates(ids), CancellationToken.None);
            Assert.Equal(expected, states.Count);
        }
    }
}
