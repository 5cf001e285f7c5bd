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
    public async Task Deleting_a_template_a_notification_uses_is_refused_in_words_naming_it_and_one_nobody_uses_is_deleted_after_asking()
    {
        var b = await shared.App.BookableAsync();
        var biz = b.Biz;
        var used = await TemplateAsync(biz, "Used on new", "New: {ClientFullName}");
        await NotifyOnNewAsync(biz, used);

        // The editor offers "Delete…", a link to the step: for a template in use, it names the notification, says to
        // choose another template or the standard text first, and offers no delete (decision 251).
        var editor = await biz.Owner.PageAsync($"/staff/tools/communication?id={used}");
        var deleteLink = Assert.Single(editor.All("a"), a => a.TextContent.Trim() == "Delete…");
        Assert.Equal($"/staff/tools/communication?id={used}&delete=confirm", deleteLink.GetAttribute("href"));
        var step = await biz.Owner.PageAsync(deleteLink.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, step.Status);
        Assert.Equal("“Used on new” is in use", step.One("#delete-heading")!.TextContent.Trim());
        Assert.Equal(new[] { TemplateUse.DiaryContactOnNew }, step.All("#delete-used-by li").Select(li => li.TextContent.Trim()).ToList());
        Assert.Contains("It can't be deleted while that notification uses it.", step.One("#delete-refused")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(step.All("#delete-confirm form"));
        Assert.Null(step.One("#Input_Subject")); // the step replaces the editor

        // A post anyway (an old page's form) is refused with the same words, and deletes nothing.
        var token = editor.One("form[data-template-editor] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var posted = await biz.Owner.PostAsync(new Uri($"/staff/tools/communication?handler=Delete&id={used}", UriKind.Relative),
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("confirmed", "yes")]));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/staff/tools/communication?id={used}&delete=confirm", posted.Headers.Location!.OriginalString);
        var again = await biz.Owner.PageAsync(posted.Headers.Location!.OriginalString);
        Assert.Contains("“Used on new” is used by Notify Diary Contact on New Appointment.", again.One("p.notice[role=status]")!.TextContent, StringComparison.Ordinal);
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{used}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/notification-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(used, settings.GetProperty("notifyDiaryContactOnNew").GetProperty("templateId").GetGuid());

        // A template nothing uses: the step asks, a post without the confirmation is taken back to it, the confirmed one deletes.
        var unused = await TemplateAsync(biz, "Nobody's", "Hello");
        var quiet = await biz.Owner.PageAsync($"/staff/tools/communication?id={unused}&delete=confirm");
        Assert.Equal("Delete “Nobody's”?", quiet.One("#delete-heading")!.TextContent.Trim());
        Assert.Contains("No notification uses this template.", quiet.One("#delete-confirm")!.TextContent, StringComparison.Ordinal);
        var unconfirmed = await biz.Owner.SubmitAsync(quiet, new Dictionary<string, string> { ["confirmed"] = "" }, "#delete-confirm form");
        Assert.Equal($"/staff/tools/communication?id={unused}&delete=confirm", unconfirmed.Response.Headers.Location!.OriginalString);
        var deleted = await biz.Owner.SubmitAsync(quiet, new Dictionary<string, string>(), "#delete-confirm form");
        var after = await biz.Owner.PageAsync(deleted.Response.Headers.Location!.OriginalString);
        Assert.Equal("Template “Nobody's” deleted.", after.One("p.notice[role=status]")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{unused}", UriKind.Relative))).StatusCode);
    }
}
