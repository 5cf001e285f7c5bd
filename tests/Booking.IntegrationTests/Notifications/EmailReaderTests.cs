using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Features.AppointmentEmails;
using Booking.Notifications.Rendering;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Emails speak to the one who reads them (decision 259): a request email to an owner or admin says "you or another owner
/// or admin", a practitioner's copy names them in the third person; internal emails end with why their reader got them,
/// client emails with the business's contact and portal; a cancelled appointment's email ends "Questions? Contact …" as
/// the confirmation does; an address waiting for confirmation that is a staff member's sign-in email is confirmed once
/// its person proves that email. Real modules through the HTTP API, real PostgreSQL, real SMTP on loopback.
/// </summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class EmailReaderTests(RealFactsFixture fixture) : IClassFixture<RealFactsFixture>
{
    private const string Phone = "02 9999 0000";

    private static string NewAddress(string who) => $"{who}-{Guid.NewGuid().ToString("N")[..8]}@example.com";

    private string Db => fixture.App.Database.Database;

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, Func<MimeMessage, bool> which, string what) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Any(which), TimeSpan.FromSeconds(60), what);

    private async Task<MimeMessage> OneMailAsync(string to, Func<MimeMessage, bool> which, string what)
    {
        var mails = (await MailAsync(to, which, what)).Where(which).ToList();
        Assert.True(mails.Count == 1, $"one {what}, not {mails.Count}");
        return mails[0];
    }

    private static string Text(MimeMessage m) => m.TextBody!.ReplaceLineEndings("\n");

    /// <summary>The text part's footer: what follows the "--" line.</summary>
    private static string Footer(MimeMessage m) => Text(m)[(Text(m).LastIndexOf("\n--\n", StringComparison.Ordinal) + 4)..];

    private static object Settings(params string[] extras) => new
    {
        notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
        notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
        extraAddressesOnNew = new { addresses = extras, templateId = (Guid?)null },
        includeStaffChanges = false,
    };

    private static async Task<JsonElement> CreateDiaryAsync(TestBusiness biz, string contact, string name = "Dr Lee") =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries", new { name, contactEmail = contact, active = true })).JsonAsync(HttpStatusCode.Created);

    /// <summary>
    /// A business with a phone and email for clients, whose diary "Dr Lee" has its practitioner Gina as contact (proven,
    /// confirmed); the owner's sign-in email proven. <paramref name="approval"/>: new clients ask, so a booking is a request.
    /// </summary>
    private async Task<(TestBusiness Biz, string Gina, string Desk, Guid Diary, Guid Service)> SceneAsync(bool approval)
    {
        var biz = await fixture.App.SignUpBusinessAsync("reader");
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 60);
        var desk = NewAddress("desk");
        await biz.SettingsAsync(x =>
        {
            x["newClientsNeedApproval"] = approval;
            x["contact"] = new JsonObject { ["phone"] = Phone, ["email"] = desk };
        });
        var gina = NewAddress("gina");
        var diary = (await CreateDiaryAsync(biz, gina)).GetProperty("id").GetGuid();
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Gina Groomer", email = gina, password = TestBusiness.OwnerPassword, role = "practitioner", diaryIds = new[] { diary } })).JsonAsync(HttpStatusCode.Created);
        await biz.ProveStaffEmailsAsync();
        await biz.ConfirmAddressAsync(gina);
        await biz.RosterEveryDayAsync(diary, "08:00", "18:00");
        var service = await biz.ServiceAsync("Consultation", 30, 0, [diary]);
        return (biz, gina, desk, diary, service);
    }

    /// <summary>A client registers and books (a request where the business approves new clients first); answers the client's email, client and appointment id.</summary>
    private async Task<(string Email, HttpClient Http, Guid Id)> BookAsync(TestBusiness biz, Guid diary, Guid service, int day)
    {
        var http = fixture.App.NewClient();
        var email = NewAddress("client");
        await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Pat", lastName = "Client", email, password = "a long client password 2026!" })).JsonAsync(HttpStatusCode.Created);
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(day).AddHours(1), TimeSpan.Zero);
        var booked = await (await http.PostAsJsonAsync($"/api/v1/portal/appointments?name={biz.Slug}",
            new { serviceId = service, diaryId = diary, start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) })).JsonAsync(HttpStatusCode.Created);
        return (email, http, booked.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_owner_s_request_email_says_you_and_the_practitioner_contact_s_names_the_owner_or_an_admin()
    {
        var (biz, gina, _, diary, service) = await SceneAsync(approval: true);
        await BookAsync(biz, diary, service, 3);

        var toOwner = Text(await OneMailAsync(biz.OwnerEmail, m => m.Subject == "Booking request: Pat Client", "the owner's request email"));
        Assert.Contains("\n\nIt is not booked until you or another owner or admin confirms it under Requests.", toOwner, StringComparison.Ordinal);
        Assert.DoesNotContain("the business's owner", toOwner, StringComparison.Ordinal);

        // The practitioner, the diary's contact, cannot decide it (their link is the appointment's page): the third person.
        var toGina = Text(await OneMailAsync(gina, m => m.Subject == "Booking request: Pat Client", "the contact's request email"));
        Assert.Contains("\n\nIt is not booked until the business's owner or an admin confirms it under Requests.", toGina, StringComparison.Ordinal);
        Assert.DoesNotContain("you or another owner", toGina, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Internal_emails_end_with_why_their_reader_got_them_and_client_emails_with_the_business_s_contact_and_portal()
    {
        var (biz, gina, desk, diary, service) = await SceneAsync(approval: true);
        var (client, _, _) = await BookAsync(biz, diary, service, 3);
        var business = $"Business {biz.Slug}";

        // The diary's contact: why, and the way out it already had; not the phone, email and booking page clients use.
        var toGina = await OneMailAsync(gina, m => m.Subject == "Booking request: Pat Client", "the contact's request email");
        var ginaFooter = Footer(toGina);
        Assert.StartsWith($"{business}\nYou get this as the contact email of the diary Dr Lee at {business} (Setup → Roster).\n", ginaFooter, StringComparison.Ordinal);
        Assert.Contains($"Stop these emails to {gina}: https://booking.test/staff/unsubscribe?name={biz.Slug}&token=", ginaFooter, StringComparison.Ordinal);
        Assert.Contains("data-role=\"footer-reason\"", toGina.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("data-role=\"unsubscribe\"", toGina.HtmlBody, StringComparison.Ordinal);

        // The owner, as a decider: why, and no unsubscribe (their role's email, not a listed address).
        var toOwner = await OneMailAsync(biz.OwnerEmail, m => m.Subject == "Booking request: Pat Client", "the owner's request email");
        Assert.Equal($"{business}\nYou get this as an owner or admin of {business}, at the email you sign in with.", Footer(toOwner).TrimEnd());

        // The owner's own account email (the sign-up's email confirmation): about their sign-in email.
        var signUp = await OneMailAsync(biz.OwnerEmail, m => m.Subject!.StartsWith("Confirm your email for", StringComparison.Ordinal), "the sign-up confirmation");
        Assert.Contains($"You get this because this is the email you sign in to the staff pages of {business} with.", Footer(signUp), StringComparison.Ordinal);

        foreach (var mail in new[] { toGina, toOwner })
        {
            Assert.DoesNotContain("Phone: ", Text(mail), StringComparison.Ordinal);
            Assert.DoesNotContain(desk, Text(mail), StringComparison.Ordinal);
            Assert.DoesNotContain($"/ol/book?name={biz.Slug}", Text(mail), StringComparison.Ordinal);
            Assert.DoesNotContain("data-role=\"business-contact\"", mail.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain($"/ol/book?name={biz.Slug}", mail.HtmlBody, StringComparison.Ordinal);
        }

        // The client's email keeps the business's footer: its contact and its portal, no "You get this".
        var toClient = await OneMailAsync(client, m => m.Subject!.EndsWith("received your booking request", StringComparison.Ordinal), "the client's receipt");
        Assert.Equal($"{business}\nPhone: (02) 9999 0000\nEmail: {desk}\nhttps://booking.test/ol/book?name={biz.Slug}", Footer(toClient).TrimEnd());
        Assert.Contains("data-role=\"business-contact\"", toClient.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("You get this", toClient.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("footer-reason", toClient.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_extra_address_s_email_says_it_came_as_an_extra_address()
    {
        var (biz, _, _, diary, service) = await SceneAsync(approval: false);
        var front = NewAddress("front");
        await fixture.App.ConfirmAddressesAsync(biz.Id, front);
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(front))).JsonAsync(HttpStatusCode.OK);
        await BookAsync(biz, diary, service, 3);

        var mail = await OneMailAsync(front, _ => true, "the extra address's new-booking email");
        Assert.StartsWith($"Business {biz.Slug}\nYou get this as an extra address for booking emails from Business {biz.Slug} (Setup → Client Portal).\n\nStop these emails to {front}: ",
            Footer(mail), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cancelled_appointment_s_email_ends_with_how_to_reach_the_business_as_the_confirmation_does()
    {
        var (biz, _, desk, diary, service) = await SceneAsync(approval: false);
        var (client, http, id) = await BookAsync(biz, diary, service, 3);
        var contact = $"Questions? Contact Business {biz.Slug} on (02) 9999 0000 or at {desk}.";
        var confirmation = Text(await OneMailAsync(client, m => m.Subject!.EndsWith("is confirmed", StringComparison.Ordinal), "the confirmation"));
        Assert.Contains("\n\n" + contact + "\n\n--\n", confirmation, StringComparison.Ordinal);

        (await http.CancelAsync(biz.Slug, id, "Plans changed")).EnsureSuccessStatusCode();
        var cancelled = Text(await OneMailAsync(client, m => m.Subject!.EndsWith("is cancelled", StringComparison.Ordinal), "the cancellation"));
        Assert.Contains($"Reason: Plans changed\n\nTo book again, visit https://booking.test/ol/book?name={biz.Slug}\n\n{contact}\n\n--\n", cancelled, StringComparison.Ordinal);
        Assert.Equal(2, cancelled.Split(contact).Length); // once: not repeated
    }

    [Fact]
    public void The_accepted_cancellation_request_shares_the_cancellation_s_closing_and_its_contact_line()
    {
        var look = new BusinessLook("Demo", "demo", "Australia/Sydney", "#334155", null, "https://booking.test/ol/book?name=demo", Phone: "(02) 9999 0000", Email: "hello@demo.example");
        foreach (var body in new[] { ClientTexts.CancellationConfirmation.Body, ClientTexts.CancellationRequestAccepted.Body })
        {
            Assert.EndsWith("To book again, visit {PortalUrl}\n\nQuestions? Contact {BusinessName} on {BusinessPhone} or at {BusinessEmail}.",
                PortalClosings.Expand(body, look), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_waiting_address_equal_to_a_staff_sign_in_email_is_confirmed_once_its_person_proves_it_without_an_email()
    {
        var biz = await fixture.App.SignUpBusinessAsync("proof");
        // Listed (in other letters) and made a diary's contact before the owner proved their email: waiting, one confirmation email.
        var before = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(biz.OwnerEmail.ToUpperInvariant()))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("waiting", StateOf(before, biz.OwnerEmail));
        var diary = await CreateDiaryAsync(biz, biz.OwnerEmail.ToUpperInvariant());
        Assert.Equal("waiting", diary.GetProperty("contactEmailState").GetString());
        // Another business lists the same address: its own row, which this proof does not touch.
        var other = await fixture.App.SignUpBusinessAsync("proof");
        Assert.Equal("waiting", StateOf(await (await other.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(biz.OwnerEmail))).JsonAsync(HttpStatusCode.OK), biz.OwnerEmail));
        Assert.Equal(1L, await ConfirmationEmailsAsync(biz.Id, biz.OwnerEmail));

        // The owner follows the link of the sign-up's "Confirm your email": proven.
        var signUp = await OneMailAsync(biz.OwnerEmail, m => m.Subject!.StartsWith("Confirm your email for", StringComparison.Ordinal), "the sign-up confirmation");
        var token = AccountChangeHelpers.ResetTokenOf(signUp, "/staff/verify-email");
        Assert.Equal(HttpStatusCode.OK,
            (await fixture.App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/confirm-email?name={biz.Slug}", new { token })).StatusCode);

        // Confirmed as the extra address and as the diary's contact (one row), with no second email; nothing asked of anyone.
        await Eventually.ReturnsAsync(
            async () => StateOf(await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings"), biz.OwnerEmail),
            s => s == "confirmed", TimeSpan.FromSeconds(60), "the waiting address confirmed");
        var diaryNow = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/diaries/{diary.GetProperty("id").GetGuid()}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", diaryNow.GetProperty("contactEmailState").GetString());
        Assert.Equal(1L, await ConfirmationEmailsAsync(biz.Id, biz.OwnerEmail));
        Assert.Null(await Sql.AdminScalarAsync<string?>(Db,
            "select token_hash from notifications.address_confirmations where tenant_id = @t and address = @a", ("t", biz.Id), ("a", biz.OwnerEmail.ToLowerInvariant())));

        // The other business's row is its own: still waiting.
        Assert.Equal("waiting", StateOf(await other.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings"), biz.OwnerEmail));
    }

    private Task<long> ConfirmationEmailsAsync(Guid tenant, string address) =>
        Sql.AdminScalarAsync<long>(Db, "select count(*) from notifications.outbound_messages where tenant_id = @t and recipient = @a and kind in ('extra-address-confirmation', 'diary-contact-confirmation')",
            ("t", tenant), ("a", address.ToLowerInvariant()));

    private static string StateOf(JsonElement settings, string address) =>
        settings.GetProperty("extraAddressesOnNew").GetProperty("addressStates").EnumerateArray()
            .Single(a => string.Equals(a.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)).GetProperty("state").GetString()!;
}
