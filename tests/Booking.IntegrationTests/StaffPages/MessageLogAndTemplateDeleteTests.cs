using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Booking.BuildingBlocks.Time;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.Notifications.Domain;
using Booking.Notifications.Features.Templates;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// Tools → Sent messages says what each message is in words, with its subject, appointment and zoned times (review
/// J15); deleting a template a notification uses takes a confirmation step that names it (review J25).
/// </summary>
public sealed class MessageLogAndTemplateDeleteTests(SharedApp shared) : IClassFixture<SharedApp>
{
    /// <summary>Every kind MessageKinds defines (its public string constants), so a new kind cannot go without words.</summary>
    private static List<string> DefinedKinds() =>
        typeof(MessageKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();

    [Fact]
    public void Every_message_kind_has_words_and_no_two_kinds_share_them()
    {
        var kinds = DefinedKinds();
        Assert.True(kinds.Count >= 18, $"only {kinds.Count} kinds found");
        var missing = kinds.Where(k => !MessageKinds.Labels.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "kinds without words: " + string.Join(", ", missing));
        Assert.All(kinds, k => Assert.NotEqual(k, MessageKinds.Label(k), StringComparer.OrdinalIgnoreCase));
        Assert.Empty(MessageKinds.Labels.Keys.Except(kinds)); // no words for a kind that no longer exists
        Assert.Equal(kinds.Count, kinds.Select(MessageKinds.Label).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private static async Task<Guid> TemplateAsync(TestBusiness biz, string name, string subject) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name, subject, body = "Booked: {ClientFullName} at {AppointmentStartDateTime}" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task NotifyOnNewAsync(TestBusiness biz, Guid? templateId, Guid? extraTemplateId = null) =>
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = extraTemplateId },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task The_message_log_shows_each_message_in_words_with_its_subject_appointment_and_times_in_the_business_zone()
    {
        var b = await shared.App.BookableAsync();
        var template = await TemplateAsync(b.Biz, "Front desk", "New: {ClientFullName} for {ServiceName}");
        await NotifyOnNewAsync(b.Biz, template);
        var client = await shared.App.RegisterClientAsync(b.Biz, "Maeve", "Quill");
        var booked = await (await client.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);
        var appointmentId = booked.GetProperty("id").GetGuid();
        var start = booked.GetProperty("start").GetDateTimeOffset();

        // The API keeps the code (API.md) and adds the words and the subject.
        var list = await Eventually.ReturnsAsync(
            async () => await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/messages", UriKind.Relative))).JsonAsync(HttpStatusCode.OK),
            j => j.GetProperty("items").GetArrayLength() >= 3, TimeSpan.FromSeconds(30), "the booking's two messages and the sign-up's confirmation");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        var diary = Assert.Single(items, i => i.GetProperty("kind").GetString() == MessageKinds.DiaryContactNew);
        Assert.Equal("New booking to diary contact", diary.GetProperty("kindLabel").GetString());
        Assert.Equal("New: Maeve Quill for Consultation", diary.GetProperty("subject").GetString());
        Assert.Equal(appointmentId, diary.GetProperty("appointment").GetProperty("id").GetGuid());
        Assert.Equal("Maeve Quill", diary.GetProperty("appointment").GetProperty("clientName").GetString());
        var confirmation = Assert.Single(items, i => i.GetProperty("kind").GetString() == MessageKinds.ClientBookingConfirmation);
        Assert.Equal($"Your appointment with Business {b.Biz.Slug} is confirmed", confirmation.GetProperty("subject").GetString());

        var page = await b.Biz.Owner.PageAsync("/staff/tools/messages");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        // The booking's two rows, and the sign-up's "Confirm your email" to the owner (no appointment).
        Assert.Equal(3, page.All("table tbody tr").Length);
        var rows = page.All("table tbody tr").Where(r => r.TextContent.Contains("Maeve Quill", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        var text = page.Text;
        Assert.Contains("Confirm sign-in email, to staff member", text, StringComparison.Ordinal);
        Assert.Contains("New booking to diary contact", text, StringComparison.Ordinal);
        Assert.Contains("Booking confirmation to client", text, StringComparison.Ordinal);
        Assert.Contains("New: Maeve Quill for Consultation", text, StringComparison.Ordinal);
        Assert.Contains($"Your appointment with Business {b.Biz.Slug} is confirmed", text, StringComparison.Ordinal);
        // No code reads as the message's name anywhere on the page.
        foreach (var code in DefinedKinds())
        {
            Assert.DoesNotContain(code, page.Html, StringComparison.Ordinal);
        }

        var zone = DateTimeZoneProviders.Tzdb["Australia/Sydney"];
        var local = Instant.FromDateTimeOffset(start).InZone(zone);
        // An Australian business: CLDR's 12-hour clock ("Tue 8 Dec 2026, 10:00 AM AEDT").
        var when = local.ToString("ddd d MMM yyyy, h:mm tt", System.Globalization.CultureInfo.InvariantCulture) + " " + ZoneAbbreviation.Of(local);
        foreach (var row in rows)
        {
            Assert.Contains("Maeve Quill", row.TextContent, StringComparison.Ordinal);
            var appointmentLink = Assert.Single(row.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/staff/diary/appointments/{appointmentId}");
            Assert.Equal("Consultation with Dr Alpha", appointmentLink.TextContent.Trim());
            var dayLink = Assert.Single(row.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/staff/diary?date={Iso(local.Date)}&view=day");
            Assert.Equal(when, dayLink.TextContent.Trim());
            // Created (and sent): the business's date and time with its zone's abbreviation.
            var created = row.QuerySelector("td time")!;
            var createdAt = DateTimeOffset.Parse(created.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture);
            var createdLocal = Instant.FromDateTimeOffset(createdAt).InZone(zone);
            Assert.Equal(zone.GetUtcOffset(createdLocal.ToInstant()).ToTimeSpan(), createdAt.Offset);
            Assert.Equal(
                createdLocal.ToString("ddd d MMM yyyy, h:mm tt", System.Globalization.CultureInfo.InvariantCulture) + " " + ZoneAbbreviation.Of(createdLocal),
                created.TextContent.Trim());
        }
    }

    [Fact]
    public async Task Deleting_a_template_a_notification_uses_asks_first_naming_it_and_then_says_it_sends_the_standard_text()
    {
        var b = await shared.App.BookableAsync();
        var biz = b.Biz;
        var used = await TemplateAsync(biz, "Used on new", "New: {ClientFullName}");
        await NotifyOnNewAsync(biz, used);

        // The editor offers "Delete…", a link to the confirmation step: nothing is deleted by opening it.
        var editor = await biz.Owner.PageAsync($"/staff/tools/communication?id={used}");
        var deleteLink = Assert.Single(editor.All("a"), a => a.TextContent.Trim() == "Delete…");
        Assert.Equal($"/staff/tools/communication?id={used}&delete=confirm", deleteLink.GetAttribute("href"));
        var confirm = await biz.Owner.PageAsync(deleteLink.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal("Delete “Used on new”?", confirm.One("#delete-heading")!.TextContent.Trim());
        Assert.Equal(new[] { TemplateUse.DiaryContactOnNew }, confirm.All("#delete-used-by li").Select(li => li.TextContent.Trim()).ToList());
        Assert.Contains("the standard text instead", confirm.One("#delete-confirm")!.TextContent, StringComparison.Ordinal);
        Assert.Null(confirm.One("#Input_Subject")); // the step replaces the editor
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{used}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        // A post without the confirmation (an old page's one-click button) is taken to the step, and deletes nothing.
        var unconfirmed = await biz.Owner.SubmitAsync(confirm, new Dictionary<string, string> { ["confirmed"] = "" }, "#delete-confirm form");
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.Status);
        Assert.Equal($"/staff/tools/communication?id={used}&delete=confirm", unconfirmed.Response.Headers.Location!.OriginalString);
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{used}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        // Confirmed: deleted, the notification keeps going with the standard text, and the next page says so.
        var deleted = await biz.Owner.SubmitAsync(confirm, new Dictionary<string, string>(), "#delete-confirm form");
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        var after = await biz.Owner.PageAsync(deleted.Response.Headers.Location!.OriginalString);
        Assert.Equal(
            $"Template “Used on new” deleted. {TemplateUse.DiaryContactOnNew} now uses the standard text.",
            after.One("p.notice[role=status]")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{used}", UriKind.Relative))).StatusCode);
        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/notification-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var onNew = settings.GetProperty("notifyDiaryContactOnNew");
        Assert.True(onNew.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, onNew.GetProperty("templateId").ValueKind);

        // A template nothing uses: the step says so. The API's DELETE stays one call answering 204 (API.md).
        var unused = await TemplateAsync(biz, "Nobody's", "Hello");
        var quiet = await biz.Owner.PageAsync($"/staff/tools/communication?id={unused}&delete=confirm");
        Assert.Empty(quiet.All("#delete-used-by li"));
        Assert.Contains("No notification uses this template.", quiet.One("#delete-confirm")!.TextContent, StringComparison.Ordinal);
        var inUse = await TemplateAsync(biz, "Used by the API", "Hi");
        await NotifyOnNewAsync(biz, inUse);
        Assert.Equal(HttpStatusCode.NoContent, (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{inUse}", UriKind.Relative))).StatusCode);
    }
}
