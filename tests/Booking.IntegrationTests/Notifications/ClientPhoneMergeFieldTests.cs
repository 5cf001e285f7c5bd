using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using MimeKit;
using NodaTime;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Decision 296: {ClientOtherPhone} (the landline staff put on file, decision 292) and {ClientPhone} (the mobile, else
/// the other phone) in templates; seed 000's "{ClientFullName}  ( {ClientMobilePhone} ) just made …" reads without "( )"
/// for a client with no mobile; the numbers as the business's country dials them, without the area code's brackets, a
/// tel: link in the HTML part. Booked at the portal with the real contract handlers, real PostgreSQL and SMTP.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class ClientPhoneMergeFieldTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Zone = "Australia/Sydney";
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb[Zone];

    /// <summary>A Sydney landline (libphonenumber's FIXED_LINE for AU): E.164, and as a diary contact in Australia dials it.</summary>
    private const string Landline = "+61293744000", LandlineShown = "02 9374 4000";

    private const string Mobile = "+61412345678", MobileShown = "0412 345 678";

    /// <summary>Seed 000's diary-contact text, as a business typed it (two spaces, spaces inside the brackets).</summary>
    private const string SeedBody = "{ClientFullName}  ( {ClientMobilePhone} ) just made this appointment via the client portal: {NextAppointmentStartDateTime}";

    private const string Body = SeedBody + "\nCall: {ClientPhone}\nOther phone: {ClientOtherPhone}";

    private sealed record Scene(TestBusiness Biz, Guid DiaryId, Guid ServiceId, string DiaryContact, string Tag);

    private sealed record Client(HttpClient Http, Guid Id, string Email);

    private async Task<Scene> SceneAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var biz = await fixture.App.SignUpBusinessAsync("cphone", Zone, countryCode: "AU");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var contact = $"diary-{tag}@example.com";
        await biz.ConfirmAddressAsync(contact);
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Check-up", 30, 0, [diary]);
        return new Scene(biz, diary, service, contact, tag);
    }

    private static async Task NotifyWithAsync(Scene s, Guid? templateId) =>
        await (await s.Biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);

    /// <summary>Registers at the portal (email, the mobile if given); staff then put the landline on file.</summary>
    private async Task<Client> ClientAsync(Scene s, string firstName, string? mobile)
    {
        var http = fixture.App.NewClient();
        var email = $"{firstName.ToLowerInvariant()}-{s.Tag}@example.com";
        var id = (await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={s.Biz.Slug}", new
        {
            firstName, lastName = "Client", email, password = "a long client password 2026!", mobile,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var put = await (await s.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}", new { firstName, lastName = "Client", email, mobile, otherPhone = LandlineShown }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Landline, put.GetProperty("otherPhone").GetString());
        if (mobile is not null)
        {
            // Verified, as an SMS code would: {ClientMobilePhone} holds only a verified mobile (decision 251).
            await Sql.AdminExecAsync(fixture.App.Database.Database, "update portalauth.clients set mobile_verified = true where id = @i", ("i", id));
        }

        return new Client(http, id, email);
    }

    private static string At(int days, int hour) =>
        SystemClock.Instance.GetCurrentInstant().InZone(Sydney).Date.PlusDays(days).At(new LocalTime(hour, 0)).InZoneStrictly(Sydney)
            .ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static async Task BookAsync(Client client, Scene s, string start) =>
        await (await client.Http.PostAsJsonAsync($"/api/v1/portal/appointments?name={s.Biz.Slug}",
            new { serviceId = s.ServiceId, diaryId = s.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    [Fact]
    public async Task A_landline_only_client_s_booking_gives_the_diary_contact_the_landline_and_seed_000s_text_has_no_empty_brackets()
    {
        var s = await SceneAsync();
        var template = (await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Seed 000", subject = "Booked: {ClientFullName}", body = Body }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await NotifyWithAsync(s, template);
        var lana = await ClientAsync(s, "Lana", mobile: null);
        var mo = await ClientAsync(s, "Mo", Mobile);

        await BookAsync(lana, s, At(5, 10));
        await BookAsync(mo, s, At(5, 14));
        var mails = await MailAsync(s.DiaryContact, 2);
        var aboutLana = Assert.Single(mails, m => m.Subject == "Booked: Lana Client");
        var aboutMo = Assert.Single(mails, m => m.Subject == "Booked: Mo Client");

        // No mobile: the brackets and the spaces before them go; the landline is the number to call.
        var lanaText = Text(aboutLana);
        Assert.StartsWith("Lana Client just made this appointment via the client portal: ", lanaText, StringComparison.Ordinal);
        Assert.DoesNotContain("(", lanaText.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("\nCall: " + LandlineShown + "\nOther phone: " + LandlineShown + "\n", lanaText, StringComparison.Ordinal);
        Assert.DoesNotContain(Landline, lanaText, StringComparison.Ordinal);
        Assert.Contains($"Call: <a href=\"tel:{Landline}\">{LandlineShown}</a>", aboutLana.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"Other phone: <a href=\"tel:{Landline}\">{LandlineShown}</a>", aboutLana.HtmlBody, StringComparison.Ordinal);

        // A verified mobile: in the brackets, one space before them, and {ClientPhone} is the mobile.
        var moText = Text(aboutMo);
        Assert.StartsWith($"Mo Client ({MobileShown}) just made this appointment via the client portal: ", moText, StringComparison.Ordinal);
        Assert.Contains("\nCall: " + MobileShown + "\nOther phone: " + LandlineShown + "\n", moText, StringComparison.Ordinal);
        Assert.Contains($"Call: <a href=\"tel:{Mobile}\">{MobileShown}</a>", aboutMo.HtmlBody, StringComparison.Ordinal);

        // The standard text (no template chosen) names the landline of a client without a mobile.
        await NotifyWithAsync(s, templateId: null);
        await BookAsync(lana, s, At(6, 9));
        var standard = (await MailAsync(s.DiaryContact, 3)).Single(m => m.Subject == "New booking: Lana Client");
        Assert.StartsWith($"Lana Client ({LandlineShown}, ", Text(standard), StringComparison.Ordinal); // then the email (decision 350)
        Assert.Contains(") has a new appointment", Text(standard), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_new_fields_are_listed_and_described_and_an_unknown_field_is_still_refused()
    {
        var s = await SceneAsync();
        var list = await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates");
        var fields = list.GetProperty("mergeFields").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("ClientPhone", fields);
        Assert.Contains("ClientOtherPhone", fields);

        var refused = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/templates",
            new { name = "Typo", subject = "New", body = "Call {ClientLandline}" })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("{ClientLandline}", refused.GetProperty("errors").GetProperty("body").GetRawText(), StringComparison.Ordinal);
        var names = (await s.Biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates")).GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("Typo", names);

        var page = await s.Biz.Owner.PageAsync("/staff/tools/communication");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.One("button[data-merge-field='{ClientOtherPhone}']"));
        Assert.NotNull(page.One("button[data-merge-field='{ClientPhone}']"));
        Assert.Contains("The client's other phone, e.g. a landline", page.Text, StringComparison.Ordinal);
        Assert.Contains("A number to call the client on: their mobile, or their other phone when they have no mobile", page.Text, StringComparison.Ordinal);

        // The preview fills the other phone with a landline of the business's country, written as it dials it.
        var preview = await (await s.Biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview",
            new { subject = "P", body = "Other: {ClientOtherPhone}" })).JsonAsync(HttpStatusCode.OK);
        Assert.Matches(@"^Other: 0\d \d{4} \d{4}\n", preview.GetProperty("text").GetString()!.ReplaceLineEndings("\n"));
    }
}
