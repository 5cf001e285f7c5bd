using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Booking.Host.Demo;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// What the message log says of the emails nobody confirmed could take: a diary contact's email with no confirmed
/// stand-in, or an owner's or admin's request email at a sign-in address nobody proved, is written "withheld" with the
/// reason, and sent from the log only once an address is confirmed; a stand-in's email has a kind of its own naming the
/// contact; a used reset link proves a staff member's address, a change of it unproves it; the demo's addresses start
/// confirmed. Through the HTTP API and the pages, with the real modules; real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class WithheldAndStandInTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    /// <summary>Exactly <paramref name="count"/> emails, with time for one more to arrive if one were sent.</summary>
    private async Task OnlyMailAsync(string to, int count)
    {
        if (count > 0)
        {
            await MailAsync(to, count);
        }

        await Task.Delay(1500);
        Assert.Equal(count, fixture.Smtp.MessagesTo(to).Count);
    }

    private static async Task<Guid> DiaryAsync(TestBusiness biz, string contact)
    {
        var diary = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name = "Dr Lee", contactEmail = contact, active = true }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        return diary;
    }

    private static async Task NotifyAsync(TestBusiness biz, params string[] extras) =>
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
            includeStaffChanges = false,
        })).JsonAsync(HttpStatusCode.OK);

    /// <summary>A client awaiting approval asks for a time: a booking request, emailed to the diary contact and the owners and admins.</summary>
    private async Task RequestAsync(TestBusiness biz, Guid diary, Guid service, int day, string lastName = "Pending")
    {
        var http = fixture.App.NewClient();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName, email = $"client-{tag}@example.com", password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = DateTimeOffset.UtcNow.Date.AddDays(day).AddHours(10);
        var requested = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = new DateTimeOffset(start, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
    }

    /// <summary>The log's row to this address of this kind, once it is there.</summary>
    private static async Task<JsonElement> RowAsync(TestBusiness biz, string to, string kind, string? status = null) =>
        (await Eventually.ReturnsAsync(
            async () => (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?limit=100")).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("to").GetString() == to && i.GetProperty("kind").GetString() == kind
                    && (status is null || i.GetProperty("status").GetString() == status)).ToList(),
            rows => rows.Count == 1, TimeSpan.FromSeconds(60), $"a {kind} row to {to}")).Single();

    private static Task<HttpResponseMessage> ResendAsync(TestBusiness biz, Guid id, string? to = null) =>
        biz.Owner.PostAsJsonAsync(new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative), new { to });

    private static string Squash(string text) => Regex.Replace(text, @"\s+", " ");

    [Fact]
    public async Task An_email_nobody_confirmed_can_take_is_logged_withheld_with_why_and_sent_from_the_log_only_once_its_address_is_confirmed()
    {
        var biz = await fixture.App.SignUpBusinessAsync("withheld", "Europe/London");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        await NotifyAsync(biz); // no extra addresses: nobody stands in
        var contact = NewAddress("contact");
        var diary = await DiaryAsync(biz, contact);
        var service = await biz.ServiceAsync("Consultation", 45, 0, [diary]);
        await MailAsync(contact); // its confirmation, unanswered

        await RequestAsync(biz, diary, service, 3);
        var held = await RowAsync(biz, contact, "diary-contact-booking-request");
        Assert.Equal("withheld", held.GetProperty("status").GetString());
        Assert.Equal(
            $"Not sent: the diary contact {contact} has not confirmed their address, and no other confirmed address is set. Once it is confirmed, you can send this again.",
            held.GetProperty("note").GetString());
        Assert.Equal("Booking request: Pat Pending", held.GetProperty("subject").GetString());
        // The owner signed up with an address nobody proved: their copy is withheld too, saying what proves it.
        var owners = await RowAsync(biz, biz.OwnerEmail, "staff-booking-request");
        Assert.Equal("withheld", owners.GetProperty("status").GetString());
        Assert.StartsWith($"Not sent: {biz.OwnerEmail} is an owner's or admin's sign-in email, and nobody has shown yet that they read mail there.",
            owners.GetProperty("note").GetString(), StringComparison.Ordinal);
        var filtered = await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=withheld");
        Assert.Equal(2, filtered.GetProperty("items").GetArrayLength());
        await OnlyMailAsync(contact, 1);
        await OnlyMailAsync(biz.OwnerEmail, 1); // the sign-up's "Confirm your email" only

        // The staff page shows it withheld, why, and offers to send it.
        var page = await biz.Owner.PageAsync("/staff/tools/messages?status=withheld");
        var row = page.All("tbody tr").Single(r => r.TextContent.Contains(contact, StringComparison.Ordinal) && r.TextContent.Contains("Booking request to diary contact", StringComparison.Ordinal));
        Assert.Equal("Withheld", row.QuerySelector(".status")!.TextContent.Trim()); // the status in words (decision 210)
        Assert.Contains($"Not sent: the diary contact {contact} has not confirmed their address", Squash(row.QuerySelector(".message-note")!.TextContent), StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector("form button"));

        // Not sent while the address waits, to it or to another address nobody confirmed.
        var id = held.GetProperty("id").GetGuid();
        var refused = await ResendAsync(biz, id);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await ResendAsync(biz, id, NewAddress("stranger"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ResendAsync(biz, owners.GetProperty("id").GetGuid())).StatusCode);
        Assert.Equal("withheld", (await RowAsync(biz, contact, "diary-contact-booking-request")).GetProperty("status").GetString());
        await OnlyMailAsync(contact, 1);

        // Once its person says yes, the log sends it, once; the reason goes with the withholding.
        await fixture.App.ConfirmAddressesAsync(biz.Id, contact);
        var sent = await (await ResendAsync(biz, id)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("note").ValueKind);
        // The confirmation asked for before and the request sent now, in whichever order the sink took them.
        Assert.Single(await MailAsync(contact, 2), m => m.Subject == "Booking request: Pat Pending");
        await RowAsync(biz, contact, "diary-contact-booking-request", "sent");
        Assert.Equal(HttpStatusCode.Conflict, (await ResendAsync(biz, id)).StatusCode);
        await OnlyMailAsync(contact, 2);
    }

    [Fact]
    public async Task A_stand_in_s_email_has_its_own_kind_naming_the_contact_it_stands_in_for()
    {
        var biz = await fixture.App.SignUpBusinessAsync("standin", "Europe/London");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var front = NewAddress("front");
        await fixture.App.ConfirmAddressesAsync(biz.Id, front);
        await NotifyAsync(biz, front);
        var contact = NewAddress("contact");
        var diary = await DiaryAsync(biz, contact);
        var service = await biz.ServiceAsync("Consultation", 45, 0, [diary]);

        await RequestAsync(biz, diary, service, 3);
        Assert.Equal("Booking request: Pat Pending", Assert.Single(await MailAsync(front)).Subject);
        var stoodIn = await RowAsync(biz, front, "stand-in-booking-request");
        Assert.Equal("Booking request to extra address, standing in for the diary contact", stoodIn.GetProperty("kindLabel").GetString());
        Assert.Equal($"Sent to this confirmed extra address instead of the diary contact {contact}, who has not confirmed their address yet.",
            stoodIn.GetProperty("note").GetString());
        var items = (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?limit=100")).GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(items, i => i.GetProperty("kind").GetString() == "diary-contact-booking-request"); // someone was told: nothing withheld

        var page = await biz.Owner.PageAsync("/staff/tools/messages");
        var row = page.All("tbody tr").Single(r => r.TextContent.Contains(front, StringComparison.Ordinal) && r.TextContent.Contains("standing in", StringComparison.Ordinal));
        Assert.Contains($"instead of the diary contact {contact}", Squash(row.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_emails_reach_an_owner_or_admin_only_at_an_address_proven_by_a_used_reset_link_or_a_followed_email_change_link()
    {
        var biz = await fixture.App.SignUpBusinessAsync("proven", "Europe/London");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        await biz.SettingsAsync(x => x["newClientsNeedApproval"] = true);
        var contact = NewAddress("contact");
        await fixture.App.ConfirmAddressesAsync(biz.Id, contact);
        var diary = await DiaryAsync(biz, contact);
        var service = await biz.ServiceAsync("Consultation", 45, 0, [diary]);
        var admin = NewAddress("admin");
        var adminId = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Ada Admin", email = admin, password = TestBusiness.OwnerPassword, role = "admin", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Typed in at sign-up and on Team: neither is mailed, each is logged withheld.
        await RequestAsync(biz, diary, service, 3, "One");
        await MailAsync(contact);
        var ownersFirst = await RowAsync(biz, biz.OwnerEmail, "staff-booking-request");
        Assert.Equal("withheld", ownersFirst.GetProperty("status").GetString());
        Assert.Equal("withheld", (await RowAsync(biz, admin, "staff-booking-request")).GetProperty("status").GetString());
        await OnlyMailAsync(biz.OwnerEmail, 1); // the sign-up's "Confirm your email" only
        await OnlyMailAsync(admin, 0);

        // The admin uses a reset link emailed to their address: proven. The owner does nothing: still withheld.
        Assert.Equal(HttpStatusCode.Accepted,
            (await fixture.App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = admin })).StatusCode);
        var resetMail = Assert.Single(await MailAsync(admin));
        var line = resetMail.TextBody!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/reset-password?", StringComparison.Ordinal));
        var token = line[(line.IndexOf("&token=", StringComparison.Ordinal) + "&token=".Length)..];
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/reset-password?name={biz.Slug}",
            new { token, newPassword = "a fresh sentence the admin chose 2026" })).StatusCode);

        await RequestAsync(biz, diary, service, 4, "Two");
        Assert.Single(await MailAsync(admin, 2), m => m.Subject == "Booking request: Pat Two");
        await MailAsync(contact, 2);
        await OnlyMailAsync(biz.OwnerEmail, 1); // the sign-up's "Confirm your email" only

        // The owner's first withheld copy goes once the owner's address is proven too (here: confirmed in the business).
        await fixture.App.ConfirmAddressesAsync(biz.Id, biz.OwnerEmail);
        await (await ResendAsync(biz, ownersFirst.GetProperty("id").GetGuid())).JsonAsync(HttpStatusCode.OK);
        Assert.Single(await MailAsync(biz.OwnerEmail, 2), m => m.Subject == "Booking request: Pat One");

        // The owner moves the admin's sign-in to another address: it changes only once the new address follows the link
        // emailed to it (decision 232), and that link came back from there, so the new address is proven at once.
        var moved = NewAddress("moved");
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{adminId}",
            new { name = "Ada Admin", email = moved, role = "admin", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        var confirm = AccountChangeHelpers.ResetTokenOf(Assert.Single(await MailAsync(moved)), "/staff/confirm-email");
        Assert.Equal(HttpStatusCode.OK,
            (await fixture.App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token = confirm })).StatusCode);
        await RequestAsync(biz, diary, service, 5, "Three");
        await MailAsync(contact, 3);
        Assert.Contains(await MailAsync(moved, 2), m => m.Subject == "Booking request: Pat Three");
    }

    [Fact]
    public async Task The_demo_starts_with_its_diary_contacts_and_owner_confirmed_and_sends_no_confirmation_emails()
    {
        using (var scope = fixture.App.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
        }

        var owner = fixture.App.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={DemoSeeder.Slug}",
            new { email = DemoSeeder.OwnerEmail, password = DemoSeeder.OwnerPassword })).StatusCode);
        var diaries = (await (await owner.GetAsync(new Uri("/api/v1/admin/diaries", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, diaries.Count);
        Assert.All(diaries, d => Assert.Equal("confirmed", d.GetProperty("contactEmailState").GetString()));
        await OnlyMailAsync(SchedulingDemoSeed.AlexEmail, 0);
        Assert.Equal(0, await Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
            "select count(*) from notifications.outbound_messages where kind = 'diary-contact-confirmation' and recipient like '%@demo.example'"));
    }
}
